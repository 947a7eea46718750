import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import type { App } from '../../src/app.ts';
import { answerJson } from '../../src/cli/commands-ask.ts';
import { createRateLimiter, type RateLimiter } from '../../src/conversation/rate-limit.ts';
import { isPolicyBotError, PolicyBotError, type ErrorCode } from '../../src/errors.ts';
import { answerQuestion } from '../../src/answer/answer.ts';
import { packageRoot } from '../../src/package-root.ts';
import type { ConsoleActions, PushSummary } from './actions.ts';
import { createSessions, randomToken, secretsEqual, type Session } from './auth.ts';
import type { PageContext } from './html.ts';
import { errorBody, statusOf } from './errors.ts';
import { OPENAPI } from './openapi.ts';
import {
  documentPage,
  documentsPage,
  documentListFragment,
  errorPage,
  ingestResultFragment,
  loginPage,
  resultsFragment,
  reviewPage,
  searchPage,
  subscribersPage,
} from './pages.ts';
import { clauseJson, documentJson, documentList, feedbackList, findDocument, findClause, pushHistory, subscriberCounts, unansweredList } from './views.ts';

type Env = { Variables: { session: Session | undefined } };

const SESSION_COOKIE = 'pb_session';
const LOGIN_COOKIE = 'pb_login_csrf';
const SMALL_BODY = 64 * 1024;
const UPLOAD_PATHS = new Set(['/api/ingest', '/upload']);
// from the package root: the compiled server runs from dist/, where tsc copies no assets
const STATIC = join(packageRoot(), 'adapters/http/static');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * The staff console and JSON API over a running app (Hono). Everything but search, the
 * health check, the OpenAPI description and the login needs the admin token: as
 * `Authorization: Bearer …`, or the HttpOnly session cookie a login sets (then every POST
 * also carries the session's CSRF token).
 */
export function createHttpApp(app: App, actions: ConsoleActions): Hono<Env> {
  const { config, logger, clock } = app;
  const token = config.POLICYBOT_ADMIN_TOKEN;
  const sessions = createSessions(clock);
  const limiter = createRateLimiter(config.POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE, clock);
  const loginLimiter = createRateLimiter(10, clock);
  const assets = { js: readFileSync(join(STATIC, 'console.js'), 'utf8'), css: readFileSync(join(STATIC, 'console.css'), 'utf8') };
  const maxQ = config.POLICYBOT_MAX_QUESTION_LENGTH;
  const web = new Hono<Env>();

  const clientOf = (c: Context): string => getConnInfo(c).remote.address ?? 'unknown';
  const fail = (code: ErrorCode, message: string): never => {
    throw new PolicyBotError(code, message);
  };
  // behind a TLS proxy the request arrives as http; the proxy's X-Forwarded-Proto says it was https
  const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  const isApi = (c: Context): boolean => c.req.path.startsWith('/api/');
  const ctxOf = (c: Context<Env>): PageContext => {
    const s = c.get('session');
    return { admin: true, ...(s ? { csrf: s.csrf } : {}) };
  };

  web.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  web.use('*', async (c, next) => {
    const started = clock.now();
    await next();
    logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: clock.now() - started }, 'http');
  });
  web.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const maxSize = UPLOAD_PATHS.has(c.req.path) ? config.POLICYBOT_HTTP_MAX_UPLOAD_BYTES : SMALL_BODY;
    return bodyLimit({
      maxSize,
      // the unread rest of the body makes the connection unusable: tell the client to open a new one
      onError: (cc) =>
        cc.json(errorBody('TOO_LARGE', `the request body is larger than ${maxSize} bytes (POLICYBOT_HTTP_MAX_UPLOAD_BYTES sets the upload limit)`), 413, {
          connection: 'close',
        }),
    })(c, next);
  });
  /** Counts the request against `l` for its address; past the limit, 429 RATE_LIMITED with Retry-After. */
  const throttle = (c: Context, l: RateLimiter, message: string): void => {
    if (l.allow(clientOf(c))) return;
    c.header('Retry-After', '60');
    fail('RATE_LIMITED', message);
  };
  const perMinute = `more than ${config.POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE} requests a minute from this address; try again in a minute`;
  const limitedBy =
    (l: RateLimiter, message: string): MiddlewareHandler =>
    async (c, next) => {
      throttle(c, l, message);
      return next();
    };
  const rateLimited = limitedBy(limiter, perMinute);
  web.use('/api/*', rateLimited);
  web.use('/search', rateLimited);
  web.use('/', async (c, next) => (c.req.query('q') ? rateLimited(c, next) : next()));

  /** Admin gate: the bearer token, or a session (plus its CSRF token on anything but GET). */
  const admin: MiddlewareHandler<Env> = async (c, next) => {
    // before the token is looked at, so a wrong one cannot be guessed faster on a page than on
    // the API (/api/* is counted by the middleware above)
    if (!isApi(c)) throttle(c, limiter, perMinute);
    const header = c.req.header('authorization');
    if (token && header?.startsWith('Bearer ') && secretsEqual(header.slice(7).trim(), token)) {
      c.set('session', undefined);
      return next();
    }
    const session = token ? sessions.get(getCookie(c, SESSION_COOKIE)) : undefined;
    if (!session) {
      if (!isApi(c) && c.req.method === 'GET') return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search ?? ''))}`, 303);
      return fail(
        'UNAUTHORIZED',
        token
          ? 'send the admin token as "Authorization: Bearer <POLICYBOT_ADMIN_TOKEN>" or log in at /login'
          : 'the admin API is off: set POLICYBOT_ADMIN_TOKEN and restart',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      let presented = c.req.header('x-csrf-token');
      if (!presented && (c.req.header('content-type') ?? '').match(/multipart\/form-data|application\/x-www-form-urlencoded/)) {
        const field = (await c.req.parseBody())['_csrf'];
        presented = typeof field === 'string' ? field : undefined;
      }
      if (!presented || !secretsEqual(presented, session.csrf)) fail('FORBIDDEN', 'missing or wrong CSRF token: reload the page and try again');
    }
    c.set('session', session);
    return next();
  };

  const invalid = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => {
    if (!result.success) {
      const what = result.error!.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
      fail('INPUT_INVALID', what);
    }
  };
  const open = () => app.corpus.current();

  // --- public ---
  web.get('/healthz', (c) => {
    const { corpus, index } = open();
    return c.json({ status: 'ok', files: corpus.files.length, documents: index.docs.length, clauses: index.clauses.length });
  });
  web.get('/api/openapi.json', (c) => c.json(OPENAPI));
  web.get('/static/console.js', (c) => c.body(assets.js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  web.get('/static/console.css', (c) => c.body(assets.css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
  const askQuery = z.object({
    q: z
      .string({ error: 'expected a question, e.g. ?q=护理补贴标准' })
      .trim()
      .min(1, 'expected a question, e.g. ?q=护理补贴标准')
      .max(maxQ, `at most ${maxQ} characters (POLICYBOT_MAX_QUESTION_LENGTH)`),
    top: z.coerce.number().int().min(1).max(50).default(5),
  });
  web.get('/api/ask', zValidator('query', askQuery, invalid), (c) => {
    const { q, top } = c.req.valid('query');
    return c.json(answerJson(answerQuestion(open().index, q, { limit: top })));
  });
  const pageQuery = z.object({ q: z.string().max(maxQ, `at most ${maxQ} characters`).default('') });
  web.get('/search', zValidator('query', pageQuery, invalid), (c) => {
    const { q } = c.req.valid('query');
    return c.html(q.trim() ? resultsFragment(answerQuestion(open().index, q, { limit: 5 }), open()) : '');
  });
  web.get('/', zValidator('query', pageQuery, invalid), (c) => {
    const { q } = c.req.valid('query');
    const loggedIn = token ? sessions.get(getCookie(c, SESSION_COOKIE)) : undefined;
    return c.html(
      searchPage(
        { admin: !!loggedIn, ...(loggedIn ? { csrf: loggedIn.csrf } : {}) },
        open(),
        q.trim() ? answerQuestion(open().index, q, { limit: 5 }) : undefined,
      ),
    );
  });

  // --- login ---
  const safeNext = (n: unknown): string => (typeof n === 'string' && /^\/(?![/\\])[^\\]*$/.test(n) ? n : '/docs');
  const loginForm = (c: Context, status: 200 | 401 | 403, message?: string) => {
    const csrf = randomToken();
    setCookie(c, LOGIN_COOKIE, csrf, { httpOnly: true, sameSite: 'Strict', path: '/login', secure: isHttps(c), maxAge: 3600 });
    return c.html(loginPage(csrf, safeNext(c.req.query('next')), message, !!token), status);
  };
  web.get('/login', (c) => loginForm(c, 200));
  // the fields the login page sends (a missing, empty, repeated or file field is refused alike)
  const noCsrf = 'the form has no CSRF token: reload /login and try again';
  const noToken = 'expected the admin token in the form field "token"';
  const maxToken = Math.max(1024, token?.length ?? 0);
  const loginBody = z
    .object({
      _csrf: z.string({ error: noCsrf }).min(1, noCsrf),
      token: z.string({ error: noToken }).min(1, noToken).max(maxToken, `at most ${maxToken} characters`),
      next: z.string().max(2000, 'at most 2000 characters').optional(),
    })
    .strict();
  const loginLimited = limitedBy(loginLimiter, 'too many login attempts from this address; wait a minute');
  // limits first: a malformed attempt counts too
  web.post('/login', rateLimited, loginLimited, zValidator('form', loginBody, invalid), async (c) => {
    const form = c.req.valid('form');
    const expected = getCookie(c, LOGIN_COOKIE);
    if (!expected || !secretsEqual(form._csrf, expected)) return loginForm(c, 403, '表单已过期，请重新登录。');
    if (!token || !secretsEqual(form.token, token)) {
      logger.warn({ client: clientOf(c) }, 'console login refused');
      return loginForm(c, 401, token ? '令牌不正确。' : '管理功能未开启。');
    }
    const s = sessions.create();
    deleteCookie(c, LOGIN_COOKIE, { path: '/login' });
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c), maxAge: 12 * 3600 });
    return c.redirect(safeNext(form.next), 303);
  });
  web.post('/logout', admin, (c) => {
    const s = c.get('session');
    if (s) sessions.destroy(s.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  // --- admin API ---
  web.get('/api/documents', admin, (c) => c.json({ documents: documentList(open()) }));
  const idParam = zValidator('param', z.object({ id: z.string().trim().min(1, 'expected an id').max(500, 'at most 500 characters') }), invalid);
  web.get('/api/documents/:id', admin, idParam, (c) => {
    const { id } = c.req.valid('param');
    const f = findDocument(open().index, id);
    if (!f) fail('DOC_NOT_FOUND', `no document ${id} (a 文号, or the title of a document without one); GET /api/documents lists them with their key`);
    return c.json(documentJson(f!.doc, f!.file));
  });
  web.get('/api/clauses/:id', admin, idParam, (c) => {
    const { id } = c.req.valid('param');
    const f = findClause(open().index, id);
    if (!f) fail('CLAUSE_NOT_FOUND', `no clause ${id}; GET /api/documents/:id lists a document's clause ids`);
    return c.json(clauseJson(f!.clause, f!.doc, f!.file));
  });

  const uploadForm = z.object({
    file: z.instanceof(File, { message: 'no file in the form field "file"' }),
    replace: z.enum(['true', 'false', '1', '0', 'on']).optional(),
    _csrf: z.string().optional(),
  });
  /** The uploaded file and whether it may replace a stored version (form field replace=true). */
  const uploaded = async (c: Context): Promise<{ name: string; bytes: Uint8Array; replace: boolean }> => {
    if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data'))
      fail('INPUT_INVALID', 'send the file as multipart/form-data in the field "file"');
    const form = uploadForm.safeParse(await c.req.parseBody());
    invalid(form);
    const { file, replace } = form.data!;
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), replace: replace === 'true' || replace === '1' || replace === 'on' };
  };
  web.post('/api/ingest', admin, async (c) => {
    const { name, bytes, replace } = await uploaded(c);
    const summary = await actions.ingest(name, bytes, { replace });
    return c.json(summary, summary.status === 'added' ? 201 : 200);
  });
  const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
  web.get('/api/unanswered', admin, zValidator('query', limitQuery, invalid), async (c) =>
    c.json({ unanswered: await unansweredList(app.store, c.req.valid('query').limit) }),
  );
  web.get('/api/feedback', admin, zValidator('query', limitQuery.extend({ useful: bool.optional() }), invalid), async (c) => {
    const { limit, useful } = c.req.valid('query');
    return c.json({ feedback: await feedbackList(app.store, useful, limit) });
  });
  web.get('/api/subscribers', admin, async (c) => c.json({ ...(await subscriberCounts(app.store)), pushes: await pushHistory(app.store, open()) }));
  const pushBody = z.object({ dryRun: z.boolean({ error: 'send JSON {"dryRun": true} to preview or {"dryRun": false} to send' }) }).strict();
  web.post('/api/push', admin, zValidator('json', pushBody, invalid), async (c) => c.json(await actions.push(c.req.valid('json').dryRun)));

  // --- admin pages ---
  web.get('/doc/:id', admin, idParam, (c) => {
    const { id } = c.req.valid('param');
    const f = findDocument(open().index, id);
    if (!f) return c.html(errorPage(ctxOf(c), '没有这份文件', `没有文号或标题为“${id}”的文件。`), 404);
    return c.html(documentPage(ctxOf(c), f.doc, f.file));
  });
  web.get('/docs', admin, (c) => c.html(documentsPage(ctxOf(c), open())));
  web.get('/docs/list', admin, (c) => c.html(documentListFragment(open())));
  web.post('/upload', admin, async (c) => {
    try {
      const { name, bytes, replace } = await uploaded(c);
      const summary = await actions.ingest(name, bytes, { replace });
      return c.html(documentsPage(ctxOf(c), open(), ingestResultFragment({ ok: true, summary })));
    } catch (e) {
      if (!isPolicyBotError(e)) throw e;
      return c.html(documentsPage(ctxOf(c), open(), ingestResultFragment({ ok: false, code: e.code, message: e.message })), statusOf(e.code));
    }
  });
  web.get('/review', admin, async (c) => c.html(reviewPage(ctxOf(c), await unansweredList(app.store), await feedbackList(app.store, false), open())));
  const subscribersHtml = async (c: Context<Env>, r?: PushSummary) =>
    c.html(subscribersPage(ctxOf(c), await subscriberCounts(app.store), await pushHistory(app.store, open()), r));
  web.get('/subscribers', admin, (c) => subscribersHtml(c));
  // the two buttons of the subscribers page send dryRun=true (preview) or dryRun=false (send now)
  const pushForm = z
    .object({
      dryRun: z.enum(['true', 'false'], { error: 'expected "true" (preview, nothing sent) or "false" (send now)' }).transform((v) => v === 'true'),
      _csrf: z.string().optional(),
    })
    .strict();
  web.post('/push', admin, zValidator('form', pushForm, invalid), async (c) => subscribersHtml(c, await actions.push(c.req.valid('form').dryRun)));

  web.notFound((c) =>
    isApi(c)
      ? c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}; see /api/openapi.json`), 404)
      : c.html(errorPage({ admin: false }, '找不到页面', c.req.path), 404),
  );
  web.onError((e, c) => {
    if (isPolicyBotError(e)) {
      const status = statusOf(e.code);
      // a page gets a page: a bad form (400) or too many requests (429, Retry-After kept); the API, JSON
      if (!isApi(c) && status === 400) return c.html(errorPage({ admin: false }, '请求有误', e.message), status);
      if (!isApi(c) && status === 429) return c.html(errorPage({ admin: false }, '请求太频繁，请一分钟后再试', e.message), status);
      return c.json(errorBody(e.code, e.message), status);
    }
    // Hono's own refusals (a malformed JSON body) are the client's mistake, not ours
    if (e instanceof HTTPException && e.status < 500) {
      return c.json(errorBody(e.status === 413 ? 'TOO_LARGE' : 'INPUT_INVALID', e.message || 'malformed request'), e.status === 413 ? 413 : 400);
    }
    logger.error({ err: e, path: c.req.path }, 'http request failed');
    return c.json(errorBody('INTERNAL', 'internal error; see the server log'), 500);
  });
  return web;
}

/** A listening HTTP server. */
export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `web` on host:port (port 0 picks a free one). */
export function listen(web: Hono<Env>, host: string, port: number): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: web.fetch, hostname: host, port }, (info: AddressInfo) => {
      const h = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${h}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = {
        EADDRINUSE: 'the port is in use by another program',
        EACCES: 'ports below 1024 need privileges',
        EADDRNOTAVAIL: 'this machine has no such address',
      }[e.code ?? ''];
      if (!why) return reject(e);
      reject(
        new PolicyBotError(
          'CONFIG_INVALID',
          `cannot serve the console on ${host}:${port}: ${why}; set POLICYBOT_HTTP_PORT (0 picks a free port) or POLICYBOT_HTTP_HOST`,
          { host, port },
          { cause: e },
        ),
      );
    });
  });
}
