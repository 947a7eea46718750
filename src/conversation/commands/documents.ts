import { answerQuestion } from '../../answer/answer.ts';
import { bulletinName, documentName, pagesLabel } from '../../answer/citation.ts';
import { documentOutline } from '../../answer/outline.ts';
import type { CorpusFile } from '../../corpus/types.ts';
import { findDocument } from '../../search/documents.ts';
import { notFoundReply } from '../answer-reply.ts';
import { textReply } from '../context.ts';
import type { Reply, ReplyBlock } from '../types.ts';
import type { Command } from './command.ts';

/** /doc: a document's outline, found by 文号, title or short name. */
export const docCommand: Command = {
  name: 'doc',
  aliases: ['文件'],
  takesArgs: true,
  help: { alias: '文件', description: '文件目录：/doc 川办发〔2013〕52号' },
  handle(deps, _msg, arg) {
    if (!arg) return textReply('请给出文号或标题，例如：/doc 川办发〔2013〕52号');
    const f = findDocument(deps.corpus.current().index, arg);
    if (!f) return textReply(`没有找到“${arg}”这个文件。发送 /docs 查看已收录的文件。`);
    const items = documentOutline(f.doc).map((e) => `${'　'.repeat(e.depth)}${e.heading}`);
    const where = [bulletinName(f.file.issue), pagesLabel(f.doc.pages)].filter(Boolean).join(' ');
    return {
      blocks: [
        { kind: 'text', text: `${documentName(f.doc)}${where ? `\n${where}` : ''}` },
        { kind: 'list', title: '目录：', items: items.length ? items : ['（无分级标题）'] },
      ],
      actions: [],
    };
  },
};

/** /cite: a numbered clause (the whole numbered section) with its citation. */
export const citeCommand: Command = {
  name: 'cite',
  aliases: ['引用'],
  takesArgs: true,
  help: { alias: '引用', description: '引用条款：/cite 川办发〔2013〕52号 第十四条' },
  handle(deps, _msg, arg) {
    const usage = '请给出文号或标题和条款，例如：/cite 川办发〔2013〕52号 第十四条';
    if (!arg) return textReply(usage);
    const { index, corpus } = deps.corpus.current();
    const r = answerQuestion(index, arg, { limit: 50 });
    if (r.basis === 'clause-ref' && r.answered) {
      // the whole numbered section, in document order, with the citation of its first clause
      const full = (r.hits[0]!.unit ?? r.hits.map((h) => h.clause)).map((c) => c.text).join('\n');
      return { blocks: [{ kind: 'clause', text: full, citation: r.hits[0]!.citation }], actions: [] };
    }
    if (!r.analyzed.clauseRefs.length) return textReply(usage);
    return notFoundReply(deps, r, corpus.files);
  },
};

/** A document as listed: 文号 and title (the title alone when it has no 文号). */
const listed = (d: CorpusFile['documents'][number]): string => `${d.docNumber} ${d.title}`.trim();

/** /docs: every issue and document. */
export const docsCommand: Command = {
  name: 'docs',
  aliases: ['文件列表'],
  takesArgs: false,
  help: { alias: '文件列表', description: '已收录的公报和文件' },
  handle(deps) {
    const { files } = deps.corpus.current().corpus;
    if (files.length === 0) return textReply('还没有收录任何文件。');
    const blocks: ReplyBlock[] = files.map((f) => ({
      kind: 'list',
      title: f.issue ? `${bulletinName(f.issue)}${f.issue.date ? `（${f.issue.date}）` : ''}` : '单独收录的文件',
      items: f.documents.map(listed),
    }));
    return { blocks, actions: [] };
  },
};

/** /latest: the newest bulletin issue and its documents. */
export const latestCommand: Command = {
  name: 'latest',
  aliases: ['最新一期', '最新'],
  takesArgs: false,
  help: { alias: '最新一期', description: '最新一期公报' },
  handle(deps): Reply {
    const issues = deps.corpus
      .current()
      .corpus.files.filter((f) => f.issue)
      .sort((a, b) => b.issue!.year - a.issue!.year || b.issue!.number - a.issue!.number);
    const f = issues[0];
    if (!f) return textReply('还没有收录公报。');
    return {
      blocks: [
        {
          kind: 'list',
          title: `最新一期：${bulletinName(f.issue)}${f.issue!.date ? `（${f.issue!.date}）` : ''}`,
          items: f.documents.map((d) => `${listed(d)}${d.pages ? ` ${pagesLabel(d.pages)}` : ''}`),
        },
      ],
      actions: [],
    };
  },
};
