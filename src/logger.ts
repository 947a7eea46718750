import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Replaces every secret (bot tokens, service tokens) in a string by "***". Used on log lines
 * and on error messages before they leave the process.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('***');
  // Telegram tokens in URLs even when not configured here (e.g. from a library's error)
  return out.replace(/\/bot\d+:[\w-]{20,}/g, '/bot***');
}

/** A pino logger on stderr (stdout belongs to the CLI's output) that never prints a secret. */
export function createLogger(level: string, secrets: readonly string[] = [], destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => scrub(a, secrets)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
    },
    destination,
  );
}

function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value instanceof Error) {
    const e = new Error(redactSecrets(value.message, secrets));
    e.name = value.name;
    e.stack = value.stack ? redactSecrets(value.stack, secrets) : undefined;
    return e;
  }
  if (value && typeof value === 'object' && depth < 4) {
    const out: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, secrets, depth + 1);
    return out;
  }
  return value;
}
