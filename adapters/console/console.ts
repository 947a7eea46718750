import type { Readable, Writable } from 'node:stream';
import type { Conversation } from '../../src/conversation/core.ts';
import { readLines } from '../../src/text/lines.ts';
import { renderPlainText } from '../plain-text.ts';

/** The terminal adapter: one line in, the rendered reply out. */
export interface ConsoleAdapter {
  /** The one entry point: used by the interactive loop and by tests alike. */
  handleLine(line: string): Promise<string>;
}

/** Creates the terminal adapter over the conversation core. */
export function createConsoleAdapter(conversation: Conversation, onError?: (e: unknown) => void): ConsoleAdapter {
  return {
    async handleLine(line) {
      try {
        const reply = await conversation.handle({ channel: 'console', chatId: 'terminal', userId: 'terminal', text: line, isGroup: false, mentionsBot: true });
        return reply ? renderPlainText(reply, { feedbackHint: false }).join('\n\n') : '';
      } catch (e) {
        onError?.(e);
        return '抱歉，处理这个问题时出错了，请稍后再试。';
      }
    },
  };
}

/** Runs an interactive chat on the given streams until end of input or "exit". */
export async function runConsoleChat(adapter: ConsoleAdapter, input: Readable, output: Writable, banner: string): Promise<void> {
  const prompt = (): void => {
    output.write('问> ');
  };
  output.write(`${banner}\n输入问题后回车；输入 /help 查看命令，exit 退出。\n\n`);
  prompt();
  for await (const line of readLines(input)) {
    const t = line.trim();
    if (/^(exit|quit|退出|:q)$/i.test(t)) break;
    if (t) output.write(`${await adapter.handleLine(t)}\n\n`);
    prompt();
  }
  output.write('\n再见。\n');
}
