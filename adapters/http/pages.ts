import { bulletinName, citeClause, documentName, pagesLabel, versionLabel } from '../../src/answer/citation.ts';
import { exampleTopics } from '../../src/answer/suggestions.ts';
import type { OpenCorpus } from '../../src/corpus/open.ts';
import type { CorpusFile, PolicyDocument } from '../../src/corpus/types.ts';
import type { SearchResponse } from '../../src/answer/answer.ts';
import type { Unanswered } from '../../src/store/schema.ts';
import type { IngestSummary, PushSummary } from './actions.ts';
import { SOURCE_EXTENSIONS } from '../../src/ingest/source.ts';
import { esc, highlight, listTable, page, type PageContext } from './html.ts';
import {
  citationText,
  clauseAnchor,
  clauseHref,
  docHref,
  documentList,
  findClause,
  type feedbackList,
  type PushRecord,
  type subscriberCounts,
} from './views.ts';

/** What the file picker offers (the server decides by content, not by this list). */
const UPLOAD_ACCEPT = [...SOURCE_EXTENSIONS, 'text/markdown', 'text/plain', 'application/pdf', 'text/html'].join(',');
/** The note an upload summary shows for a converted file. */
const FORMAT_NOTE = { pdf: '由 PDF 转换为文本收录（页码已保留）', html: '由网页转换为文本收录' } as const;

const searchLink = (q: string): string => `/?q=${encodeURIComponent(q)}`;
const searchThis = (q: string): string => `<a href="${esc(searchLink(q))}">搜索</a>`;

/** The words of a question to mark in its answers: its topic words and their synonyms. */
export function highlightWords(r: SearchResponse): string[] {
  return r.analyzed.groups.flatMap((g) => [g.text, ...g.expansions]);
}

/** The result list of one search (also served alone to the search-as-you-type script). */
export function resultsFragment(r: SearchResponse, open: OpenCorpus): string {
  if (r.query.trim() === '') return '';
  if (!r.answered) {
    const topics = exampleTopics(open.corpus, 4, open.index.tools.synonyms);
    return `<p class="empty">没有找到与“${esc(r.query.trim())}”相关的条款。${topics.length ? `可以试试：${topics.map((t) => `<a href="${esc(searchLink(t))}">${esc(t)}</a>`).join('、')}` : ''}</p>`;
  }
  const words = highlightWords(r);
  return r.hits
    .map(
      (h) => `<article class="hit">
<div class="path">${esc([documentName(h.doc), ...h.clause.headings].join(' › '))}</div>
<p class="text">${highlight(h.passage, words)}</p>
<p class="cite">—— ${esc(h.citation.label)}</p>
<div class="actions"><button type="button" class="copy" data-cite="${esc(citationText(h.clause, h.citation))}">复制引用</button><a class="open" href="${esc(clauseHref(h.doc, h.clause))}">查看原文</a></div>
</article>`,
    )
    .join('\n');
}

/** The search page, with results when `r` is given. */
export function searchPage(ctx: PageContext, open: OpenCorpus, r: SearchResponse | undefined): string {
  const q = r?.query ?? '';
  const files = open.corpus.files.length;
  const docs = open.corpus.files.reduce((s, f) => s + f.documents.length, 0);
  return page(
    '检索',
    `<form class="search" action="/" method="get" role="search">
<input id="q" name="q" type="search" value="${esc(q)}" placeholder="输入问题或文号，如：护理补贴标准" autocomplete="off" autofocus aria-label="问题">
<button type="submit">检索</button>
</form>
<p class="meta">已收录 ${files} 个文件，共 ${docs} 份政策文件。边输入边出结果；“复制引用”复制条款原文和出处。</p>
<section id="results" aria-live="polite">${r ? resultsFragment(r, open) : ''}</section>`,
    ctx,
  );
}

