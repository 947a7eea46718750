import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Clock } from '../../src/clock.ts';
import { writeFileAtomic } from '../../src/corpus/atomic-write.ts';
import { PolicyBotError } from '../../src/errors.ts';

/** Version of the Official Account state file. */
export const MP_STATE_VERSION = 1;

/** An Official Account may send customer-service messages for 48 hours after a user's last message. */
export const SERVICE_WINDOW_MS = 48 * 3600_000;
/** Safety margin: a window closing within this time counts as closed. */
const MARGIN_MS = 5 * 60_000;
/** At most this many pushes wait per user; older ones are dropped first. */
const MAX_PENDING_PER_USER = 10;

const StateSchema = z.object({
  version: z.literal(MP_STATE_VERSION),
  /** openid → ms of the user's last message, menu click or follow. */
  lastMessageAt: z.record(z.string(), z.number()),
  /** Pushes waiting for the user to open the window again, oldest first. */
  pending: z.array(z.object({ openid: z.string(), texts: z.array(z.string()).min(1), queuedAt: z.number() })),
});
type StateData = z.infer<typeof StateSchema>;

/**
 * What the Official Account channel remembers across restarts: when each user last wrote (the
 * 48-hour customer-service window) and the pushes waiting for a closed window to open again.
 * A versioned JSON file, validated on load, written atomically.
 */
export class OfficialAccountState {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private data: StateData,
  ) {}

  /** Opens (or starts) the state file; a corrupt file stops start-up and is left as it is. */
  static async open(file: string, clock: Clock): Promise<OfficialAccountState> {
    let raw: string | undefined;
    try {
      raw = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PolicyBotError('STORE_CORRUPT', `cannot read ${file}: ${(e as Error).message}`, { file }, { cause: e });
    }
    if (raw === undefined) return new OfficialAccountState(file, clock, { version: MP_STATE_VERSION, lastMessageAt: {}, pending: [] });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new PolicyBotError('STORE_CORRUPT', `${file} is not valid JSON; it was left untouched: restore it or move it away`, { file }, { cause: e });
    }
    const r = StateSchema.safeParse(json);
    if (!r.success) throw new PolicyBotError('STORE_CORRUPT', `${file} does not match the Official Account state format (version ${MP_STATE_VERSION}); it was left untouched`, { file });
    return new OfficialAccountState(file, clock, r.data);
  }

  /** True while the user's customer-service window is open. */
  isOpen(openid: string): boolean {
    const last = this.data.lastMessageAt[openid];
    return last !== undefined && this.clock.now() - last < SERVICE_WINDOW_MS - MARGIN_MS;
  }

  /** Records a message of the user (persisted at most once a minute per user). */
  async touch(openid: string): Promise<void> {
    const now = this.clock.now();
    const last = this.data.lastMessageAt[openid];
    this.data.lastMessageAt[openid] = now;
    if (last === undefined || now - last > 60_000) await this.save();
  }

  /** Queues texts for the user until the window opens again. */
  async enqueue(openid: string, texts: string[]): Promise<void> {
    if (texts.length === 0) return;
    this.data.pending.push({ openid, texts, queuedAt: this.clock.now() });
    const mine = this.data.pending.filter((p) => p.openid === openid);
    if (mine.length > MAX_PENDING_PER_USER) {
      const drop = new Set(mine.slice(0, mine.length - MAX_PENDING_PER_USER));
      this.data.pending = this.data.pending.filter((p) => !drop.has(p));
    }
    await this.save();
  }

  /** The user's waiting pushes, oldest first, removed from the queue. */
  async take(openid: string): Promise<string[][]> {
    const mine = this.data.pending.filter((p) => p.openid === openid);
    if (mine.length === 0) return [];
    this.data.pending = this.data.pending.filter((p) => p.openid !== openid);
    await this.save();
    return mine.map((p) => p.texts);
  }

  /** How many pushes wait, per user. */
  pendingCount(openid?: string): number {
    return this.data.pending.filter((p) => openid === undefined || p.openid === openid).length;
  }

  private save(): Promise<void> {
    const now = this.clock.now();
    for (const [id, at] of Object.entries(this.data.lastMessageAt)) if (now - at > SERVICE_WINDOW_MS) delete this.data.lastMessageAt[id];
    const text = `${JSON.stringify(this.data)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    return this.writing;
  }
}
