import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI } from '../../../adapters/http/openapi.ts';
import {
  AnswerSchema,
  ClauseSchema,
  DocumentListSchema,
  DocumentSchema,
  FeedbackListSchema,
  HealthSchema,
  PushSummarySchema,
  SubscribersSchema,
  UnansweredListSchema,
} from '../../../adapters/http/schemas.ts';
import type { z } from 'zod';
import { createHttpApp } from '../../../adapters/http/server.ts';
import { consoleActions } from '../../../adapters/http/actions.ts';
import { answerJson } from '../../../src/cli/commands-ask.ts';
import { answerQuestion } from '../../../src/answer/answer.ts';
import { createManualClock } from '../../../src/clock.ts';
import { FIXTURES } from '../../helpers.ts';
import { type JsonResponse, multipart, startTestServer, TOKEN } from './harness.ts';

type T = Awaited<ReturnType<typeof startTestServer>>;
let t: T;
beforeAll(async () => {
  t = await startTestServer({ POLICYBOT_HTTP_MAX_UPLOAD_BYTES: '200000' });
});
afterAll(async () => {
  await t.server.close();
});

const upload = (name: string, bytes: Uint8Array, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
  const m = multipart(name, bytes);
  return t.get('/api/ingest', { method: 'POST', body: m.body, headers: { 'content-type': m.contentType, ...headers } });
};
const listAll = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).map(String).sort();

