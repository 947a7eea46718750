import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/text/lines.ts';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(Readable.from(chunks))) out.push(line);
  return out;
}

describe('readLines', () => {
  // node:readline ends a line at a bare "\\r", so one pasted question was answered as two
  it('keeps a bare \\r inside one line', async () => {
    expect(await collect(['低保\r标准是多少\n下一个'])).toEqual(['低保 标准是多少', '下一个']);
  });
  it('drops the \\r of \\r\\n endings and keeps a last line without newline', async () => {
    expect(await collect(['一\r\n二\r\n三'])).toEqual(['一', '二', '三']);
  });
  it('joins a character split across chunks', async () => {
    const bytes = Buffer.from('高龄津贴\n');
    expect(await collect([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual(['高龄津贴']);
  });
});
