import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src/clock.ts';

/** Compares a presented secret with the expected one in constant time (hashing first evens out lengths). */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** A logged-in browser: its cookie value and the CSRF token its forms must carry. */
export interface Session {
  id: string;
  csrf: string;
  expires: number;
}

/** Console sessions held in memory (a restart logs everybody out). */
export interface Sessions {
  create(): Session;
  get(id: string | undefined): Session | undefined;
  destroy(id: string): void;
}

/** Random URL-safe token. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Sessions that expire `ttlMs` after login, on an injected clock. */
export function createSessions(clock: Clock, ttlMs = 12 * 3600_000): Sessions {
  const all = new Map<string, Session>();
  return {
    create() {
      const now = clock.now();
      for (const [k, s] of all) if (s.expires <= now) all.delete(k);
      const s = { id: randomToken(32), csrf: randomToken(), expires: now + ttlMs };
      all.set(s.id, s);
      return s;
    },
    get(id) {
      if (!id) return undefined;
      const s = all.get(id);
      if (!s) return undefined;
      if (s.expires <= clock.now()) {
        all.delete(id);
        return undefined;
      }
      return s;
    },
    destroy(id) {
      all.delete(id);
    },
  };
}
