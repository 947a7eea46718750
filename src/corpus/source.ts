import type { OpenCorpus } from './open.ts';

/** The corpus in use now; the push cycle swaps in a new one after ingesting an issue. */
export interface CorpusSource {
  current(): OpenCorpus;
  replace(next: OpenCorpus): void;
}

/** A source holding one corpus until replaced. */
export function corpusSource(initial: OpenCorpus): CorpusSource {
  let c = initial;
  return {
    current: () => c,
    replace: (next) => {
      c = next;
    },
  };
}
