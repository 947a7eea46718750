import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackRejected } from './errors.ts';

/** A callback message: the top-level fields of `<xml>…</xml>`, as strings (MsgId stays exact). */
export type CallbackFields = Record<string, string>;

const parser = new XMLParser({
  ignoreAttributes: true,
  // every value stays a string: a MsgId has 19 digits and must not become a float
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});
const builder = new XMLBuilder({ cdataPropName: '#cdata', format: false, processEntities: false, suppressEmptyNode: false });

/**
 * Parses the XML body of a WeChat callback. Throws CallbackRejected(400) for anything that is not
 * a well-formed `<xml>` document, and for DOCTYPE/ENTITY declarations (never expanded).
 * Nested elements (e.g. ScanCodeInfo) are left out; WeChat's text fields are all top level.
 */
export function parseCallbackXml(body: string): CallbackFields {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new CallbackRejected(400, 'XML with a DOCTYPE is refused');
  if (XMLValidator.validate(body) !== true) throw new CallbackRejected(400, 'malformed XML');
  const doc = parser.parse(body) as Record<string, unknown>;
  const root = doc['xml'];
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new CallbackRejected(400, 'expected an <xml> root element');
  const out: CallbackFields = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Builds `<xml>…</xml>` from fields: strings go in CDATA sections (a "]]>" inside is split
 * safely), numbers as plain text — the shape WeChat expects in passive replies.
 */
export function buildCallbackXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) xml[k] = typeof v === 'number' ? String(v) : { '#cdata': v };
  return builder.build({ xml }) as string;
}
