import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { createLogger, redactSecrets } from '../../src/logger.ts';

const fail = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    if (isPolicyBotError(e, 'CONFIG_INVALID')) return e.message;
    throw e;
  }
  throw new Error('expected CONFIG_INVALID');
};

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      POLICYBOT_DATA_DIR: './data',
      POLICYBOT_PUSH_TIME: '09:00',
      POLICYBOT_TIMEZONE: 'Asia/Shanghai',
      POLICYBOT_RATE_LIMIT_PER_MINUTE: 12,
      POLICYBOT_MAX_QUESTION_LENGTH: 200,
      POLICYBOT_ADMIN_IDS: [],
      TELEGRAM_WEBHOOK_PORT: 8443,
    });
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('reads values, lists and empty strings as unset', () => {
    const c = loadConfig({ POLICYBOT_ADMIN_IDS: 'telegram:1, wechat:wx_2', TELEGRAM_BOT_TOKEN: '', POLICYBOT_PUSH_TIME: '18:30' });
    expect(c.POLICYBOT_ADMIN_IDS).toEqual(['telegram:1', 'wechat:wx_2']);
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(c.POLICYBOT_PUSH_TIME).toBe('18:30');
  });

  it('names every wrong variable and what it expects, never echoing a secret', () => {
    const m = fail({ POLICYBOT_PUSH_TIME: '9am', POLICYBOT_TIMEZONE: 'Mars/Base', TELEGRAM_BOT_TOKEN: 'not-a-token-secret-value' });
    expect(m).toMatch(/POLICYBOT_PUSH_TIME: expected HH:MM/);
    expect(m).toMatch(/POLICYBOT_TIMEZONE: expected an IANA time zone/);
    expect(m).toMatch(/TELEGRAM_BOT_TOKEN: expected a token from @BotFather/);
    expect(m).not.toContain('not-a-token-secret-value');
  });

  it('reads the console settings: an empty port means no console; a short admin token is refused unechoed', () => {
    expect(loadConfig({ POLICYBOT_HTTP_PORT: '' }).POLICYBOT_HTTP_PORT).toBeUndefined();
    expect(loadConfig({}).POLICYBOT_HTTP_HOST).toBe('127.0.0.1');
    expect(loadConfig({ POLICYBOT_HTTP_PORT: '8080', POLICYBOT_ADMIN_TOKEN: 'a'.repeat(16) })).toMatchObject({ POLICYBOT_HTTP_PORT: 8080, POLICYBOT_ADMIN_TOKEN: 'a'.repeat(16) });
    expect(fail({ POLICYBOT_HTTP_PORT: 'http' })).toMatch(/POLICYBOT_HTTP_PORT/);
    const m = fail({ POLICYBOT_ADMIN_TOKEN: 'short-secret' });
    expect(m).toMatch(/POLICYBOT_ADMIN_TOKEN: expected at least 16 characters/);
    expect(m).not.toContain('short-secret');
  });

  it('requires a webhook secret with a webhook URL', () => {
    expect(fail({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook' })).toMatch(/TELEGRAM_WEBHOOK_SECRET: required/);
  });
});

describe('secret redaction', () => {
  it('removes configured secrets and any bot token inside a URL', () => {
    expect(redactSecrets('GET https://api.telegram.org/bot123456:AAExampleTokenValue_abcdefghij/sendMessage failed', [])).toBe('GET https://api.telegram.org/bot***/sendMessage failed');
    expect(redactSecrets('token=s3cr3t-value here', ['s3cr3t-value'])).toBe('token=*** here');
  });

  it('the logger never writes a secret, in messages, objects or errors', () => {
    const lines: string[] = [];
    const log = createLogger('info', ['s3cr3t-value'], new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    log.info({ url: 'https://x/s3cr3t-value' }, 'calling with s3cr3t-value');
    log.error({ err: new Error('failed: s3cr3t-value') }, 'boom');
    expect(lines.join('')).not.toContain('s3cr3t-value');
    expect(lines.join('')).toContain('***');
  });
});
