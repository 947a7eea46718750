import type { ParseWarning } from '../../corpus/types.ts';
import { PolicyBotError } from '../../errors.ts';

/** A web page turned into the markdown the structure parser reads. */
export interface ConvertedPage {
  text: string;
  warnings: ParseWarning[];
}

/** Placeholder until the HTML front-end lands. */
export function htmlToMarkdown(_bytes: Uint8Array, name: string): ConvertedPage {
  throw new PolicyBotError('INPUT_BINARY', `${name}: web pages are not supported yet`, { source: name });
}
