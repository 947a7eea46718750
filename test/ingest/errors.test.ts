import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPolicyBotError, type ErrorCode } from '../../src/errors.ts';
import { decodeBulletin } from '../../src/ingest/decode.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import { FIXTURES } from '../helpers.ts';

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (isPolicyBotError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('malformed input is rejected with a code and a place', () => {
  it('empty file', () => {
    expect(codeOf(() => decodeBulletin(new Uint8Array(), 'x.md'))).toBe('INPUT_EMPTY');
    expect(codeOf(() => decodeBulletin(new TextEncoder().encode('  \n\n '), 'x.md'))).toBe('INPUT_EMPTY');
  });

  it('binary file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    expect(codeOf(() => decodeBulletin(png, 'x.png'))).toBe('INPUT_BINARY');
  });

  it('text in no supported encoding', () => {
    // Latin-1 bytes that are neither UTF-8 nor meaningful GB18030 Chinese
    const bytes = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x0a]);
    expect(codeOf(() => decodeBulletin(bytes, 'x.md'))).toBe('INPUT_ENCODING');
  });

  it('GB18030 and UTF-16 text is decoded, not rejected', () => {
    const utf8 = readFileSync(join(FIXTURES, 'single-regulation.md'), 'utf8');
    expect(decodeBulletin(readFileSync(join(FIXTURES, 'single-regulation.gb18030.md')), 'x.md')).toBe(utf8);
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(utf8, 'utf16le'))]);
    expect(decodeBulletin(utf16, 'x.md')).toBe(utf8);
  });

  it('no document in the file', () => {
    expect(codeOf(() => parseBulletin('只是一些文字，没有标题也没有文号。', 'x.md'))).toBe('NO_DOCUMENT');
    // a 文号 is no longer required: the message says what is
    expect(() => parseBulletin('只是一些文字，没有标题也没有文号。', 'x.md')).toThrow(
      /expected its title on the first line .* and its text below .*not required/,
    );
  });

  it('a notice without 文号 is known by its title', () => {
    const f = parseFileBytes(readFileSync(join(FIXTURES, 'no-docnumber.md')), 'no-docnumber.md');
    expect(f.documents.map((d) => [d.docNumber, d.docKey, d.title])).toEqual([['', '德阳市关于某事的通知', '德阳市关于某事的通知']]);
  });

  it('a title with no text under it is no document', () => {
    expect(codeOf(() => parseBulletin('# 某某条例\n', 'x.md'))).toBe('NO_DOCUMENT');
  });
});
