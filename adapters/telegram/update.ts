import { z } from 'zod';
import type { Update } from 'telegraf/types';

/*
 * The parts of a Telegram update the handlers in bot.ts read, and nothing more: unknown fields
 * and update kinds the bot ignores (edited_message, my_chat_member…) pass through untouched, so a
 * newer Bot API does not start failing; a field the bot reads that is missing or of another
 * shape fails here, before any handler runs, instead of as a TypeError inside one.
 */

const User = z.looseObject({ id: z.int() });
const Chat = z.looseObject({ id: z.int(), type: z.string() });

const Entity = z
  .looseObject({ type: z.string(), offset: z.int().nonnegative(), length: z.int().nonnegative(), user: User.optional() })
  .refine((e) => e.type !== 'text_mention' || e.user !== undefined, { message: 'a text_mention needs the user it names', path: ['user'] });

const Message = z
  .looseObject({
    message_id: z.int(),
    chat: Chat,
    from: User.optional(),
    text: z.string().optional(),
    entities: z.array(Entity).optional(),
    reply_to_message: z.looseObject({ from: User.optional() }).optional(),
  })
  .refine((m) => m.text === undefined || m.from !== undefined, { message: 'a text message needs its sender', path: ['from'] });

const CallbackQuery = z.looseObject({
  id: z.string(),
  from: User,
  data: z.string().optional(),
  message: z
    .looseObject({
      message_id: z.int(),
      chat: Chat,
      reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(z.looseObject({ callback_data: z.string().optional() }))) }).optional(),
    })
    .optional(),
});

const InlineQuery = z.looseObject({ id: z.string(), from: User, query: z.string() });

/** A Telegram update as far as the bot reads it. */
export const UpdateSchema = z.looseObject({
  update_id: z.int().nonnegative(),
  message: Message.optional(),
  callback_query: CallbackQuery.optional(),
  inline_query: InlineQuery.optional(),
});

/**
 * Reads a parsed JSON body as an update: the update, or why it is not one the bot can read
 * (the first two fields at fault, e.g. "message.chat: expected object, received null").
 */
export function readUpdate(body: unknown): { update: Update } | { error: string } {
  const r = UpdateSchema.safeParse(body);
  if (r.success) return { update: body as Update };
  const where = r.error.issues
    .slice(0, 2)
    .map((i) => `${i.path.map(String).join('.') || 'update'}: ${i.message}`)
    .join('; ');
  return { error: `not a Telegram update the bot can read: ${where}` };
}
