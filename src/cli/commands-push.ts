import { parseArgs } from 'node:util';
import { renderPlainText } from '../../adapters/plain-text.ts';
import type { App } from '../app.ts';
import { runPushCycle } from '../push/cycle.ts';
import { cycleDeps } from '../push/scheduler.ts';
import type { ChannelSender } from '../push/sender.ts';
import type { Channel } from '../store/schema.ts';
import { canPush, channelInfo, listChannels } from '../channels/registry.ts';
import type { CliIO } from './io.ts';

/**
 * Senders a push outside `start` can use: Telegram when TELEGRAM_BOT_TOKEN is set (it needs no
 * running bot), the WeCom app and the Official Account when configured (the 48-hour window is in
 * the store, shared with the running bot); WeChat (wechaty) pushes need a logged-in bot, so they
 * go out from `start` only.
 */
export async function standaloneSenders(app: App): Promise<Partial<Record<Channel, ChannelSender>>> {
  const using: Partial<Record<Channel, ChannelSender>> = {};
  if (app.config.TELEGRAM_BOT_TOKEN) {
    const { telegramAdapterFromConfig } = await import('./telegram.ts');
    using.telegram = telegramAdapterFromConfig(app, app.config.TELEGRAM_BOT_TOKEN).sender;
  }
  if (app.config.WECOM_CORP_ID || app.config.WECHAT_MP_SECRET) {
    const { createWecomSenderFromConfig, createOfficialAccountSenderFromConfig } = await import('./wechat-callbacks.ts');
    const wecom = createWecomSenderFromConfig(app);
    if (wecom) using.wecom = wecom;
    const mp = app.config.WECHAT_MP_TOKEN ? createOfficialAccountSenderFromConfig(app) : undefined;
    if (mp) using['wechat-mp'] = mp;
  }
  return using;
}

/**
 * `policybot push --once [--dry-run]`: one cycle now. Sends through Telegram when
 * TELEGRAM_BOT_TOKEN is set, through the WeCom app and the Official Account when configured
 * (the 48-hour window is in the store, shared with the running bot); WeChat (wechaty) pushes need
 * a logged-in bot, so they go out from `start`.
 */
export async function pushCommand(app: App, args: string[], io: CliIO, senders?: Partial<Record<Channel, ChannelSender>>): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean' }, 'dry-run': { type: 'boolean' } }, strict: true });
  if (!values.once) {
    io.err('usage: policybot push --once [--dry-run]   (the daily schedule runs inside `npm start`)\n');
    return 2;
  }
  const dry = Boolean(values['dry-run']);
  const using = senders ?? (dry ? {} : await standaloneSenders(app));
  const r = await runPushCycle(cycleDeps(app, using), { dryRun: dry });
  if (r.ingested.length) io.out(`ingested: ${r.ingested.join(', ')}\n`);
  if (r.rejected) io.out(`rejected files: ${r.rejected} (see the inbox's rejected/ folder)\n`);
  for (const e of r.feedErrors) io.out(`feed: ${e}\n`);
  if (dry) {
    if (r.previews.length === 0) io.out('nothing new to push\n');
    for (const p of r.previews) {
      io.out(`would push ${p.title} to ${p.pushes.length} subscribers:\n`);
      for (const s of p.pushes) io.out(`--- ${s.channel}:${s.chatId}\n${renderPlainText(s.reply).join('\n\n')}\n`);
    }
    return 0;
  }
  if (r.broadcasts.length === 0) io.out('nothing new to push\n');
  let incomplete = false;
  for (const b of r.broadcasts) {
    const waiting = Object.entries(b.pendingByChannel);
    io.out(
      `pushed ${b.issueKey}: sent ${b.sent}, failed for good ${b.failed}, to retry ${b.retrying}${b.waiting ? `, waiting for the user ${b.waiting}` : ''}${b.announced ? ', done' : ''}\n`,
    );
    for (const [ch, n] of waiting) {
      const note = channelInfo(ch)?.waitingNote;
      io.out(
        using[ch]
          ? `  ${ch}: ${n} still pending (${note ? `${note}; ` : ''}a later run resumes them)\n`
          : `  ${ch}: ${n} pending — this channel is not running in this process; ${channelInfo(ch)?.howToRun ?? '`npm start` with it configured delivers them'}\n`,
      );
    }
    if (b.stoppedBy) {
      incomplete = true;
      io.err(
        `push stopped early: ${b.stoppedBy}\n  nothing was marked done that was not delivered; run \`policybot push --once\` again once the channel works (only undelivered messages are sent)\n`,
      );
    }
  }
  return incomplete ? 1 : 0;
}

/** `policybot subscribers`: counts per channel and topic. */
export async function subscribersCommand(app: App, io: CliIO): Promise<number> {
  const subs = await app.store.subscribers();
  const active = subs.filter((s) => s.active);
  io.out(`subscribers: ${active.length} active, ${subs.length - active.length} inactive\n`);
  for (const ch of new Set([...listChannels().map((c) => c.id), ...active.map((s) => s.channel)])) {
    const list = active.filter((s) => s.channel === ch);
    if (list.length === 0) continue;
    const topics = new Map<string, number>();
    for (const s of list) for (const t of s.topics.length ? s.topics : ['（全部）']) topics.set(t, (topics.get(t) ?? 0) + 1);
    io.out(`  ${ch}${canPush(ch) ? '' : ' (cannot receive pushes)'}: ${list.length}\n`);
    for (const [t, n] of [...topics].sort((a, b) => b[1] - a[1])) io.out(`    ${t}: ${n}\n`);
  }
  return 0;
}