describe('HTTP API over real HTTP on 127.0.0.1', () => {
  it('binds to 127.0.0.1 and answers /healthz', async () => {
    expect(t.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await t.get('/healthz');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', files: 1, documents: 7 });
  });

  it('GET /api/ask is the `ask --json` object, without a token', async () => {
    const q = '新农合政府补助标准是多少钱';
    const r = await t.get(`/api/ask?q=${encodeURIComponent(q)}&top=3`);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toEqual(JSON.parse(JSON.stringify(answerJson(answerQuestion(t.app.corpus.current().index, q, { limit: 3 })))));
    expect(body.answered).toBe(true);
    expect(body.results[0].citation.docNumber).toBe('川办发〔2013〕52号');
    expect(body.results[0].text).toContain('280元');
  });

  it('refuses bad input with 400 and a stable code', async () => {
    for (const path of ['/api/ask', '/api/ask?q=', '/api/ask?q=%20%20', `/api/ask?q=${'长'.repeat(201)}`, '/api/ask?q=x&top=0', '/api/ask?q=x&top=abc']) {
      const r = await t.get(path);
      expect(r.status, path).toBe(400);
      const j = await r.json();
      expect(j.error.code, path).toBe('INPUT_INVALID');
      expect(j.error.message.length).toBeGreaterThan(5);
    }
    expect((await (await t.get('/api/ask')).json()).error.message).toBe('q: expected a question, e.g. ?q=护理补贴标准');
    const empty = await t.get('/api/push', { method: 'POST', auth: true });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.message).toContain('{"dryRun": true}');
    const malformed = await t.get('/api/push', { method: 'POST', auth: true, body: '{"dryRun":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('INPUT_INVALID');
    const bad = await t.get('/api/push', {
      method: 'POST',
      auth: true,
      body: JSON.stringify({ dryRun: 'yes' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INPUT_INVALID');
  });

  it('answers 401 UNAUTHORIZED on every admin route without the token or with a wrong one', async () => {
    const admin = Object.entries(OPENAPI.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => 'security' in op)
        .map(([m]) => ({ method: m.toUpperCase(), path: p.replace('{id}', encodeURIComponent('川办发〔2013〕52号')) })),
    );
    expect(admin.length).toBeGreaterThanOrEqual(8);
    for (const { method, path } of admin) {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { authorization: TOKEN },
      ]) {
        const r = await t.get(path, { method, headers });
        expect(r.status, `${method} ${path}`).toBe(401);
        expect((await r.json()).error.code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('lists documents, a document outline and one clause with its citation', async () => {
    const docs = await (await t.get('/api/documents', { auth: true })).json();
    expect(docs.documents).toHaveLength(7);
    expect(docs.documents[0]).toMatchObject({ docNumber: '国发〔2013〕30号', clauses: 49, pages: '2-8' });
    const d = await t.get(`/api/documents/${encodeURIComponent('川办发〔2013〕52号')}`, { auth: true });
    expect(d.status).toBe(200);
    const doc = await d.json();
    expect(doc.outline[0]).toMatchObject({ depth: 0 });
    expect(doc.outline.some((e: { heading: string }) => e.heading.startsWith('（十四）'))).toBe(true);
    const clauseId = doc.clauses.find((c: { label: string }) => c.label.includes('（一）')).id;
    const c = await (await t.get(`/api/clauses/${encodeURIComponent(clauseId)}`, { auth: true })).json();
    expect(c.citation.label).toMatch(/^《四川省人民政府办公厅.*》（川办发〔2013〕52号）.*（一） · 绵阳市人民政府公报 2013年第13号（总第393号） · 第25–27页$/);
    expect(c.cite).toBe(`${c.text} —— ${c.citation.label}`);
    expect(c.href).toMatch(/^\/doc\/.+#c\d+$/);
    for (const [path, code] of [
      [`/api/documents/${encodeURIComponent('川办发〔2099〕1号')}`, 'DOC_NOT_FOUND'],
      ['/api/clauses/nope', 'CLAUSE_NOT_FOUND'],
      ['/api/nothing-here', 'NOT_FOUND'],
    ]) {
      const r = await t.get(path!, { auth: true });
      expect(r.status).toBe(404);
      expect((await r.json()).error.code).toBe(code);
    }
  });

  it('ingests an uploaded bulletin with the CLI rules, and search sees it at once', async () => {
    const bytes = await readFile(join(FIXTURES, 'bulletin-other.md'));
    const r = await upload('遂宁公报2014-2.md', bytes);
    expect(r.status).toBe(201);
    const s = await r.json();
    expect(s).toMatchObject({ status: 'added', file: '遂宁公报2014-2.md', bulletin: '遂宁市人民政府公报 2014年第2期（总第400期）' });
    expect(s.documents.map((d: { docNumber: string }) => d.docNumber)).toEqual(['遂府发〔2014〕3号', '遂府办发〔2014〕12号']);
    const ask = await (await t.get(`/api/ask?q=${encodeURIComponent('城市养犬管理')}`)).json();
    expect(ask.results[0].citation.docNumber).toBe('遂府办发〔2014〕12号');
    const again = await upload('copy.md', bytes);
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('unchanged');
  });

  it('refuses a bad file with its code and changes nothing', async () => {
    const before = await listAll(t.dir);
    for (const [name, bytes, code] of [
      ['blank.md', new Uint8Array([0x20, 0x0a]), 'INPUT_EMPTY'],
      ['image.md', new Uint8Array(Array.from({ length: 600 }, (_, i) => i % 7)), 'INPUT_BINARY'],
      ['notes.md', new TextEncoder().encode('随便写几句话，没有文件标题也没有文号。\n'), undefined],
    ] as const) {
      const r = await upload(name, bytes);
      expect(r.status, name).toBe(400);
      const j = await r.json();
      if (code) expect(j.error.code).toBe(code);
      expect(j.error.message).toContain(name);
    }
    expect(await listAll(t.dir)).toEqual(before);
  });

  it('never writes outside the data directory, whatever the upload is called', async () => {
    const parent = dirname(t.dir);
    const outside = async () => (await readdir(parent)).filter((n) => /evil/.test(n));
    const before = await listAll(t.dir);
    const bytes = await readFile(join(FIXTURES, 'single-regulation.md'));
    for (const name of ['../../evil.md', '..\\..\\evil.md', '/tmp/evil.md', '.hidden.md', 'a\u0000b.md', '..']) {
      const r = await upload(name, bytes);
      expect(r.status, name).toBe(400);
      expect((await r.json()).error.code).toBe('INPUT_INVALID');
    }
    expect(await outside()).toEqual([]);
    expect(await listAll(t.dir)).toEqual(before);
  });

  it('refuses an upload over POLICYBOT_HTTP_MAX_UPLOAD_BYTES with 413 TOO_LARGE', async () => {
    const r = await upload('big.md', new Uint8Array(300_000).fill(0x41));
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe('TOO_LARGE');
  });

  it('serves unanswered questions most frequent first, 👎 feedback and subscriber counts, without chat ids', async () => {
    const store = t.app.store;
    for (let i = 0; i < 2; i++) await store.recordQuestion({ query: '养老金怎么领', key: '养老金怎么领', answered: false }, '2026-11-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) await store.recordQuestion({ query: '公积金提取', key: '公积金提取', answered: false }, '2026-10-01T00:00:00.000Z');
    await store.addFeedback({
      channel: 'telegram',
      chatId: '1',
      userId: '1',
      query: '医保报销比例',
      clauseId: 'x',
      useful: false,
      at: '2026-11-02T00:00:00.000Z',
    });
    await store.addFeedback({ channel: 'telegram', chatId: '1', userId: '1', query: '宽带', clauseId: 'y', useful: true, at: '2026-11-03T00:00:00.000Z' });
    await store.subscribe({ channel: 'telegram', chatId: '777001', isGroup: false, topics: ['医保'] }, '2026-11-01T00:00:00.000Z');
    const u = await (await t.get('/api/unanswered', { auth: true })).json();
    expect(u.unanswered.map((x: { query: string }) => x.query)).toEqual(['公积金提取', '养老金怎么领']);
    const f = await (await t.get('/api/feedback?useful=false', { auth: true })).json();
    expect(f.feedback.map((x: { query: string }) => x.query)).toEqual(['医保报销比例']);
    const s = await t.get('/api/subscribers', { auth: true });
    const text = await s.text();
    expect(JSON.parse(text)).toMatchObject({ active: 1, inactive: 0, channels: { telegram: { active: 1, topics: { 医保: 1 } } } });
    expect(text).not.toContain('777001');
  });

  it('POST /api/push previews with dryRun and really pushes a new issue once', async () => {
    const push = (dryRun: boolean) =>
      t.get('/api/push', { method: 'POST', auth: true, body: JSON.stringify({ dryRun }), headers: { 'content-type': 'application/json' } });
    // the first real run marks what the corpus holds as announced (a fresh install pushes nothing old)
    expect((await push(false)).status).toBe(200);
    expect(t.telegram.sent).toHaveLength(0);
    await upload('mianyang-14.md', await readFile(join(FIXTURES, 'mianyang-2013-14.md')));
    const preview = await (await push(true)).json();
    expect(preview.previews).toHaveLength(1);
    expect(preview.previews[0].subscribers).toBe(1);
    expect(t.telegram.sent).toHaveLength(0);
    const real = await (await push(false)).json();
    expect(real.broadcasts).toEqual([expect.objectContaining({ sent: 1, failed: 0 })]);
    expect(t.telegram.sent.map((x) => x.chatId)).toEqual(['777001']);
    expect((await (await push(false)).json()).broadcasts).toEqual([]);
    const subs = await (await t.get('/api/subscribers', { auth: true })).json();
    expect(subs.pushes[0]).toMatchObject({ sent: 1, failed: 0 });
  });

  it('answers exactly the shapes /api/openapi.json describes (strict schemas the description is made from)', async () => {
    const clauseId = (await (await t.get(`/api/documents/${encodeURIComponent('川办发〔2013〕52号')}`, { auth: true })).json()).clauses[0].id;
    const checks: Array<[string, z.ZodType, RequestInit?]> = [
      ['/healthz', HealthSchema],
      [`/api/ask?q=${encodeURIComponent('新农合补助标准')}`, AnswerSchema],
      [`/api/ask?q=${encodeURIComponent('火星移民补贴')}`, AnswerSchema],
      ['/api/documents', DocumentListSchema],
      [`/api/documents/${encodeURIComponent('川办发〔2013〕52号')}`, DocumentSchema],
      [`/api/clauses/${encodeURIComponent(clauseId)}`, ClauseSchema],
      ['/api/unanswered', UnansweredListSchema],
      ['/api/feedback', FeedbackListSchema],
      ['/api/subscribers', SubscribersSchema],
      ['/api/push', PushSummarySchema, { method: 'POST', body: '{"dryRun":true}', headers: { 'content-type': 'application/json' } }],
    ];
    for (const [path, schema, init] of checks) {
      const body = await (await t.get(path, { auth: true, ...init })).json();
      const r = schema.safeParse(body);
      expect(r.success ? 'ok' : `${path}: ${r.error.message}`).toBe('ok');
    }
    const subs = SubscribersSchema.parse(await (await t.get('/api/subscribers', { auth: true })).json());
    expect(subs.pushes.length).toBeGreaterThan(0);
    const err = await (await t.get('/api/clauses/nope', { auth: true })).json();
    expect(Object.keys(err.error).sort()).toEqual(['code', 'message']);
  });

  it('describes every API route in /api/openapi.json, and nothing more', async () => {
    const served = await (await t.get('/api/openapi.json')).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(OPENAPI)));
    const web = createHttpApp(
      t.app,
      consoleActions(t.app, async () => ({})),
    );
    const routes = web.routes
      .filter((r) => (r.path.startsWith('/api/') || r.path === '/healthz') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const described = Object.entries(OPENAPI.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect([...new Set(routes)].sort()).toEqual(described.sort());
  });

  it('keeps the admin token out of the log', async () => {
    await t.get('/api/documents', { auth: true });
    await t.get('/api/documents', { headers: { authorization: `Bearer ${TOKEN}-wrong` } });
    expect(t.logs.join('').length).toBeGreaterThan(0);
    expect(t.logs.join('')).not.toContain(TOKEN);
  });
});

describe('console sessions', () => {
  it('logs in with the token, then needs the CSRF token on every POST', async () => {
    const login = await t.get('/login');
    const csrfCookie = login.headers.getSetCookie().find((c) => c.startsWith('pb_login_csrf='))!;
    expect(csrfCookie).toMatch(/HttpOnly/i);
    const formCsrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const post = (token: string, csrf: string) =>
      t.get('/login', {
        method: 'POST',
        headers: { cookie: csrfCookie.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, token, next: '/review' }).toString(),
      });
    expect((await post('wrong-token-wrong-token', formCsrf)).status).toBe(401);
    expect((await post(TOKEN, 'forged')).status).toBe(403);
    const ok = await post(TOKEN, formCsrf);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/review');
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('pb_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i);
    const behindTls = await t.get('/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers.getSetCookie()[0]).toMatch(/; Secure/i);
    const cookie = session.split(';')[0]!;
    expect((await t.get('/api/documents', { headers: { cookie } })).status).toBe(200);
    const page = await (await t.get('/docs', { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const pushWith = (headers: Record<string, string>) =>
      t.get('/api/push', { method: 'POST', body: JSON.stringify({ dryRun: true }), headers: { cookie, 'content-type': 'application/json', ...headers } });
    const noCsrf = await pushWith({});
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).error.code).toBe('FORBIDDEN');
    expect((await pushWith({ 'x-csrf-token': 'x'.repeat(csrf.length) })).status).toBe(403);
    expect((await pushWith({ 'x-csrf-token': csrf })).status).toBe(200);
    // an admin page without a session sends the browser to the login form
    const redirect = await t.get('/review');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/login?next=%2Freview');
  });

  it('takes the no-script upload and push forms only with the session and its CSRF token', async () => {
    const login = await t.get('/login');
    const loginCookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const ok = await t.get('/login', {
      method: 'POST',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: loginCsrf, token: TOKEN }).toString(),
    });
    expect(ok.headers.get('location')).toBe('/docs');
    const cookie = ok.headers
      .getSetCookie()
      .find((c) => c.startsWith('pb_session='))!
      .split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await t.get('/docs', { headers: { cookie } })).text())![1]!;
    const form = (fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      if (file) fd.set('file', new File([file.bytes], file.name));
      return fd;
    };
    const regulation = { name: 'deyang.md', bytes: await readFile(join(FIXTURES, 'single-regulation.md')) };
    expect((await t.get('/upload', { method: 'POST', headers: { cookie }, body: form({}, regulation) })).status).toBe(403);
    expect((await t.get('/upload', { method: 'POST', body: form({ _csrf: csrf }, regulation) })).status).toBe(401);
    const up = await t.get('/upload', { method: 'POST', headers: { cookie }, body: form({ _csrf: csrf }, regulation) });
    expect(up.status).toBe(200);
    const html = await up.text();
    expect(html).toContain('已收录：deyang.md');
    expect(html).toContain('德府发〔2014〕7号');
    const refused = await t.get('/upload', { method: 'POST', headers: { cookie }, body: form({ _csrf: csrf }, { name: 'empty.md', bytes: new Uint8Array() }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('未收录（INPUT_EMPTY）');
    const push = await t.get('/push', { method: 'POST', headers: { cookie }, body: form({ _csrf: csrf, dryRun: 'true' }) });
    expect(push.status).toBe(200);
    expect(await push.text()).toMatch(/将推送|没有新一期需要推送/);
    const out = await t.get('/logout', { method: 'POST', headers: { cookie }, body: form({ _csrf: csrf }) });
    expect(out.status).toBe(303);
    expect((await t.get('/api/documents', { headers: { cookie } })).status).toBe(401);
  });

  it('HTML-escapes corpus and user text', async () => {
    const doc =
      '关于<script>alert(1)</script>管理的通知\n\n测府发〔2014〕9号\n\n一、<img src=x onerror=alert(2)>住房补贴每月300元。\n\n测试市人民政府\n2014年2月10日\n';
    expect((await upload('xss.md', new TextEncoder().encode(doc))).status).toBe(201);
    const html = await (await t.get(`/search?q=${encodeURIComponent('住房补贴<b>')}`)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<img|<script|<b>/);
    const page = await (await t.get(`/?q=${encodeURIComponent('"><script>x</script>')}`)).text();
    expect(page).not.toContain('<script>x');
    expect(page).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('console forms (zod-validated)', () => {
  let f: T;
  beforeAll(async () => {
    f = await startTestServer();
  });
  afterAll(async () => {
    await f.server.close();
  });
  type FormBody = { body: RequestInit['body']; headers?: Record<string, string> };
  /** A urlencoded form body, e.g. "dryRun=true&_csrf=…" (the tokens are URL-safe). */
  const urlencoded = (body: string): FormBody => ({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  /** A 400 INPUT_INVALID as the console shows it: the error page, naming what was wrong. */
  const expectBadForm = async (r: Response, what: string) => {
    expect(r.status, what).toBe(400);
    expect(r.headers.get('content-type'), what).toMatch(/^text\/html/);
    const html = await r.text();
    expect(html, what).toContain('请求有误');
    expect(html, what).toContain(what);
  };

  it('refuses a malformed login form with 400 and logs nobody in', async () => {
    const form = await f.get('/login');
    const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const post = (body: FormBody) => f.get('/login', { method: 'POST', body: body.body, headers: { cookie, ...body.headers } });
    const tokenAsFile = new FormData();
    tokenAsFile.set('_csrf', csrf);
    tokenAsFile.set('token', new File([TOKEN], 'token.txt'));
    for (const [what, body] of [
      ['token: expected the admin token', urlencoded(`_csrf=${csrf}`)],
      ['token: expected the admin token', urlencoded(`_csrf=${csrf}&token=`)],
      ['token: ', urlencoded(`_csrf=${csrf}&token=${TOKEN}&token=${TOKEN}`)],
      ['_csrf: the form has no CSRF token', urlencoded(`token=${TOKEN}`)],
      ['Unrecognized key', urlencoded(`_csrf=${csrf}&token=${TOKEN}&admin=yes`)],
      ['token: ', { body: tokenAsFile }],
      ['_csrf: the form has no CSRF token', { body: JSON.stringify({ _csrf: csrf, token: TOKEN }), headers: { 'content-type': 'application/json' } }],
    ] as Array<[string, FormBody]>) {
      const r = await post(body);
      const loggedIn = r.headers.getSetCookie().some((c) => c.startsWith('pb_session='));
      expect(loggedIn, what).toBe(false);
      await expectBadForm(r, what);
    }
    const ok = await post(urlencoded(`_csrf=${csrf}&token=${TOKEN}&next=/review`));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/review');
  });

  it('takes only dryRun=true or dryRun=false on the push form; anything else is 400 and pushes nothing', async () => {
    const push = (body: FormBody) => f.get('/push', { method: 'POST', auth: true, body: body.body, headers: body.headers ?? {} });
    await f.app.store.subscribe({ channel: 'telegram', chatId: '888001', isGroup: false, topics: [] }, '2026-11-01T00:00:00.000Z');
    // the first real run marks what the corpus holds as announced; then a new issue is waiting
    expect((await push(urlencoded('dryRun=false'))).status).toBe(200);
    const m = multipart('mianyang-14.md', await readFile(join(FIXTURES, 'mianyang-2013-14.md')));
    expect((await f.get('/api/ingest', { method: 'POST', auth: true, body: m.body, headers: { 'content-type': m.contentType } })).status).toBe(201);
    const before = await (await f.get('/api/subscribers', { auth: true })).text();
    const dryRunAsFile = new FormData();
    dryRunAsFile.set('dryRun', new File(['false'], 'dryRun.txt'));
    for (const [what, body] of [
      ['dryRun: expected', urlencoded('')],
      ['dryRun: expected', urlencoded('dryRun=')],
      ['dryRun: expected', urlencoded('dryRun=no')],
      ['dryRun: expected', urlencoded('dryRun=False')],
      ['dryRun: expected', urlencoded('dryRun=0')],
      ['dryRun: expected', urlencoded('dryRun=false&dryRun=true')],
      ['dryRun: expected', { body: dryRunAsFile }],
      ['Unrecognized key', urlencoded('dryRun=true&dryrun=false')],
      ['dryRun: expected', { body: JSON.stringify({ dryRun: false }), headers: { 'content-type': 'application/json' } }],
    ] as Array<[string, FormBody]>)
      await expectBadForm(await push(body), what);
    expect(f.telegram.sent).toHaveLength(0);
    expect(await (await f.get('/api/subscribers', { auth: true })).text()).toBe(before);
    const preview = await push(urlencoded('dryRun=true'));
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('将推送 ');
    expect(f.telegram.sent).toHaveLength(0);
    const real = await push(urlencoded('dryRun=false'));
    expect(real.status).toBe(200);
    expect(await real.text()).toContain('成功 1');
    expect(f.telegram.sent.map((x) => x.chatId)).toEqual(['888001']);
  });
});

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After past POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE', async () => {
    const s = await startTestServer({ POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await s.get(`/api/ask?q=${encodeURIComponent('宽带')}`)).status);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const r = await s.get('/api/ask?q=x');
      expect(r.headers.get('retry-after')).toBe('60');
      expect((await r.json()).error.code).toBe('RATE_LIMITED');
    } finally {
      await s.server.close();
    }
  });

  /** 429 with Retry-After; a page (not /api) says so as a page, not as JSON. */
  const expectLimited = async (r: JsonResponse) => {
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('60');
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await r.text()).toContain('请求太频繁');
  };
  /** Posts the login form with `token` (and a valid double-submit CSRF token), as a browser does. */
  const loginWith = async (s: T) => {
    const form = await s.get('/login');
    const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    return (token: string) =>
      s.get('/login', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, token }).toString(),
      });
  };

  it('limits the HTML admin pages and the login too, before the token is checked, so a token cannot be guessed', async () => {
    const clock = createManualClock();
    const s = await startTestServer({ POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE: '3' }, clock);
    try {
      const wrong = { authorization: `Bearer ${TOKEN}-wrong` };
      const guesses: number[] = [];
      for (const path of ['/docs', '/review', '/subscribers']) guesses.push((await s.get(path, { headers: wrong })).status);
      expect(guesses).toEqual([303, 303, 303]);
      for (const path of ['/docs/list', `/doc/${encodeURIComponent('川办发〔2013〕52号')}`]) await expectLimited(await s.get(path, { headers: wrong }));
      for (const path of ['/upload', '/push']) await expectLimited(await s.get(path, { method: 'POST', headers: wrong }));
      // the right token gets no answer either until the minute is over: no oracle
      await expectLimited(await s.get('/docs', { auth: true }));
      clock.advance(60_000);
      expect((await s.get('/docs', { auth: true })).status).toBe(200);

      clock.advance(60_000);
      const post = await loginWith(s);
      const logins: number[] = [];
      for (let i = 0; i < 3; i++) logins.push((await post(`wrong-token-${i}-0123456789`)).status);
      expect(logins).toEqual([401, 401, 401]);
      await expectLimited(await post('wrong-token-3-0123456789'));
      await expectLimited(await post(TOKEN));
      clock.advance(60_000);
      expect((await post(TOKEN)).status).toBe(303);
    } finally {
      await s.server.close();
    }
  });

  it('allows 10 login attempts a minute even under a higher request limit', async () => {
    const clock = createManualClock();
    const s = await startTestServer({}, clock);
    try {
      const post = await loginWith(s);
      for (let i = 0; i < 10; i++) expect((await post(`wrong-token-${i}-0123456789`)).status).toBe(401);
      await expectLimited(await post(TOKEN));
      clock.advance(60_000);
      expect((await post(TOKEN)).status).toBe(303);
    } finally {
      await s.server.close();
    }
  });
});
