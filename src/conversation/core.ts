import { bulletinName, documentName, pagesLabel, type Citation } from '../answer/citation.ts';
import { documentOutline } from '../answer/outline.ts';
import { exampleTopics } from '../answer/suggestions.ts';
import type { Clock } from '../clock.ts';
import type { CorpusSource } from '../corpus/source.ts';
import type { CorpusFile, PolicyDocument } from '../corpus/types.ts';
import { answerQuestion, type SearchResponse } from '../answer/answer.ts';
import type { Store } from '../store/store.ts';
import { formatDocNumber } from '../text/docnumber.ts';
import { findDocument } from '../search/documents.ts';
import { normalizeKey, stripControlChars } from '../text/normalize.ts';
import { COMMAND_HELP, isCommand, parseCommand, type ParsedCommand } from './commands.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { IncomingMessage, Reply, ReplyBlock } from './types.ts';

/** What the conversation core needs; everything injected. */
export interface ConversationDeps {
  corpus: CorpusSource;
  store: Store;
  clock: Clock;
  /** Admin ids, as "channel:userId" or a bare userId. */
  admins: readonly string[];
  maxQuestionLength: number;
  ratePerMinute: number;
  /** Results per answer (and per "更多"). */
  pageSize: number;
  /** Daily push time shown when subscribing, e.g. "09:00". */
  pushTime?: string;
}

/** The channel-independent conversation: message in, reply model out (null = stay silent). */
export interface Conversation {
  handle(msg: IncomingMessage): Promise<Reply | null>;
  /** Ranked cited clauses for a query (inline search); empty when nothing relevant is found. */
  lookup(query: string, limit: number): Array<{ id: string; text: string; citation: Citation }>;
}

const MAX_RESULTS = 20;
const MAX_TOPICS = 10;

const text = (t: string): Reply => ({ blocks: [{ kind: 'text', text: t }], actions: [] });

