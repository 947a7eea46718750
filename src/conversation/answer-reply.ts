import { answerQuestion, type SearchResponse } from '../answer/answer.ts';
import { exampleTopics } from '../answer/suggestions.ts';
import type { CorpusFile } from '../corpus/types.ts';
import { findTitleIn } from '../search/documents.ts';
import { formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import { chatKey, nowIso, textReply, type ConversationDeps } from './context.ts';
import type { IncomingMessage, Reply } from './types.ts';

/** Most results kept for paging with 更多. */
const MAX_RESULTS = 20;

/**
 * Answers a question from its `offset`-th result on (0: a new question, counted for /stats;
 * later: the next page for 更多), remembering the chat's paging state.
 */
export async function answerReply(deps: ConversationDeps, msg: IncomingMessage, query: string, offset: number): Promise<Reply> {
  const { corpus, index } = deps.corpus.current();
  const r = answerQuestion(index, query, { limit: MAX_RESULTS });
  if (offset === 0) await deps.store.recordQuestion({ query, key: normalizeKey(query).slice(0, 100), answered: r.answered }, nowIso(deps));
  if (!r.answered) {
    await deps.store.setSession(chatKey(msg), null);
    return notFoundReply(deps, r, corpus.files);
  }
  const page = r.hits.slice(offset, offset + deps.pageSize);
  if (page.length === 0) return textReply('没有更多结果了。可以换个说法再问。');
  const shown = offset + page.length;
  const first = page[0]!;
  await deps.store.setSession(chatKey(msg), { query, shown, lastClauseId: first.clause.id, at: nowIso(deps) });
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

/** Why nothing was found: an unknown 文号, a missing clause, or no relevant clause (with topics to try). */
export function notFoundReply(deps: ConversationDeps, r: SearchResponse, files: CorpusFile[]): Reply {
  const d = r.analyzed.docRefs[0];
  if (r.basis === 'doc-not-found' && d) return textReply(`没有收录文号为 ${formatDocNumber(d)} 的文件。发送 /docs 查看已收录的文件。`);
  if (r.basis === 'clause-not-found') {
    // the document named (by 文号 or whole title) lacks the clause: its outline; else how to name one
    const named = d ? formatDocNumber(d) : findTitleIn(deps.corpus.current().index, r.analyzed.key)?.doc.title;
    if (named) return textReply(`没有找到这个条款。发送 /doc ${named} 查看该文件的目录。`);
    const law = files.flatMap((f) => f.documents).find((x) => !x.docNumber)?.title;
    return textReply(`没有找到这个条款。请同时给出文号或文件标题，例如：川办发〔2013〕52号 第十四条${law ? `，${law} 第一条` : ''}`);
  }
  const topics = exampleTopics({ files }, 4, deps.corpus.current().index.tools.synonyms);
  return textReply(`没有找到与这个问题相关的政策条款。${topics.length ? `可以问问：${topics.join('、')}等，` : ''}或发送 /help 看看能问什么。`);
}
