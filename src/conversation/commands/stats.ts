import { listChannels } from '../../channels/registry.ts';
import { textReply } from '../context.ts';
import type { Command } from './command.ts';

/** /stats (admins only): questions asked and answered, subscribers per channel, feedback, top unanswered. */
export const statsCommand: Command = {
  name: 'stats',
  aliases: ['统计'],
  takesArgs: false,
  async handle(deps, msg) {
    const isAdmin = deps.admins.includes(`${msg.channel}:${msg.userId}`) || deps.admins.includes(msg.userId);
    if (!isAdmin) return textReply('这个命令仅限管理员使用。');
    const d = await deps.store.stats();
    const share = d.asked ? Math.round((d.answered / d.asked) * 100) : 0;
    const active = (await deps.store.subscribers()).filter((s) => s.active);
    const byChannel = listChannels()
      .map((c) => `${c.id} ${active.filter((s) => s.channel === c.id).length}`)
      .join('，');
    const top = d.unanswered.slice(0, 5);
    return {
      blocks: [
        {
          kind: 'list',
          title: '统计：',
          items: [
            `提问 ${d.asked} 次，已回答 ${d.answered} 次（${share}%）`,
            `订阅 ${active.length}（${byChannel}）`,
            `反馈 ${d.feedback} 条，有用 ${d.useful} 条`,
          ],
        },
        { kind: 'list', title: '最常见的未回答问题：', items: top.length ? top.map((u) => `${u.query}（${u.count}次）`) : ['无'] },
      ],
      actions: [],
    };
  },
};
