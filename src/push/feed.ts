import { isPolicyBotError, PolicyBotError } from '../errors.ts';

/** The network client, injected (global fetch in production). */
export type FetchFn = (url: string, init: { signal: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

/** Limits of every feed request. */
export interface FeedLimits {
  timeoutMs: number;
  maxBytes: number;
}

const tooLarge = (url: string, max: number): PolicyBotError => new PolicyBotError('FEED_FAILED', `${url}: larger than ${max} bytes`, { url, max });

/** Fetches a URL with a timeout and a size limit; throws FEED_FAILED with the reason. */
export async function fetchLimited(fetchFn: FetchFn, url: string, limits: FeedLimits): Promise<Uint8Array> {
  const ctrl = new AbortController();
  const timer = setTimeout(
    () => ctrl.abort(new PolicyBotError('FEED_FAILED', `${url}: timed out after ${limits.timeoutMs} ms`, { url, timeoutMs: limits.timeoutMs })),
    limits.timeoutMs,
  );
  try {
    const res = await fetchFn(url, {
      signal: ctrl.signal,
      headers: { accept: 'application/json, application/rss+xml, application/atom+xml, text/markdown, text/plain, */*' },
    });
    if (!res.ok) throw new PolicyBotError('FEED_FAILED', `${url}: HTTP ${res.status}`, { url, status: res.status });
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > limits.maxBytes) throw tooLarge(url, limits.maxBytes);
    const reader = res.body?.getReader();
    if (!reader) return new Uint8Array(await res.arrayBuffer());
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel();
        throw tooLarge(url, limits.maxBytes);
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  } catch (e) {
    if (isPolicyBotError(e)) throw e;
    const reason = ctrl.signal.aborted ? `timed out after ${limits.timeoutMs} ms` : (e as Error).message;
    throw new PolicyBotError('FEED_FAILED', `${url}: ${reason}`, { url }, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a feed's links to issue files: a JSON index (an array, or {issues|items: [...]}, of
 * URLs or objects with url/link/href/file), or an RSS or Atom feed. Relative links resolve
 * against the feed URL; only http(s) links are kept.
 */
export function parseFeed(text: string, feedUrl: string): string[] {
  const t = text.trim();
  let links: string[] = [];
  if (t.startsWith('{') || t.startsWith('[')) {
    const j = JSON.parse(t) as unknown;
    const list = Array.isArray(j) ? j : ((j as { issues?: unknown[]; items?: unknown[] }).issues ?? (j as { items?: unknown[] }).items ?? []);
    for (const e of list) {
      if (typeof e === 'string') links.push(e);
      else if (e && typeof e === 'object') {
        const o = e as Record<string, unknown>;
        const v = o.url ?? o.link ?? o.href ?? o.file;
        if (typeof v === 'string') links.push(v);
      }
    }
  } else {
    for (const m of t.matchAll(/<item\b[\s\S]*?<link>\s*(?:<!\[CDATA\[)?([^<\]]+?)(?:\]\]>)?\s*<\/link>[\s\S]*?<\/item>/g)) links.push(m[1]!);
    for (const m of t.matchAll(/<entry\b[\s\S]*?<link\b[^>]*?href="([^"]+)"[\s\S]*?<\/entry>/g)) links.push(m[1]!.replace(/&amp;/g, '&'));
  }
  links = links.map((l) => {
    try {
      return new URL(l, feedUrl).toString();
    } catch {
      return '';
    }
  });
  return [...new Set(links.filter((l) => /^https?:\/\//.test(l)))];
}
