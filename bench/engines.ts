import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import type { Corpus } from '../src/corpus/types.ts';
import { buildIndex } from '../src/search/index.ts';
import { answerQuestion } from '../src/answer/answer.ts';
import { createTextTools } from '../src/text/toolkit.ts';

/** A search engine under measurement: build over a corpus, then answer questions. */
export interface Engine {
  name: string;
  build(corpus: Corpus): void;
  query(q: string): unknown;
}

interface Row {
  id: number;
  text: string;
  heading: string;
  title: string;
}

function rows(corpus: Corpus): Row[] {
  const out: Row[] = [];
  for (const f of corpus.files) for (const d of f.documents) for (const c of d.clauses) out.push({ id: out.length, text: c.text, heading: c.headings.join(' > '), title: d.title });
  return out;
}

/** PolicyBot's own index and ranking. */
export function ours(): Engine {
  const tools = createTextTools();
  let index: ReturnType<typeof buildIndex> | undefined;
  return {
    name: 'policybot',
    build: (corpus) => {
      index = buildIndex(corpus, tools);
    },
    query: (q) => answerQuestion(index!, q, { limit: 5 }),
  };
}

/** fuse.js as a user would set it up for long text: ignoreLocation, threshold 0.6. */
export function fuseBaseline(): Engine {
  let fuse: Fuse<Row> | undefined;
  return {
    name: 'fuse.js',
    build: (corpus) => {
      fuse = new Fuse(rows(corpus), { keys: ['text', 'heading', 'title'], ignoreLocation: true, threshold: 0.6, includeScore: true });
    },
    query: (q) => fuse!.search(q, { limit: 5 }),
  };
}

/** minisearch with an Intl.Segmenter (ICU) word tokenizer for Chinese. */
export function minisearchBaseline(): Engine {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  const tokenize = (s: string): string[] => [...seg.segment(s)].filter((x) => x.isWordLike).map((x) => x.segment);
  let ms: MiniSearch<Row> | undefined;
  return {
    name: 'minisearch',
    build: (corpus) => {
      ms = new MiniSearch<Row>({ fields: ['text', 'heading', 'title'], idField: 'id', tokenize, processTerm: (t) => t.toLowerCase() });
      ms.addAll(rows(corpus));
    },
    query: (q) => ms!.search(q).slice(0, 5),
  };
}
