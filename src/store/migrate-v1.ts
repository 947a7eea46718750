import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';
import { normalizeKey } from '../text/normalize.ts';
import { DirLock } from './file-lock.ts';
import { JsonlLog, type LogWarn } from './jsonl-log.ts';
import { AnnouncedSchema, DeliverySchema, FeedbackSchema, SubscriberSchema, UnansweredSchema, type Delivery } from './schema.ts';

const V1Schema = z.object({
  version: z.literal(1),
  subscribers: z.array(SubscriberSchema),
  deliveries: z.array(
    z.object({
      issueKey: z.string(),
      channel: z.string(),
      chatId: z.string(),
      status: z.enum(['sent', 'failed']),
      error: z.string().optional(),
      at: z.string(),
    }),
  ),
  feedback: z.array(FeedbackSchema),
  stats: z.object({ asked: z.number(), answered: z.number() }),
  unanswered: z.array(UnansweredSchema),
  sessions: z.record(z.string(), z.unknown()),
  announced: z.array(z.string()),
});

const noFold = { apply: () => undefined, reset: () => undefined };

/**
 * Moves a version-1 store (one state/store.json rewritten whole on every write, plus the
 * state/deliveries.jsonl journal) into the version-2 logs, once: subscribers, announced
 * issues, feedback, counters and unanswered questions carry over; deliveries of an issue not
 * yet announced carry over so its push resumes. The old files are renamed *.v1-migrated.
 */
export async function migrateV1(stateDir: string, dir: string, warn: LogWarn = () => undefined): Promise<void> {
  const old = join(stateDir, 'store.json');
  if (!existsSync(old)) return;
  await new DirLock(dir, () => undefined).run(() => {
    if (!existsSync(old) || existsSync(join(dir, 'subscribers.jsonl'))) return;
    let data: z.infer<typeof V1Schema>;
    try {
      data = V1Schema.parse(JSON.parse(readFileSync(old, 'utf8')));
    } catch (e) {
      throw new PolicyBotError(
        'STORE_CORRUPT',
        `${old} (a version-1 store) cannot be migrated: ${(e as Error).message.slice(0, 200)}; it was left untouched`,
        { file: old },
        { cause: e },
      );
    }
    const journalFile = join(stateDir, 'deliveries.jsonl');
    const journal = existsSync(journalFile)
      ? readFileSync(journalFile, 'utf8')
          .split('\n')
          .flatMap((l) => {
            try {
              return [JSON.parse(l) as { issueKey: string; channel: string; chatId: string; status: 'sent' | 'failed'; error?: string; at: string }];
            } catch {
              return [];
            }
          })
      : [];
    const announced = new Set(data.announced);
    const topics = new Map(data.subscribers.map((s) => [`${s.channel}:${s.chatId}`, s.topics]));
    const deliveries: Delivery[] = [...data.deliveries, ...journal]
      .filter((d) => !announced.has(d.issueKey))
      .map((d) => ({
        issueKey: d.issueKey,
        channel: d.channel,
        chatId: d.chatId,
        topics: topics.get(`${d.channel}:${d.chatId}`) ?? [],
        status: d.status,
        partsDone: 0,
        attempts: 0,
        ...(d.error ? { error: d.error } : {}),
        at: d.at,
      }));
    const at = new Date().toISOString();
    new JsonlLog(join(dir, 'subscribers.jsonl'), SubscriberSchema, noFold, warn).compact(data.subscribers);
    new JsonlLog(join(dir, 'announced.jsonl'), AnnouncedSchema, noFold, warn).compact(data.announced.map((issueKey) => ({ issueKey, at, sent: 0, failed: 0 })));
    new JsonlLog(join(dir, 'feedback.jsonl'), FeedbackSchema, noFold, warn).compact(data.feedback);
    new JsonlLog(join(dir, 'deliveries.jsonl'), DeliverySchema, noFold, warn).compact(deliveries);
    new JsonlLog(join(dir, 'chat.jsonl'), z.unknown(), noFold, warn).compact([
      {
        t: 'snap',
        asked: data.stats.asked,
        answered: data.stats.answered,
        unanswered: data.unanswered.map((u) => ({ key: normalizeKey(u.query).slice(0, 100), ...u })),
      },
    ]);
    renameSync(old, `${old}.v1-migrated`);
    if (existsSync(journalFile)) renameSync(journalFile, `${journalFile}.v1-migrated`);
    warn(`migrated the version-1 store ${old} to ${dir}`, { file: old });
  });
}