/** A document: header, outline with links, every clause with its anchor and copy button. */
export function documentPage(ctx: PageContext, doc: PolicyDocument, file: CorpusFile): string {
  const where = [bulletinName(file.issue), pagesLabel(doc.pages)].filter(Boolean).join(' ');
  const outline: string[] = [];
  const body: string[] = [];
  let prev: string[] = [];
  let prevSection = 0;
  doc.clauses.forEach((c) => {
    const heads = c.section > 0 ? [`附件：${doc.attachments[c.section - 1] ?? ''}`, ...c.headings] : c.headings;
    let same = 0;
    if (c.section === prevSection) while (same < heads.length && same < prev.length && heads[same] === prev[same]) same++;
    for (let d = same; d < heads.length; d++) {
      const id = `h-${clauseAnchor(doc, c)}-${d}`;
      outline.push(`<li class="d${Math.min(d, 4)}"><a href="#${id}">${esc(heads[d]!)}</a></li>`);
      body.push(`<h${Math.min(d + 2, 6)} id="${id}" class="heading">${esc(heads[d]!)}</h${Math.min(d + 2, 6)}>`);
    }
    prev = heads;
    prevSection = c.section;
    const anchor = clauseAnchor(doc, c);
    const cite = citeClause(c, doc, file);
    body.push(
      `<div class="clause" id="${anchor}"><a class="anchor" href="#${anchor}" title="本条链接">${esc(c.label)}${c.paragraph > 1 ? `·${c.paragraph}` : ''}</a><p>${esc(c.text)}</p><button type="button" class="copy" data-cite="${esc(citationText(c, cite))}">复制引用</button></div>`,
    );
  });
  return page(
    doc.title,
    `<article class="document">
<h1>${esc(doc.title)}</h1>
<p class="meta">${esc(doc.docNumber || versionLabel(doc.version) || '无文号')}${where ? ` · ${esc(where)}` : ''}${doc.signer || doc.signDate ? ` · ${esc([doc.signer, doc.signDate].filter(Boolean).join(' '))}` : ''} · ${doc.clauses.length} 条</p>
${outline.length ? `<nav class="outline" aria-label="目录"><h2>目录</h2><ul>${outline.join('')}</ul></nav>` : ''}
<div class="body">${body.join('\n')}</div>
</article>`,
    ctx,
  );
}

/** The document list table (also refreshed alone after an upload). */
export function documentListFragment(open: OpenCorpus): string {
  const rows = documentList(open).map((d) => [
    esc(d.docNumber || '—'),
    `<a href="${esc(docHref({ docKey: d.key }))}">${esc(d.title)}</a>`,
    esc([d.bulletin, d.pages && `第${d.pages}页`].filter(Boolean).join(' ')),
    String(d.clauses),
  ]);
  return listTable('', ['文号', '标题', '公报', '条数'], rows, '还没有文件。上传一期公报开始。');
}

/** The ingest outcome, or the refusal, as HTML. */
export function ingestResultFragment(r: { ok: true; summary: IngestSummary } | { ok: false; code: string; message: string }): string {
  if (!r.ok) return `<div class="refused" role="alert"><strong>未收录（${esc(r.code)}）</strong><p>${esc(r.message)}</p></div>`;
  const s = r.summary;
  const verb = { added: '已收录', replaced: `已替换 ${s.replaced ?? ''}`, unchanged: '内容相同，未改动' }[s.status];
  return `<div class="summary" role="status"><strong>${esc(verb)}：${esc(s.file)}</strong>${s.format === 'text' ? '' : `<p>${FORMAT_NOTE[s.format]}</p>`}${s.bulletin ? `<p>${esc(s.bulletin)}</p>` : ''}<ul>${s.documents
    .map((d) => `<li><a href="${esc(docHref({ docKey: d.key }))}">${esc([d.docNumber, d.title].filter(Boolean).join(' '))}</a>（${d.clauses} 条）</li>`)
    .join('')}</ul>${s.warnings.length ? `<p>提示：</p><ul>${s.warnings.map((w) => `<li>第${w.line}行：${esc(w.message)}</li>`).join('')}</ul>` : ''}</div>`;
}

/** Documents and the upload form. */
export function documentsPage(ctx: PageContext, open: OpenCorpus, result?: string): string {
  return page(
    '文件与上传',
    `<h1>文件与上传</h1>
<form id="upload-form" class="upload" action="/upload" method="post" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${esc(ctx.csrf ?? '')}">
<label>公报或文件（Markdown、文本、PDF 或网页 HTML）<input id="upload-file" type="file" name="file" accept="${esc(UPLOAD_ACCEPT)}" required></label>
<label class="check"><input id="upload-replace" type="checkbox" name="replace" value="true"> 替换同文号或同一期的旧版本（旧版本保留在 state/replaced/）</label>
<button type="submit">上传并收录</button>
<progress id="upload-progress" max="100" value="0" hidden></progress>
</form>
<div id="upload-result">${result ?? ''}</div>
<h2>已收录文件</h2>
<div id="doc-list">${documentListFragment(open)}</div>`,
    ctx,
  );
}