/** Builds the conversation core. */
export function createConversation(deps: ConversationDeps): Conversation {
  const limiter = createRateLimiter(deps.ratePerMinute, deps.clock);
  const iso = (): string => new Date(deps.clock.now()).toISOString();
  const chatKey = (m: IncomingMessage): string => `${m.channel}:${m.chatId}`;

  async function handle(msg: IncomingMessage): Promise<Reply | null> {
    const body = stripControlChars(String(msg.text ?? '')).replace(/\s+/g, ' ').trim();
    const command = parseCommand(body);
    if (msg.isGroup && !msg.mentionsBot && !msg.isReplyToBot && !isCommand(body)) return null;
    if (!limiter.allow(`${msg.channel}:${msg.userId}`)) return text('提问太频繁了，请稍后再试。');
    if (command) return runCommand(msg, command);
    if (/^[/／]/.test(body)) return text('没有这个命令。发送 /help 查看可用的命令。');
    if (!body) return help(false);
    if (body.length > deps.maxQuestionLength) {
      return text(`问题太长了（${body.length}字），请精简到${deps.maxQuestionLength}字以内再问。`);
    }
    return answer(msg, body, 0);
  }

  async function answer(msg: IncomingMessage, query: string, offset: number): Promise<Reply> {
    const { corpus, index } = deps.corpus.current();
    const r = answerQuestion(index, query, { limit: MAX_RESULTS });
    if (offset === 0) await recordQuestion(query, r);
    if (!r.answered) {
      await deps.store.update((d) => {
        delete d.sessions[chatKey(msg)];
      });
      return notFound(r, corpus.files);
    }
    const page = r.hits.slice(offset, offset + deps.pageSize);
    if (page.length === 0) return text('没有更多结果了。可以换个说法再问。');
    const shown = offset + page.length;
    const first = page[0]!;
    await deps.store.update((d) => {
      d.sessions[chatKey(msg)] = { query, shown, lastClauseId: first.clause.id, at: iso() };
    });
    const remaining = r.hits.length - shown;
    const reply: Reply = {
      blocks: page.map((h) => ({ kind: 'clause', text: h.passage, citation: h.citation })),
      actions: [{ kind: 'feedback', clauseId: first.clause.id }],
    };
    if (r.analyzed.corrections.length > 0 && offset === 0) {
      reply.blocks.unshift({ kind: 'text', text: `按“${r.analyzed.corrections.map((c) => c.to).join('、')}”理解。` });
    }
    if (remaining > 0) reply.actions.unshift({ kind: 'more', remaining });
    return reply;
  }

  function notFound(r: SearchResponse, files: CorpusFile[]): Reply {
    const d = r.analyzed.docRefs[0];
    if (r.basis === 'doc-not-found' && d) return text(`没有收录文号为 ${formatDocNumber(d)} 的文件。发送 /docs 查看已收录的文件。`);
    if (r.basis === 'clause-not-found') {
      return text(`没有找到这个条款。${d ? `发送 /doc ${formatDocNumber(d)} 查看该文件的目录。` : '请同时给出文号，例如：川办发〔2013〕52号 第十四条'}`);
    }
    const topics = exampleTopics({ files }, 4, deps.corpus.current().index.tools.synonyms);
    return text(`没有找到与这个问题相关的政策条款。${topics.length ? `可以问问：${topics.join('、')}等，` : ''}或发送 /help 看看能问什么。`);
  }

  async function recordQuestion(query: string, r: SearchResponse): Promise<void> {
    await deps.store.update((d) => {
      d.stats.asked++;
      if (r.answered) {
        d.stats.answered++;
        return;
      }
      const key = normalizeKey(query).slice(0, 100);
      const row = d.unanswered.find((u) => normalizeKey(u.query) === key);
      if (row) {
        row.count++;
        row.lastAt = iso();
      } else {
        d.unanswered.push({ query: query.slice(0, 100), count: 1, lastAt: iso() });
        if (d.unanswered.length > 500) {
          d.unanswered.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
          d.unanswered.length = 500;
        }
      }
    });
  }

  function help(full: boolean): Reply {
    const { corpus } = deps.corpus.current();
    const topics = exampleTopics(corpus, 5, deps.corpus.current().index.tools.synonyms);
    const blocks: ReplyBlock[] = [
      {
        kind: 'text',
        text: '您好！我是政策问答机器人：用中文提问，我从已收录的政府公报中找出回答问题的原文条款，并给出准确出处（文件、文号、条款、公报期号和页码）。',
      },
    ];
    if (topics.length) blocks.push({ kind: 'list', title: '可以这样问：', items: topics.map((t) => `${t}有什么规定？`) });
    if (full) blocks.push({ kind: 'list', title: '命令：', items: COMMAND_HELP.map((c) => `/${c.command}${c.alias ? `（${c.alias}）` : ''} ${c.description}`) });
    return { blocks, actions: [] };
  }

  async function runCommand(msg: IncomingMessage, cmd: ParsedCommand): Promise<Reply> {
    const { corpus } = deps.corpus.current();
    switch (cmd.name) {
      case 'start':
      case 'help':
        return help(true);
      case 'more': {
        const s = deps.store.read().sessions[chatKey(msg)];
        if (!s) return text('还没有可以继续的问题，请先提问。');
        return answer(msg, s.query, s.shown);
      }
      case 'doc':
        return docOutline(cmd.args);
      case 'cite':
        return cite(cmd.args);
      case 'docs':
        return docList(corpus.files);
      case 'latest':
        return latest(corpus.files);
      case 'subscribe':
        return subscribe(msg, cmd.args);
      case 'unsubscribe':
        return unsubscribe(msg);
      case 'subscriptions':
        return subscriptions(msg);
      case 'useful':
      case 'useless':
        return feedback(msg, cmd.name === 'useful');
      case 'stats':
        return stats(msg);
    }
  }

  function findDoc(arg: string): { doc: PolicyDocument; file: CorpusFile } | undefined {
    const d = findDocument(deps.corpus.current().index, arg);
    return d ? { doc: d.doc, file: d.file } : undefined;
  }

  function docOutline(arg: string): Reply {
    if (!arg) return text('请给出文号或标题，例如：/doc 川办发〔2013〕52号');
    const f = findDoc(arg);
    if (!f) return text(`没有找到“${arg}”这个文件。发送 /docs 查看已收录的文件。`);
    const items = documentOutline(f.doc).map((e) => `${'　'.repeat(e.depth)}${e.heading}`);
    const where = [bulletinName(f.file.issue), pagesLabel(f.doc.pages)].filter(Boolean).join(' ');
    return {
      blocks: [
        { kind: 'text', text: `${documentName(f.doc)}${where ? `\n${where}` : ''}` },
        { kind: 'list', title: '目录：', items: items.length ? items : ['（无分级标题）'] },
      ],
      actions: [],
    };
  }

  function cite(arg: string): Reply {
    const usage = '请给出文号或标题和条款，例如：/cite 川办发〔2013〕52号 第十四条';
    if (!arg) return text(usage);
    const { index } = deps.corpus.current();
    const r = answerQuestion(index, arg, { limit: 50 });
    if (r.basis === 'clause-ref' && r.answered) {
      // the whole numbered section, in document order, with the citation of its first clause
      const full = (r.hits[0]!.unit ?? r.hits.map((h) => h.clause)).map((c) => c.text).join('\n');
      return { blocks: [{ kind: 'clause', text: full, citation: r.hits[0]!.citation }], actions: [] };
    }
    if (!r.analyzed.clauseRefs.length) return text(usage);
    return notFound(r, deps.corpus.current().corpus.files);
  }

  function docList(files: CorpusFile[]): Reply {
    if (files.length === 0) return text('还没有收录任何文件。');
    const blocks: ReplyBlock[] = files.map((f) => ({
      kind: 'list',
      title: f.issue ? `${bulletinName(f.issue)}${f.issue.date ? `（${f.issue.date}）` : ''}` : '单独收录的文件',
      items: f.documents.map((d) => `${d.docNumber} ${d.title}`.trim()),
    }));
    return { blocks, actions: [] };
  }

  function latest(files: CorpusFile[]): Reply {
    const issues = files.filter((f) => f.issue).sort((a, b) => b.issue!.year - a.issue!.year || b.issue!.number - a.issue!.number);
    const f = issues[0];
    if (!f) return text('还没有收录公报。');
    return {
      blocks: [
        {
          kind: 'list',
          title: `最新一期：${bulletinName(f.issue)}${f.issue!.date ? `（${f.issue!.date}）` : ''}`,
          items: f.documents.map((d) => `${d.docNumber} ${d.title}${d.pages ? ` ${pagesLabel(d.pages)}` : ''}`.trim()),
        },
      ],
      actions: [],
    };
  }

  async function subscribe(msg: IncomingMessage, args: string): Promise<Reply> {
    const topics = [...new Set(args.split(/[\s,，、;；]+/).map((t) => t.trim()).filter(Boolean))];
    if (topics.length > MAX_TOPICS) return text(`关键词最多${MAX_TOPICS}个。`);
    if (topics.some((t) => t.length > 20)) return text('每个关键词不超过20个字。');
    await deps.store.update((d) => {
      const now = iso();
      const s = d.subscribers.find((x) => x.channel === msg.channel && x.chatId === msg.chatId);
      if (s) {
        s.topics = topics;
        s.active = true;
        delete s.inactiveReason;
        s.updatedAt = now;
      } else {
        d.subscribers.push({ channel: msg.channel, chatId: msg.chatId, isGroup: msg.isGroup, topics, active: true, createdAt: now, updatedAt: now });
      }
    });
    const when = deps.pushTime ? `每天${deps.pushTime}检查，` : '';
    return text(
      topics.length
        ? `已订阅。${when}有新一期公报时，推送与“${topics.join('、')}”有关的文件和条款；没有相关内容时只发一条简短的目录提醒。`
        : `已订阅。${when}有新一期公报时推送其目录。可加关键词只收相关内容，例如：订阅 医保 住房`,
    );
  }

  async function unsubscribe(msg: IncomingMessage): Promise<Reply> {
    const was = await deps.store.update((d) => {
      const s = d.subscribers.find((x) => x.channel === msg.channel && x.chatId === msg.chatId && x.active);
      if (!s) return false;
      s.active = false;
      s.inactiveReason = 'unsubscribed';
      s.updatedAt = iso();
      return true;
    });
    return text(was ? '已退订，不再推送新一期公报。' : '当前没有订阅。');
  }

  function subscriptions(msg: IncomingMessage): Reply {
    const s = deps.store.read().subscribers.find((x) => x.channel === msg.channel && x.chatId === msg.chatId && x.active);
    if (!s) return text('当前没有订阅。发送 /subscribe 订阅新一期公报推送。');
    return text(s.topics.length ? `已订阅，关键词：${s.topics.join('、')}。` : '已订阅全部新一期公报。');
  }

  async function feedback(msg: IncomingMessage, useful: boolean): Promise<Reply> {
    const s = deps.store.read().sessions[chatKey(msg)];
    if (!s?.lastClauseId) return text('还没有可以评价的回答。');
    await deps.store.update((d) => {
      d.feedback.push({ channel: msg.channel, chatId: msg.chatId, userId: msg.userId, query: s.query, clauseId: s.lastClauseId!, useful, at: iso() });
    });
    return text(useful ? '谢谢反馈！' : '谢谢反馈，我们会改进。可以换个说法再问，或发送“更多”看其他结果。');
  }

  function stats(msg: IncomingMessage): Reply {
    const isAdmin = deps.admins.includes(`${msg.channel}:${msg.userId}`) || deps.admins.includes(msg.userId);
    if (!isAdmin) return text('这个命令仅限管理员使用。');
    const d = deps.store.read();
    const share = d.stats.asked ? Math.round((d.stats.answered / d.stats.asked) * 100) : 0;
    const active = d.subscribers.filter((s) => s.active);
    const byChannel = ['telegram', 'wechat', 'console'].map((c) => `${c} ${active.filter((s) => s.channel === c).length}`).join('，');
    const useful = d.feedback.filter((f) => f.useful).length;
    const top = [...d.unanswered].sort((a, b) => b.count - a.count).slice(0, 5);
    return {
      blocks: [
        {
          kind: 'list',
          title: '统计：',
          items: [
            `提问 ${d.stats.asked} 次，已回答 ${d.stats.answered} 次（${share}%）`,
            `订阅 ${active.length}（${byChannel}）`,
            `反馈 ${d.feedback.length} 条，有用 ${useful} 条`,
          ],
        },
        { kind: 'list', title: '最常见的未回答问题：', items: top.length ? top.map((u) => `${u.query}（${u.count}次）`) : ['无'] },
      ],
      actions: [],
    };
  }

  function lookup(query: string, limit: number): Array<{ id: string; text: string; citation: Citation }> {
    const q = stripControlChars(query).trim().slice(0, deps.maxQuestionLength);
    if (!q) return [];
    const r = answerQuestion(deps.corpus.current().index, q, { limit });
    return r.answered ? r.hits.map((h) => ({ id: h.clause.id, text: h.passage, citation: h.citation })) : [];
  }

  return { handle, lookup };
}
