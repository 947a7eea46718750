import {
  type Stats,
  closeSync,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  writeSync,
  existsSync,
  mkdirSync,
  fsyncSync,
  fdatasyncSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { PolicyBotError } from '../errors.ts';
import { STORE_VERSION } from './schema.ts';

/** What the store does with any of its logs, whatever their record type. */
export type LogHandle = Pick<JsonlLog<unknown>, 'catchUp' | 'lines'>;

/** A line of a log: a record with the format version `v`. */
export type Versioned<T> = T & { v: number };

/** Reports what the log repaired (a torn last line) or skipped. */
export type LogWarn = (message: string, details: Record<string, unknown>) => void;

/**
 * An append-only JSON-lines file, folded into memory by the caller's `apply`. Appends go
 * through one `write` of whole lines, made only while the caller holds the store's
 * inter-process lock; readers take only complete lines, so a line another process is still
 * writing is never read half. A crash mid-append leaves a torn last line: the next writer
 * truncates it (and logs it) before appending, so the torn bytes are never glued to a new
 * record. `compact` replaces the file by a snapshot (temp file + rename), which other
 * processes notice by the changed inode and fold again from the start.
 *
 * Durable (the default): every append is fdatasync'd before it returns, and the directory is
 * fsync'd after the file is created or replaced, so a record that was acknowledged — a claim
 * written before its message is sent, a part recorded after it was delivered — survives a power
 * loss, not only a killed process (as far as the disk honours a flush).
 */
export class JsonlLog<T> {
  private offset = 0;
  private ino: number | undefined;
  /** Lines folded since the last reset: compaction compares it with the live record count. */
  lines = 0;

  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
    private readonly fold: { apply(record: T): void; reset(): void },
    private readonly warn: LogWarn,
    private readonly durable = true,
  ) {}

  /** Folds lines appended since the last call (by any process); starts over after a compaction. */
  catchUp(): void {
    let st: Stats;
    try {
      st = statSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (this.ino !== undefined) this.restart(undefined);
      return;
    }
    if (st.ino !== this.ino || st.size < this.offset) this.restart(st.ino);
    if (st.size <= this.offset) return;
    const fd = openSync(this.file, 'r');
    try {
      // the inode may have changed between stat and open: fold from the opened file
      const fst = fstatSync(fd);
      if (fst.ino !== this.ino) this.restart(fst.ino);
      const size = fst.size;
      if (size <= this.offset) return;
      const buf = Buffer.allocUnsafe(size - this.offset);
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      const end = buf.lastIndexOf(10, got - 1);
      if (end < 0) return; // only a partial line so far
      let start = 0;
      while (start <= end) {
        const nl = buf.indexOf(10, start);
        const text = buf.toString('utf8', start, nl);
        start = nl + 1;
        if (!text.trim()) continue;
        this.applyLine(text);
      }
      this.offset += end + 1;
    } finally {
      closeSync(fd);
    }
  }

  private restart(ino: number | undefined): void {
    this.fold.reset();
    this.offset = 0;
    this.lines = 0;
    this.ino = ino;
  }

  private applyLine(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // a torn line an older version glued to the next record: skip it, say so
      this.warn(`skipped an unreadable line in ${this.file}`, { file: this.file, line: text.slice(0, 80) });
      return;
    }
    const v = (json as { v?: unknown } | null)?.v;
    if (typeof v === 'number' && v > STORE_VERSION) {
      throw new PolicyBotError('STORE_VERSION', `${this.file} was written by a newer PolicyBot (format ${v}); this one reads format ${STORE_VERSION}`, {
        file: this.file,
      });
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 2)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new PolicyBotError('STORE_CORRUPT', `${this.file}: a record does not match its format (${where}); the file was left untouched`, {
        file: this.file,
      });
    }
    this.lines++;
    this.fold.apply(parsed.data);
  }

  /**
   * Appends records (the caller holds the lock and has caught up). A torn last line left by a
   * crashed writer is cut off first.
   */
  append(records: readonly T[]): void {
    if (records.length === 0) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const created = !existsSync(this.file);
    const fd = openSync(this.file, 'a+');
    try {
      const st = fstatSync(fd);
      if (st.size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, st.size - 1);
        if (last[0] !== 10) this.cutTornTail(fd, st.size);
      }
      const text = records.map((r) => `${JSON.stringify({ v: STORE_VERSION, ...(r as object) })}\n`).join('');
      writeSync(fd, text);
      if (this.durable) fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) this.syncDir();
    this.catchUp();
  }

  /** Makes a created or renamed file's directory entry durable too. */
  private syncDir(): void {
    if (!this.durable) return;
    const fd = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private cutTornTail(fd: number, size: number): void {
    const chunk = Buffer.alloc(Math.min(size, 1 << 16));
    let pos = size;
    let keep = 0;
    while (pos > 0) {
      const from = Math.max(0, pos - chunk.length);
      const n = readSync(fd, chunk, 0, pos - from, from);
      const i = chunk.lastIndexOf(10, n - 1);
      if (i >= 0) {
        keep = from + i + 1;
        break;
      }
      pos = from;
    }
    truncateSync(this.file, keep);
    this.warn(`removed a torn last line (${size - keep} bytes) from ${this.file}: a process stopped while writing it`, { file: this.file, bytes: size - keep });
    if (this.offset > keep) this.restart(undefined);
  }

  /** Replaces the file by these records, atomically (the caller holds the lock and has caught up). */
  compact(records: readonly T[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, records.map((r) => `${JSON.stringify({ v: STORE_VERSION, ...(r as object) })}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.syncDir();
    // the snapshot is the folded state itself: note where it ends instead of folding it again
    const st = statSync(this.file);
    this.ino = st.ino;
    this.offset = st.size;
    this.lines = records.length;
  }

  exists(): boolean {
    return existsSync(this.file);
  }
}