/** Unanswered questions and 👎 feedback, each with a link to search it. */
export function reviewPage(ctx: PageContext, unanswered: Unanswered[], down: Awaited<ReturnType<typeof feedbackList>>, open: OpenCorpus): string {
  const clauseLink = (id: string): string => {
    const f = findClause(open.index, id);
    return f ? `<a href="${esc(clauseHref(f.doc, f.clause))}">${esc(`${f.doc.docNumber || f.doc.title} ${f.clause.label}`)}</a>` : esc(id);
  };
  return page(
    '未答问题与反馈',
    `<h1>未答问题</h1>
${listTable(
  'unanswered',
  ['问题', '次数', '最近', ''],
  unanswered.map((u) => [esc(u.query), String(u.count), esc(u.lastAt.slice(0, 10)), searchThis(u.query)]),
  '暂无未答问题。',
)}
<h1>👎 差评反馈</h1>
${listTable(
  'feedback',
  ['问题', '给出的条款', '时间', ''],
  down.map((f) => [esc(f.query), clauseLink(f.clauseId), esc(f.at.slice(0, 10)), searchThis(f.query)]),
  '暂无差评。',
)}`,
    ctx,
  );
}

/** Subscriber counts, push history and the push buttons. */
export function subscribersPage(ctx: PageContext, counts: Awaited<ReturnType<typeof subscriberCounts>>, history: PushRecord[], result?: PushSummary): string {
  const channels = Object.entries(counts.channels).map(([ch, c]) => [
    esc(ch),
    String(c.active),
    Object.entries(c.topics)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${esc(t)} ${n}`)
      .join('，'),
  ]);
  const state = { announced: '已完成', sending: '发送中' } as const;
  const pushes = history.map((h) => [
    esc(h.title),
    state[h.state],
    String(h.sent),
    String(h.failed),
    String(h.pending),
    esc(h.at ? h.at.slice(0, 16).replace('T', ' ') : '—'),
  ]);
  const csrf = `<input type="hidden" name="_csrf" value="${esc(ctx.csrf ?? '')}">`;
  return page(
    '订阅与推送',
    `<h1>订阅</h1>
<p>有效订阅 ${counts.active}，已停用 ${counts.inactive}。</p>
${channels.length ? listTable('channels', ['渠道', '订阅', '主题'], channels, '') : ''}
<h1>推送</h1>
<form method="post" action="/push" class="inline">${csrf}<input type="hidden" name="dryRun" value="true"><button type="submit">预览推送（不发送）</button></form>
<form method="post" action="/push" class="inline">${csrf}<input type="hidden" name="dryRun" value="false"><button type="submit" class="danger">立即推送新一期</button></form>
${result ? pushResultFragment(result) : ''}
<h2>推送记录</h2>
${listTable('history', ['期次', '状态', '成功', '失败', '待发', '完成时间'], pushes, '还没有推送记录。')}`,
    ctx,
  );
}

function pushResultFragment(r: PushSummary): string {
  const lines: string[] = [];
  if (r.ingested.length) lines.push(`收录：${r.ingested.join('、')}`);
  if (r.rejected) lines.push(`未收录文件 ${r.rejected} 个`);
  for (const e of r.feedErrors) lines.push(`订阅源：${e}`);
  for (const p of r.previews) lines.push(`将推送 ${p.issueKey} 给 ${p.subscribers} 个订阅`);
  for (const b of r.broadcasts) {
    const waiting = Object.entries(b.pendingByChannel)
      .map(([ch, n]) => `${ch} ${n}`)
      .join('，');
    lines.push(
      `已推送 ${b.issueKey}：成功 ${b.sent}，失败 ${b.failed}，待重试 ${b.retrying}${waiting ? `，待发（${waiting}）` : ''}${b.announced ? '，全部完成' : ''}`,
    );
    if (b.stoppedBy) lines.push(`推送提前停止：${b.stoppedBy}（未送达的会在下次推送时补发）`);
  }
  if (lines.length === 0) lines.push('没有新一期需要推送');
  const sample = r.previews.find((p) => p.sample)?.sample;
  return `<div class="summary" role="status">${lines.map((l) => `<p>${esc(l)}</p>`).join('')}${sample ? `<pre>${esc(sample)}</pre>` : ''}</div>`;
}

/** The login form; `csrf` is the double-submit token also set as a cookie. */
export function loginPage(csrf: string, next: string, message?: string, enabled = true): string {
  return page(
    '登录',
    `<h1>工作人员登录</h1>
${enabled ? '' : '<p class="refused">管理功能未开启：请设置 POLICYBOT_ADMIN_TOKEN 后重启。</p>'}
${message ? `<p class="refused" role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/login" class="login">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<input type="hidden" name="next" value="${esc(next)}">
<label>管理令牌 <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">登录</button>
</form>`,
    { admin: false },
  );
}

/** A plain error page. */
export function errorPage(ctx: PageContext, title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/">返回检索</a></p>`, ctx);
}
