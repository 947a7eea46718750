import { basename } from 'node:path';
import { openCorpus } from '../corpus/open.ts';
import { fileIdentity, ingestFile, parseSourceBytes } from '../corpus/repository.ts';
import type { CorpusSource } from '../corpus/source.ts';
import type { CorpusFile } from '../corpus/types.ts';
import type { TextTools } from '../text/toolkit.ts';
import { broadcast, type BroadcastResult, type DeliveryDeps, type PushPreview } from './broadcast.ts';
import { createIssueComposer } from './compose.ts';
import { fetchLimited, parseFeed, type FeedLimits, type FetchFn } from './feed.ts';
import { markProcessed, readInbox } from './inbox.ts';
import { canPush } from '../channels/registry.ts';
import type { Delivery } from '../store/schema.ts';
import type { ChatRef } from '../store/store.ts';
import { createDeliverer, DEFAULT_LEASE_MS, processOwner, type DeliveryTally } from './deliver.ts';

/** Everything one push cycle needs. */
export interface PushCycleDeps extends DeliveryDeps {
  dataDir: string;
  inboxDir: string;
  feed?: { url: string; fetch: FetchFn; limits: FeedLimits };
  corpus: CorpusSource;
  tools: TextTools;
}

/** What a cycle did. */
export interface CycleReport {
  ingested: string[];
  rejected: number;
  feedErrors: string[];
  broadcasts: BroadcastResult[];
  /** with dryRun: what would be sent */
  previews: Array<{ title: string; pushes: PushPreview[] }>;
}

/** Issue files in publication order, oldest first. */
function oldestFirst(files: readonly CorpusFile[]): CorpusFile[] {
  return [...files].sort((a, b) => (a.issue?.year ?? 0) - (b.issue?.year ?? 0) || (a.issue?.number ?? 0) - (b.issue?.number ?? 0));
}

/**
 * Sends one chat the pushes that waited for it (any issue not yet announced), oldest issue
 * first, now that it can be reached — an Official Account user just wrote, opening WeChat's
 * 48-hour window. An issue another process ingested is read from the data directory. The deliveries are claimed first, so another process running the same
 * catch-up or a push cycle never sends them twice; issues with nothing left open are announced.
 */
export async function deliverWaiting(ref: ChatRef, deps: DeliveryDeps & { dataDir: string; corpus: CorpusSource; tools: TextTools }): Promise<DeliveryTally> {
  const { store, clock } = deps;
  const at = (): string => new Date(clock.now()).toISOString();
  const owner = deps.owner ?? processOwner;
  const claimed = await store.claimChat(ref, { owner, now: clock.now(), leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS });
  const deliverer = createDeliverer({ ...deps, owner });
  if (claimed.length === 0) return deliverer.tally;
  const known = (): Map<string, CorpusFile> => new Map(deps.corpus.current().corpus.files.map((f) => [fileIdentity(f), f]));
  let files = known();
  if (claimed.some((d) => !files.has(d.issueKey))) {
    // another process (`push --once`) ingested the issue: read the corpus again
    deps.corpus.replace(await openCorpus(deps.dataDir, deps.tools));
    files = known();
  }
  const rank = new Map(oldestFirst([...files.values()]).map((f, i) => [fileIdentity(f), i]));
  const back: Delivery[] = [];
  for (const d of [...claimed].sort((a, b) => (rank.get(a.issueKey) ?? -1) - (rank.get(b.issueKey) ?? -1))) {
    const file = files.get(d.issueKey);
    if (!file) {
      await store.finish(d, { status: 'failed', error: 'removed: the issue is no longer in the corpus' }, at());
      continue;
    }
    if ((await deliverer.deliver(d, createIssueComposer(file, deps.tools).forTopics(d.topics))) === 'release') back.push(d);
  }
  if (back.length) await store.release(back, at());
  for (const k of new Set(claimed.map((d) => d.issueKey))) await store.announceIfDone(k, at());
  return deliverer.tally;
}

/**
 * One push cycle: take new files from the inbox and the feed, ingest them through the
 * ingestion code, then push every issue not yet announced to its subscribers, exactly once.
 * On the very first run the issues already in the corpus are recorded as announced, so a
 * fresh install does not push old bulletins. With `dryRun` nothing is ingested, moved or sent;
 * with `resumeOnly` only broadcasts a crash interrupted are finished.
 */
