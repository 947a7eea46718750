#!/usr/bin/env node
// The installed `policybot` command (also `npm start`): runs the tsc-compiled CLI from dist/.
// `npm ci` builds dist/ (the prepare script); when dist/ is missing or older than a source file
// (a pull or an edit since), it is rebuilt here first, so a start never runs stale code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist/src/cli/main.js');
const stamp = join(root, 'dist/.tsbuildinfo');

/** Newest modification time of the TypeScript sources (and build config) that dist/ is made from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['src', 'adapters']) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of ['tsconfig.json', 'tsconfig.build.json']) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

if (existsSync(join(root, 'src')) && (!existsSync(main) || !existsSync(stamp) || statSync(stamp).mtimeMs < newestSource())) {
  process.stderr.write('policybot: compiling TypeScript to dist/ (sources changed since the last build)…\n');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('policybot: the TypeScript build failed (see above); fix it or run `npm run cli` (tsx) meanwhile.\n');
    process.exit(1);
  }
  // tsc leaves its build info untouched when nothing changed; the stamp must still say "checked now"
  const now = new Date();
  utimesSync(stamp, now, now);
}
process.argv[1] = main;
await import(pathToFileURL(main).href);
