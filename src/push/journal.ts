import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DeliverySchema } from '../store/schema.ts';

/** Version of the journal line format. */
export const JOURNAL_VERSION = 1;

const LineSchema = DeliverySchema.extend({ v: z.literal(JOURNAL_VERSION) });
/** One delivery outcome, appended the moment it is known. */
export type JournalLine = z.infer<typeof LineSchema>;

/**
 * The write-ahead delivery journal of a broadcast in progress: one JSON line per (issue,
 * subscriber), appended synchronously right after the send, so a crash loses at most the
 * record of the one message being sent. Completed broadcasts are compacted into the store.
 */
export class DeliveryJournal {
  constructor(readonly file: string) {}

  /** Reads all lines; a torn last line (crash while appending) is ignored, any other bad line throws. */
  read(): JournalLine[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const out: JournalLine[] = [];
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      try {
        out.push(LineSchema.parse(JSON.parse(l)));
      } catch (e) {
        const last = lines.slice(i + 1).every((x) => !x.trim());
        if (!last) throw new Error(`${this.file}:${i + 1}: bad journal line (${(e as Error).message})`);
      }
    });
    return out;
  }

  append(line: Omit<JournalLine, 'v'>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify({ v: JOURNAL_VERSION, ...line })}\n`);
  }

  /** Keeps only `lines` (after the others were compacted into the store); removes an empty journal. */
  rewrite(lines: JournalLine[]): void {
    if (lines.length === 0) {
      rmSync(this.file, { force: true });
      return;
    }
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    renameSync(tmp, this.file);
  }
}
