import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { FIXTURES } from '../helpers.ts';
import { textTools } from '../search/fixtures.ts';
import { corpusSource } from '../../src/corpus/source.ts';
import { flat, harness, msg } from './harness.ts';

describe('/doc and /cite over regulations without 文号', () => {
  it('finds them by title or short name and cites 《标题》第X条 (年 修订)', async () => {
    const files = ['local-chongqing-0038.md', 'admin-reg-0255.md'].map((n) => parseFileBytes(readFileSync(join(FIXTURES, 'regs-qa', n)), n));
    const tools = textTools();
    const corpus = corpusSource({ corpus: { files }, index: buildIndex({ files }, tools), tools });
    const { conv } = await harness({ corpus });
    const doc = flat(await conv.handle(msg('/doc 重庆失业保险条例')));
    expect(doc).toMatch(/^《重庆市失业保险条例》（2011年修正）/);
    expect(doc).toContain('第三章 失业保险待遇');
    const cite = flat(await conv.handle(msg('/cite 重庆市失业保险条例 第四条第二款')));
    expect(cite).toBe('市人民政府应当建立失业保险调剂基金。\n《重庆市失业保险条例》第四条第二款 (2011年修正)');
    expect(flat(await conv.handle(msg('/cite 城市居民最低生活保障条例第二条')))).toMatch(
      /^第二条持有非农业户口的城市居民[\s\S]*前款所称收入[\s\S]*《城市居民最低生活保障条例》第二条 \(1999年发布\)$/,
    );
    // a law named by its title but without that clause: its outline; no document named: a 文号 or a title
    expect(flat(await conv.handle(msg('/cite 重庆市失业保险条例 第九十九条')))).toBe('没有找到这个条款。发送 /doc 重庆市失业保险条例 查看该文件的目录。');
    expect(flat(await conv.handle(msg('/cite 第九十九条')))).toMatch(
      /^没有找到这个条款。请同时给出文号或文件标题，例如：川办发〔2013〕52号 第十四条，.+ 第一条$/,
    );
  });
});
