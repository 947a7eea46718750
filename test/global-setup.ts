import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Brings the compiled dist/ up to date once, before any test file runs: several tests spawn the
 * real `policybot` bin (what `npm start` runs), which rebuilds a stale dist/ first. Built here,
 * no spawned test pays the build inside its own timeout, and no two rebuild at once.
 */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const r = spawnSync(process.execPath, [join(root, 'bin/policybot.js'), 'help'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`building dist/ for the spawned-bin tests failed:\n${r.stderr}`);
}
