import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDataDir } from '../helpers.ts';

describe('terminal chat as a spawned process', () => {
  it('answers, pages, cites and exits, through stdin', async () => {
    const dir = await tempDataDir();
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/main.ts'), 'start'], {
      cwd: ROOT,
      env: { ...process.env, POLICYBOT_DATA_DIR: dir, TELEGRAM_BOT_TOKEN: '', WECHATY_PUPPET: '', LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stdin.write('新农合政府补助标准是多少钱\n更多\n/cite 川办发〔2013〕52号 第十四条\n今天天气怎么样\nexit\n');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(0);
    expect(out).toContain('政策问答机器人（终端）');
    expect(out).toContain('每人每年280元');
    expect(out).toContain('—— 《四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知》（川办发〔2013〕52号）一、（一）');
    expect(out).toContain('三、（十四）');
    expect(out).toContain('没有找到与这个问题相关的政策条款');
    expect(out).toContain('再见');
  });
});
