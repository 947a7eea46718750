import { bulletinName, formatPages } from '../../src/answer/citation.ts';
import type { App } from '../../src/app.ts';
import { openCorpus } from '../../src/corpus/open.ts';
import { ingestFile } from '../../src/corpus/repository.ts';
import { detectFormat, type SourceFormat } from '../../src/ingest/source.ts';
import { isPolicyBotError, PolicyBotError } from '../../src/errors.ts';
import type { BroadcastResult } from '../../src/push/broadcast.ts';
import { runPushCycle } from '../../src/push/cycle.ts';
import { cycleDeps } from '../../src/push/scheduler.ts';
import type { ChannelSender } from '../../src/push/sender.ts';
import type { Channel } from '../../src/store/schema.ts';
import { renderPlainText } from '../plain-text.ts';

/** A plain file name: no folders, no dot files, no control characters, at most 200 characters. */
export function checkUploadName(name: string): string {
  const n = name.normalize('NFC').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are never part of a file name
  if (!n || n.length > 200 || /[/\\\u0000-\u001f\u007f]/.test(n) || n.startsWith('.')) {
    throw new PolicyBotError('INPUT_INVALID', `the file name ${JSON.stringify(name.slice(0, 80))} is not a plain file name; rename it, e.g. 2014年第2期.md`, {
      name,
    });
  }
  return n;
}

/** What the console and the API do, over one running app. */
export interface ConsoleActions {
  /**
   * Ingests one uploaded file (markdown, text, PDF or web page) with the CLI's rules and swaps in
   * the new corpus; `replace` is `policybot ingest --replace`.
   */
  ingest(name: string, bytes: Uint8Array, opts?: { replace?: boolean }): Promise<IngestSummary>;
  /** One push cycle now; `dryRun` sends and ingests nothing. */
  push(dryRun: boolean): Promise<PushSummary>;
}

/** The JSON answer of an upload. */
export interface IngestSummary {
  status: 'added' | 'replaced' | 'unchanged';
  /** What the upload was read as: a PDF or web page is converted and stored as markdown. */
  format: SourceFormat;
  file: string;
  replaced: string | null;
  bulletin: string;
  /** `key`: the document's id in /doc/:key and /api/documents/:key. */
  documents: Array<{ key: string; docNumber: string; title: string; clauses: number; pages: string }>;
  warnings: Array<{ line: number; message: string }>;
}

/** The JSON answer of a push. */
export interface PushSummary {
  dryRun: boolean;
  ingested: string[];
  rejected: number;
  feedErrors: string[];
  /** Per issue pushed: sent, failed for good, to retry, still pending per channel, done, why it stopped early. */
  broadcasts: BroadcastResult[];
  previews: Array<{ issueKey: string; subscribers: number; sample: string }>;
}

/**
 * Actions over `app`. Uploads and pushes run one at a time; a second push while one runs is
 * refused with BUSY rather than queued (a push can take minutes at the channels' pace).
 */
export function consoleActions(app: App, senders: () => Promise<Partial<Record<Channel, ChannelSender>>>): ConsoleActions {
  let queue: Promise<unknown> = Promise.resolve();
  let pushing = false;
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    ingest: (name, bytes, opts = {}) =>
      serial(async () => {
        const dataDir = app.config.POLICYBOT_DATA_DIR;
        const plain = checkUploadName(name);
        const r = await ingestFile(dataDir, plain, bytes, { replace: opts.replace ?? false }).catch((e: unknown) => {
          // the CLI's hint names its --replace flag; an upload's equivalent is the replace field
          if (!isPolicyBotError(e, 'INGEST_CLASH')) throw e;
          const what = e.message.split('; to replace it')[0];
          throw new PolicyBotError(
            'INGEST_CLASH',
            `${what}; to replace it, upload again with replace=true (console: tick 替换旧版本); the old version is kept under state/replaced/`,
            e.details,
            { cause: e },
          );
        });
        if (r.status !== 'unchanged') app.corpus.replace(await openCorpus(dataDir, app.corpus.current().tools));
        app.logger.info({ file: r.file.file, status: r.status }, 'console upload ingested');
        return {
          status: r.status,
          format: detectFormat(bytes, plain),
          file: r.file.file,
          replaced: r.replaced ?? null,
          bulletin: bulletinName(r.file.issue),
          documents: r.file.documents.map((d) => ({
            key: d.docKey,
            docNumber: d.docNumber,
            title: d.title,
            clauses: d.clauses.length,
            pages: formatPages(d.pages),
          })),
          warnings: r.file.warnings.map((w) => ({ line: w.line, message: w.message })),
        };
      }),
    async push(dryRun) {
      if (pushing) throw new PolicyBotError('BUSY', 'a push is already running; try again when it has finished');
      pushing = true;
      try {
        const r = await serial(async () => runPushCycle(cycleDeps(app, dryRun ? {} : await senders()), { dryRun }));
        return {
          dryRun,
          ingested: r.ingested,
          rejected: r.rejected,
          feedErrors: r.feedErrors,
          broadcasts: r.broadcasts,
          previews: r.previews.map((p) => ({
            issueKey: p.title,
            subscribers: p.pushes.length,
            sample: p.pushes[0] ? renderPlainText(p.pushes[0].reply).join('\n\n') : '',
          })),
        };
      } finally {
        pushing = false;
      }
    },
  };
}