export async function runPushCycle(deps: PushCycleDeps, opts: { dryRun?: boolean; resumeOnly?: boolean } = {}): Promise<CycleReport> {
  const dry = opts.dryRun ?? false;
  const report: CycleReport = { ingested: [], rejected: 0, feedErrors: [], broadcasts: [], previews: [] };
  const { logger } = deps;
  const before = deps.corpus.current().corpus.files.map(fileIdentity);
  const hasDeliveries = async (k: string): Promise<boolean> => {
    const p = await deps.store.progress(k);
    return p.pending + p.claimed + p.sent + p.failed > 0;
  };
  let first = (await deps.store.announced()).length === 0;
  for (const k of before) if (first && (await hasDeliveries(k))) first = false;
  if (first && !dry) {
    await deps.store.markAnnounced(before, new Date(deps.clock.now()).toISOString());
    logger.info({ issues: before.length }, 'first push run: issues already in the corpus are not pushed');
  }
  const announced = new Set(first ? before : await deps.store.announced());

  // sources
  const incoming: Array<{ name: string; bytes: Uint8Array; done?: () => Promise<void> }> = [];
  const inbox = opts.resumeOnly ? [] : await readInbox(deps.inboxDir, logger, dry);
  for (const f of inbox) incoming.push({ name: f.name, bytes: f.bytes, done: () => markProcessed(deps.inboxDir, f) });
  if (deps.feed && !opts.resumeOnly) {
    try {
      const index = await fetchLimited(deps.feed.fetch, deps.feed.url, deps.feed.limits);
      for (const link of parseFeed(new TextDecoder().decode(index), deps.feed.url)) {
        try {
          const bytes = await fetchLimited(deps.feed.fetch, link, deps.feed.limits);
          incoming.push({ name: basename(new URL(link).pathname) || 'feed-item.md', bytes });
        } catch (e) {
          report.feedErrors.push((e as Error).message);
          logger.warn(`feed item skipped: ${(e as Error).message}`);
        }
      }
    } catch (e) {
      report.feedErrors.push((e as Error).message);
      logger.warn(`feed skipped: ${(e as Error).message}`);
    }
  }
  const dryFiles: CorpusFile[] = [];
  for (const f of incoming) {
    try {
      if (dry) {
        dryFiles.push((await parseSourceBytes(f.bytes, f.name)).file);
        continue;
      }
      const r = await ingestFile(deps.dataDir, f.name, f.bytes);
      if (r.status !== 'unchanged') report.ingested.push(r.file.file);
      await f.done?.();
    } catch (e) {
      report.rejected++;
      logger.warn({ file: f.name }, `not ingested: ${(e as Error).message}`);
    }
  }
  if (report.ingested.length > 0) deps.corpus.replace(await openCorpus(deps.dataDir, deps.tools));

  // new issues, oldest first
  const files = [
    ...deps.corpus.current().corpus.files,
    ...dryFiles.filter((f) => !deps.corpus.current().corpus.files.some((c) => fileIdentity(c) === fileIdentity(f))),
  ];
  const fresh = oldestFirst(files.filter((f) => !announced.has(fileIdentity(f))));
  for (const f of fresh) {
    if (opts.resumeOnly && !(await hasDeliveries(fileIdentity(f)))) continue;
    const composer = createIssueComposer(f, deps.tools);
    if (dry) {
      const pushes = (await deps.store.subscribers())
        .filter((s) => s.active && canPush(s.channel))
        .map((s) => ({ channel: s.channel, chatId: s.chatId, reply: composer.forTopics(s.topics) }));
      report.previews.push({ title: fileIdentity(f), pushes });
      continue;
    }
    const { dataDir: _d, inboxDir: _i, feed: _f, corpus: _c, tools: _t, ...delivery } = deps;
    const b = await broadcast(fileIdentity(f), composer, delivery);
    report.broadcasts.push(b);
    // an outage or a refused token would fail the next issue the same way: stop here
    if (b.stoppedBy) break;
  }
  return report;
}
