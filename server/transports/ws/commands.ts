import { z } from 'zod';
import { ALL_FAMILIES, type Family } from './families';

const FamilySchema = z.enum(ALL_FAMILIES as [Family, ...Family[]]);

const SubscribeSchema = z.object({
  type: z.literal('subscribe'),
  threadId: z.string().min(1).nullable().optional(),
  threadIds: z.array(z.string().min(1)).max(1000).optional(),
  since: z.number().int().min(0).optional(),
  /** How many frames of event `since` the client already has (frames of one event share its seq). */
  sinceFrames: z.number().int().min(0).max(16).optional(),
  /** The epoch `since` belongs to; another epoch answers `resync_required`. */
  epoch: z.string().min(1).max(64).optional(),
  families: z.array(FamilySchema).min(1).optional(),
  compact: z.boolean().optional(),
});

export type ClientCommand =
  | { type: 'subscribe'; threadIds: string[]; since?: number; sinceFrames?: number; epoch?: string; families?: Family[]; compact?: boolean }
  | { type: 'unsubscribe' }
  | { type: 'ping' }
  | { type: 'invalid'; reason?: string };

/** A client frame → a command; anything else is `invalid` (answered with an error frame, socket kept). */
export function parseClientCommand(text: string): ClientCommand {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { type: 'invalid', reason: 'not JSON' };
  }
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'ping') return { type: 'ping' };
  if (type === 'unsubscribe') return { type: 'unsubscribe' };
  if (type !== 'subscribe') return { type: 'invalid' };
  const parsed = SubscribeSchema.safeParse(message);
  if (!parsed.success) return { type: 'invalid', reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const { threadId, threadIds, since, sinceFrames, epoch, families, compact } = parsed.data;
  return {
    type: 'subscribe',
    threadIds: [...(threadId ? [threadId] : []), ...(threadIds ?? [])],
    ...(since !== undefined ? { since } : {}),
    ...(sinceFrames !== undefined ? { sinceFrames } : {}),
    ...(epoch !== undefined ? { epoch } : {}),
    ...(families ? { families } : {}),
    ...(compact !== undefined ? { compact } : {}),
  };
}
