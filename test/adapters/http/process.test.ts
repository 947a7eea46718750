import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDataDir, until } from '../../helpers.ts';
import { TOKEN } from './harness.ts';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Runs the installed bin, as `npm start` does (the compiled dist/, rebuilt first when stale). */
function run(args: string[], env: Record<string, string>) {
  let text = '';
  child = spawn(process.execPath, [join(ROOT, 'bin/policybot.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '', WECHATY_PUPPET: '', POLICYBOT_ADMIN_TOKEN: TOKEN, ...env },
  });
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exit = new Promise<number | null>((res) => child!.on('close', res));
  return { text: () => text, exit };
}

describe('the console as a spawned process', () => {
  it('npm start serves it when POLICYBOT_HTTP_PORT is set, on 127.0.0.1, and stops on SIGTERM', async () => {
    // port 0: the system picks a free one, so no other test can take it in between
    const p = run(['start'], { POLICYBOT_DATA_DIR: await tempDataDir(), POLICYBOT_HTTP_PORT: '0' });
    await until(() => p.text().includes('PolicyBot started'));
    const port = Number(/started: console http:\/\/127\.0\.0\.1:(\d+)/.exec(p.text())![1]);
    expect(port).toBeGreaterThan(0);
    const ask = await (await fetch(`http://127.0.0.1:${port}/api/ask?q=${encodeURIComponent('新农合政府补助标准')}`)).json();
    expect((ask as { results: Array<{ text: string }> }).results[0]!.text).toContain('280元');
    expect((await fetch(`http://127.0.0.1:${port}/api/documents`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    child!.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.text()).not.toContain(TOKEN);
  });

  it('policybot serve --port 0 picks a free port and says where', async () => {
    const p = run(['serve', '--port', '0'], { POLICYBOT_DATA_DIR: await tempDataDir() });
    await until(() => /PolicyBot console: http:\/\/127\.0\.0\.1:\d+/.test(p.text()));
    const url = /PolicyBot console: (http:\S+)/.exec(p.text())![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child!.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('serve refuses a port that is not a whole number from 0 to 65535 (exit 2)', async () => {
    for (const port of ['', 'abc', '70000', '-1', '80.5']) {
      const p = run(['serve', `--port=${port}`], { POLICYBOT_DATA_DIR: await tempDataDir() });
      expect(await p.exit, port).toBe(2);
      expect(p.text()).toContain('--port expects a whole number from 0 to 65535');
    }
  });

  it('a port in use stops serve with the variables to set, not a stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as AddressInfo).port;
    try {
      const p = run(['serve', '--port', String(port)], { POLICYBOT_DATA_DIR: await tempDataDir() });
      expect(await p.exit).toBe(1);
      expect(p.text()).toContain(
        `CONFIG_INVALID: cannot serve the console on 127.0.0.1:${port}: the port is in use by another program; set POLICYBOT_HTTP_PORT`,
      );
      expect(p.text()).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
  });
});
