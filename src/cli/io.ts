import { readLines } from '../text/lines.ts';

/** The streams a CLI command writes to and reads from; injected so tests can capture them. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Lines of standard input, for commands that read it. */
  lines(): AsyncIterable<string>;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

/** The process's own streams. */
export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    lines: () => readLines(process.stdin),
    env: process.env,
    isTTY: Boolean(process.stdin.isTTY),
  };
}
