/**
 * A process that takes the store lock of a directory (DirLock, as the file store does) and holds
 * it: `lock-holder.ts <dir> <holdMs> <busy|idle> [staleMs updateMs]`. `busy` blocks its event
 * loop for the whole hold (as folding or compacting a large log does), `idle` waits with the loop
 * free (the lock's refresh runs). Prints one JSON line per event: waiting, acquired, released,
 * compromised — with Date.now().
 */
import { DirLock } from '../../src/store/file-lock.ts';

const [dir, holdArg, mode, staleArg, updateArg] = process.argv.slice(2) as [string, string, 'busy' | 'idle', string?, string?];
const say = (ev: string, extra: Record<string, unknown> = {}): void => void process.stdout.write(`${JSON.stringify({ ev, at: Date.now(), ...extra })}\n`);
const timing = staleArg ? { staleMs: Number(staleArg), updateMs: Number(updateArg) } : {};
const lock = new DirLock(dir, (e) => say('compromised', { message: e.message }), timing);
say('waiting');
await lock.run(async () => {
  say('acquired');
  const until = Date.now() + Number(holdArg);
  if (mode === 'busy') while (Date.now() < until);
  else await new Promise((r) => setTimeout(r, Number(holdArg)));
  say('released');
});
// a compromise is reported by the next refresh: give it a moment before exiting
await new Promise((r) => setTimeout(r, 300));
