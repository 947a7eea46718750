import { bulletinName, pagesLabel } from '../answer/citation.ts';
import type { CorpusFile } from '../corpus/types.ts';
import type { Reply, ReplyBlock } from '../conversation/types.ts';
import { buildIndex } from '../search/inverted-index.ts';
import { answerQuestion } from '../answer/answer.ts';
import type { TextTools } from '../text/toolkit.ts';

/** Builds push messages for one new file: the full notice, and per-topic selections. */
export interface IssueComposer {
  /** The reply for a subscriber with these topics (empty = everything). */
  forTopics(topics: readonly string[]): Reply;
}

const CLAUSES_PER_TOPIC = 3;
/** A push quotes shorter passages than a chat answer: several clauses share one message. */
const PUSH_PASSAGE = 300;

/** Title line of a push: "新一期：绵阳市人民政府公报 2013年第14号（总第394号）（2013-08-15）". */
export function pushTitle(file: CorpusFile): string {
  if (!file.issue) return `新收录文件：${file.documents.map((d) => d.docNumber).join('、')}`;
  return `新一期：${bulletinName(file.issue)}${file.issue.date ? `（${file.issue.date}）` : ''}`;
}

/**
 * Composes pushes for a file. A topic subscriber gets the documents and clauses that match
 * any topic, each clause with its citation; one with no match gets a one-line notice that the
 * issue is out and holds nothing on its topics (so nobody wonders whether the push broke).
 */
export function createIssueComposer(file: CorpusFile, tools: TextTools): IssueComposer {
  const docs = file.documents.map((d) => `${d.docNumber} ${d.title}${d.pages ? ` ${pagesLabel(d.pages)}` : ''}`);
  let index: ReturnType<typeof buildIndex> | undefined;
  const cache = new Map<string, Reply>();
  return {
    forTopics(topics) {
      const key = [...topics].sort().join('\u0000');
      const hit = cache.get(key);
      if (hit) return hit;
      let reply: Reply;
      if (topics.length === 0) {
        reply = {
          blocks: [
            { kind: 'list', title: pushTitle(file), items: docs },
            { kind: 'text', text: '发送 /doc 文号 查看文件目录，或直接提问。' },
          ],
          actions: [],
        };
      } else {
        index ??= buildIndex({ files: [file] }, tools);
        const blocks: ReplyBlock[] = [];
        const seen = new Set<string>();
        const matchedDocs = new Set<string>();
        for (const topic of topics) {
          const r = answerQuestion(index, topic, { limit: CLAUSES_PER_TOPIC, maxPassage: PUSH_PASSAGE });
          if (!r.answered) continue;
          for (const h of r.hits) {
            if (seen.has(h.clause.id)) continue;
            seen.add(h.clause.id);
            matchedDocs.add(h.doc.docNumber);
            blocks.push({ kind: 'clause', text: h.passage, citation: h.citation });
          }
        }
        if (blocks.length === 0) {
          reply = {
            blocks: [
              {
                kind: 'text',
                text: `${pushTitle(file)}，共${file.documents.length}个文件，没有与“${topics.join('、')}”直接相关的内容。发送 /latest 查看目录。`,
              },
            ],
            actions: [],
          };
        } else {
          const docLines = file.documents.filter((d) => matchedDocs.has(d.docNumber)).map((d) => `${d.docNumber} ${d.title}`);
          reply = { blocks: [{ kind: 'list', title: `${pushTitle(file)} · 与“${topics.join('、')}”相关：`, items: docLines }, ...blocks], actions: [] };
        }
      }
      cache.set(key, reply);
      return reply;
    },
  };
}
