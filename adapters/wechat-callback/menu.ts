import { parseCommand } from '../../src/conversation/commands.ts';

/** Sent for images, voice, video, locations, links… */
export const TEXT_ONLY = '暂只支持文字提问。';

/**
 * The command a menu CLICK key stands for: a command word (最新一期, 帮助, 订阅…) as it is, an
 * ASCII key (LATEST, HELP, SUBSCRIBE) as "/latest", "/help"…; anything else shows the help.
 */
export function menuKeyCommand(key: string): string {
  const k = key.trim();
  if (parseCommand(k)) return k;
  if (/^[A-Za-z]+$/.test(k) && parseCommand(`/${k.toLowerCase()}`)) return `/${k.toLowerCase()}`;
  return '/help';
}
