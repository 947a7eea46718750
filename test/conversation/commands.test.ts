import { describe, expect, it } from 'vitest';
import { COMMAND_HELP, isCommand, parseCommand } from '../../src/conversation/commands.ts';
import { COMMANDS } from '../../src/conversation/commands/registry.ts';

describe('the command registry', () => {
  it('reaches every command by its slash name and by each alias', () => {
    for (const c of COMMANDS) {
      expect(parseCommand(`/${c.name}`)?.command, c.name).toBe(c);
      for (const a of c.aliases) expect(parseCommand(`/${a}`)?.command, a).toBe(c);
    }
  });

  it('takes arguments after a bare Chinese alias only for commands that take them', () => {
    expect(parseCommand('订阅 医保 住房')).toMatchObject({ name: 'subscribe', args: '医保 住房' });
    expect(parseCommand('引用：川办发〔2013〕52号 第十四条')).toMatchObject({ name: 'cite', args: '川办发〔2013〕52号 第十四条' });
    expect(parseCommand('更多')).toMatchObject({ name: 'more', args: '' });
    // "更多 补贴" is a question that starts with 更多, not the paging command
    expect(parseCommand('更多 补贴')).toBeUndefined();
    expect(parseCommand('/cite@PolicyBot 川办发〔2013〕52号 第一条')).toMatchObject({ name: 'cite', args: '川办发〔2013〕52号 第一条' });
    expect(parseCommand('/nosuch')).toBeUndefined();
    expect(isCommand('/nosuch')).toBe(true);
  });

  it('lists in /help exactly the commands that carry a help line, in registry order', () => {
    expect(COMMAND_HELP.map((c) => c.command)).toEqual(COMMANDS.filter((c) => c.help).map((c) => c.name));
    expect(COMMAND_HELP.map((c) => c.command)).not.toContain('stats');
  });
});
