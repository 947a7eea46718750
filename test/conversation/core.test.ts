import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openStore, storeDir } from '../../src/store/open.ts';
import { join } from 'node:path';
import { flat, harness, msg } from './harness.ts';

describe('conversation core', () => {
  it('answers a question with the clause, its citation, and how many more there are', async () => {
    const { conv } = await harness();
    const r = await conv.handle(msg('新农合政府补助标准是多少钱'));
    const clause = r!.blocks.find((b) => b.kind === 'clause');
    expect(clause && clause.kind === 'clause' && clause.text).toContain('每人每年280元');
    expect(clause && clause.kind === 'clause' && clause.citation.docNumber).toBe('川办发〔2013〕52号');
    expect(r!.actions.find((a) => a.kind === 'more')).toMatchObject({ kind: 'more' });
    expect(r!.actions.find((a) => a.kind === 'feedback')).toBeTruthy();
  });

  it('pages with /more and 更多 through the same results, then says there are no more', async () => {
    const { conv } = await harness();
    const first = await conv.handle(msg('新农合'));
    const more = first!.actions.find((a) => a.kind === 'more');
    expect(more).toBeTruthy();
    const total = 1 + (more as { remaining: number }).remaining;
    const seen = new Set([flat(first)]);
    for (let i = 1; i < total; i++) seen.add(flat(await conv.handle(msg(i % 2 ? '更多' : '/more'))));
    expect(seen.size).toBe(total);
    expect(flat(await conv.handle(msg('更多')))).toMatch(/没有更多结果/);
  });

  it('/cite returns the exact clause with its citation line', async () => {
    const { conv } = await harness();
    const r = await conv.handle(msg('/cite 川办发〔2013〕52号 第十四条'));
    const b = r!.blocks[0]!;
    expect(b.kind).toBe('clause');
    if (b.kind !== 'clause') return;
    expect(b.text).toContain('全面推进县级公立医院取消药品加成改革');
    expect(b.citation.label).toMatch(
      /^《四川省人民政府办公厅关于印发.*》（川办发〔2013〕52号）三、（十四） · 绵阳市人民政府公报 2013年第13号（总第393号） · 第25–27页$/,
    );
    expect(flat(await conv.handle(msg('/cite 川办发〔2013〕52号 第九十条')))).toMatch(/没有找到这个条款/);
    expect(flat(await conv.handle(msg('/cite')))).toMatch(/请给出文号或标题和条款/);
  });

  it('/doc, /docs, /latest, /help (帮助)', async () => {
    const { conv } = await harness();
    expect(flat(await conv.handle(msg('/doc 川办发52号')))).toContain('三、积极推进公立医院改革');
    expect(flat(await conv.handle(msg('/doc 国发〔2099〕1号')))).toMatch(/没有找到/);
    expect(flat(await conv.handle(msg('/doc 宽带中国战略')))).toContain('（国发〔2013〕31号）');
    expect(flat(await conv.handle(msg('/doc 保障性安居工程联席会议')))).toContain('（绵府办发〔2013〕53号）');
    expect(flat(await conv.handle(msg('/doc 火星移民计划')))).toMatch(/没有找到/);
    expect(flat(await conv.handle(msg('文件列表')))).toContain('绵府办发〔2013〕53号');
    expect(flat(await conv.handle(msg('/latest')))).toContain('最新一期：绵阳市人民政府公报 2013年第13号');
    const help = flat(await conv.handle(msg('帮助')));
    expect(help).toContain('/cite');
    expect(help).toMatch(/可以这样问/);
  });

  it('subscribes with topics, lists, unsubscribes (订阅 / 退订)', async () => {
    const { conv, store } = await harness();
    expect(flat(await conv.handle(msg('/subscribe 医保 住房')))).toMatch(/已订阅/);
    expect(await store.subscribers()).toMatchObject([{ channel: 'console', chatId: 'c1', topics: ['医保', '住房'], active: true }]);
    expect(flat(await conv.handle(msg('/subscriptions')))).toContain('医保、住房');
    await conv.handle(msg('订阅'));
    expect(await store.subscribers()).toHaveLength(1);
    expect((await store.subscribers())[0]!.topics).toEqual([]);
    expect(flat(await conv.handle(msg('退订')))).toMatch(/已退订/);
    expect((await store.subscribers())[0]!.active).toBe(false);
    expect(flat(await conv.handle(msg('退订')))).toMatch(/没有订阅/);
  });

  it('records feedback on the last answer', async () => {
    const { conv, store, dir } = await harness();
    expect(flat(await conv.handle(msg('有用')))).toMatch(/还没有可以评价/);
    await conv.handle(msg('联席会议多久开一次会'));
    await conv.handle(msg('有用'));
    await conv.handle(msg('没用'));
    expect(await store.stats()).toMatchObject({ feedback: 2, useful: 1 });
    const lines = (await readFile(join(storeDir(dir), 'feedback.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { useful: boolean; query: string; clauseId: string });
    expect(lines.map((f) => [f.useful, f.query])).toEqual([
      [true, '联席会议多久开一次会'],
      [false, '联席会议多久开一次会'],
    ]);
    expect(lines[0]!.clauseId).toMatch(/^绵府办发〔2013〕53号:1:三、（一）/);
  });

  it('shows /stats to admins only', async () => {
    const { conv } = await harness();
    await conv.handle(msg('新农合补助'));
    await conv.handle(msg('怎么考驾照'));
    await conv.handle(msg('怎么考驾照'));
    expect(flat(await conv.handle(msg('/stats')))).toMatch(/仅限管理员/);
    const s = flat(await conv.handle(msg('/stats', { userId: 'admin' })));
    expect(s).toContain('提问 3 次，已回答 1 次（33%）');
    expect(s).toContain('怎么考驾照（2次）');
  });

  it('says plainly when nothing relevant is found, and suggests what it can answer', async () => {
    const { conv } = await harness();
    const t = flat(await conv.handle(msg('明天会下雨吗')));
    expect(t).toMatch(/没有找到与这个问题相关的政策条款/);
    expect(t).toMatch(/可以问问：/);
  });

  it('stays silent in groups unless mentioned, replied to, or given a command', async () => {
    const { conv } = await harness();
    expect(await conv.handle(msg('新农合补助标准', { isGroup: true }))).toBeNull();
    expect(await conv.handle(msg('新农合补助标准', { isGroup: true, mentionsBot: true }))).not.toBeNull();
    expect(await conv.handle(msg('新农合补助标准', { isGroup: true, isReplyToBot: true }))).not.toBeNull();
    expect(await conv.handle(msg('/help', { isGroup: true }))).not.toBeNull();
  });

  it('rate-limits floods per user with a friendly message, and recovers after a minute', async () => {
    const { conv, clock } = await harness({ ratePerMinute: 3 });
    for (let i = 0; i < 3; i++) expect(flat(await conv.handle(msg('新农合')))).not.toMatch(/稍后再试/);
    expect(flat(await conv.handle(msg('新农合')))).toMatch(/请稍后再试/);
    expect(flat(await conv.handle(msg('新农合', { userId: 'u2' })))).not.toMatch(/稍后再试/);
    clock.advance(61_000);
    expect(flat(await conv.handle(msg('新农合')))).not.toMatch(/稍后再试/);
  });

  it('limits question length, strips control characters, and survives anything typed', async () => {
    const { conv, store } = await harness();
    expect(flat(await conv.handle(msg('问'.repeat(201))))).toMatch(/问题太长了/);
    expect(flat(await conv.handle(msg('新农合\u0000\u0007补助标准')))).toContain('280');
    for (const t of ['', '   ', '/', '/unknown', '/cite 川办发', '\ud800', '<b>x</b>', '更多更多', `/subscribe ${'词'.repeat(30)}`]) {
      await expect(conv.handle(msg(t))).resolves.toBeDefined();
    }
    // bad input changed nothing it should not have
    expect(await store.subscribers()).toEqual([]);
  });

  it('keeps paging state across a restart (it lives in the store)', async () => {
    const { conv, dir, clock } = await harness();
    await conv.handle(msg('新农合'));
    const again = await openStore({ dataDir: dir, now: () => clock.now() });
    expect(await again.session('console:c1', Date.UTC(2026, 0, 1, 1))).toMatchObject({ query: '新农合', shown: 1 });
  });
});
