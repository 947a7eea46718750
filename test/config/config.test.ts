import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { createLogger, redactSecrets } from '../../src/logger.ts';
import { lineSink } from '../helpers.ts';

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
    expect(loadConfig({ POLICYBOT_HTTP_PORT: '8080', POLICYBOT_ADMIN_TOKEN: 'a'.repeat(16) })).toMatchObject({
      POLICYBOT_HTTP_PORT: 8080,
      POLICYBOT_ADMIN_TOKEN: 'a'.repeat(16),
    });
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
    expect(redactSecrets('GET https://api.telegram.org/bot123456:AAExampleTokenValue_abcdefghij/sendMessage failed', [])).toBe(
      'GET https://api.telegram.org/bot***/sendMessage failed',
    );
    expect(redactSecrets('token=s3cr3t-value here', ['s3cr3t-value'])).toBe('token=*** here');
  });

  it('the logger never writes a secret, in messages, objects or errors', () => {
    const lines: string[] = [];
    const log = createLogger('info', ['s3cr3t-value'], lineSink(lines));
    log.info({ url: 'https://x/s3cr3t-value' }, 'calling with s3cr3t-value');
    log.error({ err: new Error('failed: s3cr3t-value') }, 'boom');
    expect(lines.join('')).not.toContain('s3cr3t-value');
    expect(lines.join('')).toContain('***');
  });
});

const WECOM = {
  WECOM_CORP_ID: 'ww1234567890abcdef',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'Secret_0123456789abcdefghij',
  WECOM_TOKEN: 'tok42',
  WECOM_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

describe('Official Account and WeCom configuration', () => {
  it('reads the variables, with the callback server on 127.0.0.1:8080 by default', () => {
    const c = loadConfig({ WECHAT_MP_TOKEN: 'policybot', WECHAT_MP_APPID: 'wx5823bf96d3bd56c7', ...WECOM });
    expect(c).toMatchObject({
      WECHAT_MP_TOKEN: 'policybot',
      WECOM_AGENT_ID: 1000002,
      WECHAT_CALLBACK_HOST: '127.0.0.1',
      WECHAT_CALLBACK_PORT: 8080,
      WECHAT_MP_PATH: '/wechat',
      WECOM_PATH: '/wecom',
    });
    expect(loadConfig({ WECOM_AGENT_ID: '' }).WECOM_AGENT_ID).toBeUndefined();
  });

  it('names a wrong value and what to set, never echoing it', () => {
    const m = fail({ WECHAT_MP_TOKEN: 'policybot', WECHAT_MP_APPID: 'wx5823bf96d3bd56c7', WECHAT_MP_AES_KEY: 'too-short-secret-key' });
    expect(m).toMatch(/WECHAT_MP_AES_KEY: expected the 43-character EncodingAESKey/);
    expect(m).not.toContain('too-short-secret-key');
  });

  it('asks for the rest of a partial group', () => {
    expect(fail({ WECHAT_MP_TOKEN: 'policybot' })).toMatch(/WECHAT_MP_APPID: required for the Official Account channel/);
    expect(fail({ WECHAT_MP_SECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' })).toMatch(/WECHAT_MP_TOKEN: required/);
    const m = fail({ WECOM_CORP_ID: 'ww1234567890abcdef', WECOM_TOKEN: 'tok42' });
    expect(m).toMatch(/WECOM_AGENT_ID: required/);
    expect(m).toMatch(/WECOM_SECRET: required/);
    expect(m).toMatch(/WECOM_AES_KEY: required/);
    expect(m).not.toMatch(/WECOM_TOKEN: required/);
  });
});
