import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../../helpers.ts';
import { typesetBulletin } from '../../ingest/bulletin-pdf.ts';
import { multipart, startTestServer, TOKEN } from './harness.ts';

/** Debian's chromium, installed by .ci/run (apt-get) — the real browser, not a bundled one. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = join(ROOT, 'docs/screenshots');

let t: Awaited<ReturnType<typeof startTestServer>>;
let context: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: .ci/run installs it; by hand (as root): apt-get update && apt-get install -y chromium fonts-wqy-microhei`);
  }
  t = await startTestServer();
  profile = await mkdtemp(join(tmpdir(), 'policybot-chromium-'));
  // launchPersistentContext is how playwright takes a fresh --user-data-dir
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 800 },
    locale: 'zh-CN',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.server.url });
  page = context.pages()[0] ?? (await context.newPage());
  await mkdir(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await context?.close();
  await t?.server.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('staff console in headless Chromium', () => {
  it('shows cited clauses as you type, highlighted, and copies the citation', async () => {
    await page.goto(`${t.server.url}/`);
    await page.locator('#q').pressSequentially('新农合政府补助标准', { delay: 20 });
    const first = page.locator('#results .hit').first();
    await first.waitFor();
    await expect.poll(() => first.locator('.cite').textContent()).toContain('（川办发〔2013〕52号）');
    expect(await first.locator('.text').textContent()).toContain('280元');
    expect(await first.locator('.text mark').allTextContents()).toEqual(expect.arrayContaining(['新农合']));
    expect(await first.locator('.path').textContent()).toContain('一、加快健全全民医保体系 › （一）继续做好扩面提标工作');
    expect(page.url()).toContain('/?q=');
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: false });

    await first.locator('button.copy').click();
    await expect.poll(() => first.locator('button.copy').textContent()).toBe('已复制');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toMatch(
      /^（一）继续做好扩面提标工作。.*280元.* —— 《四川省人民政府办公厅关于印发.*》（川办发〔2013〕52号）一、（一） · 绵阳市人民政府公报 2013年第13号（总第393号） · 第25–27页$/s,
    );
  });

  it("opens the document's clause link (after logging in) at that clause", async () => {
    const first = page.locator('#results .hit').first();
    const href = await first.locator('a.open').getAttribute('href');
    expect(href).toMatch(/^\/doc\/.+#c\d+$/);
    await first.locator('a.open').click();
    await page.waitForURL(/\/login\?next=/);
    await page.locator('input[name=token]').fill(TOKEN);
    await page.locator('form.login button[type=submit]').click();
    // the login carries the #clause through, so staff land on the clause itself
    await page.waitForURL(`${t.server.url}${href}`);
    const anchor = href!.split('#')[1]!;
    const target = page.locator(`#${anchor}`);
    expect(await target.evaluate((el) => el.matches(':target'))).toBe(true);
    expect(await target.locator('p').textContent()).toContain('280元');
    expect(await page.locator('h1').textContent()).toBe('四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知');
    expect(await page.locator('.outline li').count()).toBeGreaterThan(5);
    // the deep-linked clause with the headings above it in view
    await page.evaluate(`document.getElementById('${anchor}').scrollIntoView(); window.scrollBy(0, -220)`);
    await page.screenshot({ path: join(SHOTS, 'document.png'), fullPage: false });
  });

  it('uploads a bulletin with progress and shows it in the list', async () => {
    await page.goto(`${t.server.url}/docs`);
    expect(await page.locator('#doc-list').textContent()).not.toContain('遂府办发〔2014〕12号');
    await page.locator('#upload-file').setInputFiles(join(FIXTURES, 'bulletin-other.md'));
    await page.locator('#upload-form button[type=submit]').click();
    const summary = page.locator('#upload-result .summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('已收录：bulletin-other.md');
    expect(await page.locator('#upload-progress').getAttribute('value')).toBe('100');
    await expect.poll(() => page.locator('#doc-list').textContent()).toContain('遂府办发〔2014〕12号');
    expect(await readdir(join(t.dir, 'bulletins'))).toContain('bulletin-other.md');
  });

  it('refuses a bad file with a clear message and changes nothing', async () => {
    const before = await readdir(join(t.dir, 'bulletins'));
    await page
      .locator('#upload-file')
      .setInputFiles({ name: 'scan.md', mimeType: 'text/markdown', buffer: Buffer.from(Array.from({ length: 800 }, (_, i) => i % 5)) });
    await page.locator('#upload-form button[type=submit]').click();
    const refused = page.locator('#upload-result .refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('INPUT_BINARY');
    expect(await refused.textContent()).toContain('scan.md');
    expect(await readdir(join(t.dir, 'bulletins'))).toEqual(before);
  });

  it('uploads a PDF and a web page through the form, converted, and lists them', async () => {
    await page.goto(`${t.server.url}/docs`);
    const { pdf } = await typesetBulletin(await readFile(join(FIXTURES, 'mianyang-2013-14.md'), 'utf8'));
    await page.locator('#upload-file').setInputFiles({ name: '绵阳公报第14号.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.locator('#upload-form button[type=submit]').click();
    // converting a PDF takes a moment (pdf.js); wait for the answer, whichever it is
    await page.locator('#upload-result :is(.summary, .refused)').waitFor();
    expect(await page.locator('#upload-result').textContent()).toContain('由 PDF 转换');
    expect(await page.locator('#upload-result .summary').textContent()).toContain('绵府发〔2013〕21号');
    await page.locator('#upload-file').setInputFiles(join(FIXTURES, 'html/plain-layout.html'));
    await page.locator('#upload-form button[type=submit]').click();
    await expect.poll(() => page.locator('#upload-result').textContent(), { timeout: 10_000 }).toContain('由网页转换');
    const html = await page.locator('#upload-result .summary li a').first().textContent();
    await expect.poll(() => page.locator('#doc-list').textContent()).toContain('绵府发〔2013〕21号');
    expect(await page.locator('#doc-list').textContent()).toContain(html!.split(' ')[0]);
  });

  it('lists unanswered questions (most frequent first) and 👎 feedback, each searchable in one click', async () => {
    const at = '2026-11-01T00:00:00.000Z';
    for (let i = 0; i < 3; i++) await t.app.store.recordQuestion({ query: '犬只登记去哪办', key: '犬只登记去哪办', answered: false }, at);
    await t.app.store.recordQuestion({ query: '<b>公积金</b>', key: '公积金', answered: false }, at);
    const clause = t.app.corpus.current().index.clauses[0]!.clause;
    await t.app.store.addFeedback({ channel: 'telegram', chatId: '9', userId: '9', query: '新农合报销比例', clauseId: clause.id, useful: false, at });
    await t.app.store.addFeedback({ channel: 'telegram', chatId: '9', userId: '9', query: '好评的问题', clauseId: clause.id, useful: true, at });
    await page.goto(`${t.server.url}/review`);
    const rows = page.locator('#unanswered tbody tr');
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(['犬只登记去哪办', '<b>公积金</b>']);
    expect(await page.locator('#feedback tbody tr td:first-child').allTextContents()).toEqual(['新农合报销比例']);
    await page.locator('#feedback tbody tr').first().locator('a', { hasText: '搜索' }).click();
    await page.waitForURL(/\/\?q=/);
    expect(await page.locator('#q').inputValue()).toBe('新农合报销比例');
    expect(await page.locator('#results .hit').count()).toBeGreaterThan(0);
  });

  it('shows subscriber counts, previews and runs a push, and keeps its history', async () => {
    await t.app.store.subscribe({ channel: 'telegram', chatId: '424242', isGroup: false, topics: [] }, '2026-11-01T00:00:00.000Z');
    const pushButton = (label: string) => page.locator('form[action="/push"]').filter({ hasText: label }).locator('button');
    await page.goto(`${t.server.url}/subscribers`);
    expect(await page.locator('main').textContent()).toContain('有效订阅 1');
    // the first run records what the corpus holds as announced: a fresh install pushes nothing old
    await pushButton('立即推送').click();
    await expect.poll(() => page.locator('.summary').textContent()).toContain('没有新一期需要推送');
    const m = multipart('deyang.md', await readFile(join(FIXTURES, 'single-regulation.md')));
    expect((await t.get('/api/ingest', { method: 'POST', auth: true, body: m.body, headers: { 'content-type': m.contentType } })).status).toBe(201);
    await pushButton('预览').click();
    await expect.poll(() => page.locator('.summary').textContent()).toContain('给 1 个订阅');
    expect(await page.locator('.summary pre').textContent()).toContain('德阳市城市公共租赁住房管理办法');
    expect(t.telegram.sent).toHaveLength(0);
    await pushButton('立即推送').click();
    await expect.poll(() => page.locator('.summary').textContent()).toContain('成功 1');
    expect(t.telegram.sent.map((x) => x.chatId)).toEqual(['424242']);
    const row = page.locator('#history tbody tr').first();
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['德府发〔2014〕7号', '已完成', '1', '0']));
    expect(await page.locator('main').textContent()).not.toContain('424242');
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of [`/?q=${encodeURIComponent('城市养犬管理')}`, '/docs', `/doc/${encodeURIComponent('川办发〔2013〕52号')}`, '/review', '/subscribers']) {
      await page.goto(`${t.server.url}${path}`);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.goto(`${t.server.url}/?q=${encodeURIComponent('城市养犬管理')}`);
    expect(await page.locator('#results .hit').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'search-phone.png'), fullPage: false });
  });
});
