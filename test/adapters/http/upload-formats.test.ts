import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../../helpers.ts';
import { typesetBulletin } from '../../ingest/bulletin-pdf.ts';
import { IngestSummarySchema } from '../../../adapters/http/schemas.ts';
import { multipart, startTestServer, TOKEN } from './harness.ts';

let t: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.server.close();
});

/** Uploads through the API; an accepted upload's summary must match its OpenAPI schema. */
const upload = async (name: string, bytes: Uint8Array, fields: Record<string, string> = {}) => {
  const m = multipart(name, bytes, 'file', fields);
  const r = await t.get('/api/ingest', { method: 'POST', body: m.body, headers: { 'content-type': m.contentType, authorization: `Bearer ${TOKEN}` } });
  if (r.ok) IngestSummarySchema.parse(await r.clone().json());
  return r;
};
const stored = async (): Promise<string[]> => (await readdir(join(t.dir, 'bulletins'))).sort();

describe('POST /api/ingest with PDF and web pages, clashes and --replace', () => {
  it('ingests a typeset PDF bulletin, and answers cite its printed pages', async () => {
    const { pdf } = await typesetBulletin(await readFile(join(FIXTURES, 'mianyang-2013-14.md'), 'utf8'));
    const r = await upload('绵阳公报2013-14.pdf', pdf);
    expect(r.status).toBe(201);
    const s = await r.json();
    expect(s).toMatchObject({ status: 'added', format: 'pdf', bulletin: expect.stringContaining('2013年第14号') });
    expect(s.documents.map((d: { docNumber: string }) => d.docNumber)).toContain('绵府发〔2013〕21号');
    const ask = await (await t.get(`/api/ask?q=${encodeURIComponent('城乡居民大病保险')}`)).json();
    expect(ask.results[0].citation).toMatchObject({ docNumber: '绵府发〔2013〕21号', pages: expect.stringMatching(/^\d/) });
  });

  it('ingests a government web page (HTML) as its document', async () => {
    const r = await upload('page.html', await readFile(join(FIXTURES, 'html/gov-metadata-table.html')));
    expect(r.status).toBe(201);
    const s = await r.json();
    expect(s).toMatchObject({ status: 'added', format: 'html', file: expect.stringMatching(/\.md$|\.html?$/) });
    expect(s.documents).toHaveLength(1);
    const docs = await (await t.get('/api/documents', { auth: true })).json();
    expect(docs.documents.map((d: { docNumber: string }) => d.docNumber)).toContain(s.documents[0].docNumber);
  });

  it('refuses a scanned PDF and a file that only claims to be a PDF, writing nothing', async () => {
    const before = await stored();
    for (const [name, bytes, code] of [
      ['scan.pdf', await readFile(join(FIXTURES, 'pdf/scanned_image_only.pdf')), 'INPUT_SCANNED'],
      ['fake.pdf', new TextEncoder().encode('这不是 PDF 文件，只是改了扩展名。'), 'INPUT_CORRUPT'],
    ] as const) {
      const r = await upload(name, bytes);
      expect(r.status, name).toBe(400);
      const j = await r.json();
      expect(j.error.code, name).toBe(code);
      expect(j.error.message).toContain(name);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses a changed version of a stored document with 409 INGEST_CLASH, and replaces it when asked', async () => {
    const original = await readFile(join(FIXTURES, 'single-regulation.md'), 'utf8');
    expect((await upload('deyang.md', new TextEncoder().encode(original))).status).toBe(201);
    const before = await stored();
    const changed = new TextEncoder().encode(original.replace('结合本市实际', '结合全市实际'));
    const clash = await upload('deyang-v2.md', changed);
    expect(clash.status).toBe(409);
    expect((await clash.json()).error).toMatchObject({ code: 'INGEST_CLASH', message: expect.stringMatching(/德府发〔2014〕7号.*replace=true/) });
    expect(await stored()).toEqual(before);
    for (const bad of ['maybe', 'yes']) {
      const r = await upload('deyang-v2.md', changed, { replace: bad });
      expect(r.status, bad).toBe(400);
      expect((await r.json()).error.code).toBe('INPUT_INVALID');
    }
    const replaced = await upload('deyang-v2.md', changed, { replace: 'true' });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ status: 'replaced', replaced: 'deyang.md' });
    const ask = await (await t.get(`/api/ask?q=${encodeURIComponent('公共租赁住房管理 制定本办法')}`)).json();
    expect(ask.results.map((x: { text: string }) => x.text).join()).toContain('结合全市实际');
    expect(await readdir(join(t.dir, 'state/replaced'), { recursive: true })).toEqual(expect.arrayContaining([expect.stringMatching(/deyang\.md$/)]));
  });

  it('gives laws without 文号 their own document page and API entry, keyed by title', async () => {
    const r = await upload('law.md', await readFile(join(FIXTURES, 'regs-sample/admin-reg-0001.md')));
    expect(r.status).toBe(201);
    const [doc] = (await r.json()).documents;
    expect(doc).toMatchObject({ docNumber: '', title: '上海航运交易所管理规定', key: expect.stringContaining('上海航运交易所管理规定') });
    const api = await (await t.get(`/api/documents/${encodeURIComponent(doc.key)}`, { auth: true })).json();
    expect(api).toMatchObject({ key: doc.key, docNumber: '', title: '上海航运交易所管理规定' });
    expect(api.clauses[0].href).toMatch(new RegExp(`^/doc/${encodeURIComponent(doc.key).replace(/[()]/g, '\\$&')}#c1$`));
    const page = await t.get(api.clauses[0].href.split('#')[0], { auth: true });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>上海航运交易所管理规定</h1>');
    const list = await (await t.get('/api/documents', { auth: true })).json();
    expect(list.documents.find((d: { title: string }) => d.title === '上海航运交易所管理规定').key).toBe(doc.key);
    for (const id of ['%20', encodeURIComponent('不存在的条例')]) {
      const missing = await t.get(`/api/documents/${id}`, { auth: true });
      expect(missing.status, id).toBe(id === '%20' ? 400 : 404);
    }
  });
});
