import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { JsonlLog, Store } from '../state/store';
import type { TranscriptLedger } from './transcript-ledger';

const AuditRowSchema = z.object({
  at: z.string().describe('ISO time of the change'),
  actor: z.string().describe('The authenticated caller (surface[:actor]) that made the change'),
  claimedActor: z.string().optional().describe('The actor the request named, if any; recorded, not trusted'),
  source: z.string(),
  sessionId: z.string().nullable().describe('The session the request was made on (also for default-scope changes); null when none'),
  scope: z.enum(['session', 'default']),
  kind: z.enum(['controls', 'settings', 'approval_policy', 'defaults_lock']),
  key: z.string().optional(),
  before: z.unknown().optional().describe('The value before the change; absent when there was none'),
  after: z.unknown().optional().describe('The value after the change; absent when it was removed'),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

/** Who made a change and through what, as a handler knows it. */
export interface AuditContext {
  actor: string;
  source: string;
  claimedActor?: string;
}

export type AuditChange = Omit<AuditRow, 'at' | 'actor' | 'claimedActor' | 'source'> & { summary: string };

const TRANSCRIPT_TYPE: Record<AuditRow['kind'], string> = {
  controls: 'session.controls.updated',
  approval_policy: 'session.controls.updated',
  settings: 'session.settings.updated',
  defaults_lock: 'session.controls.updated',
};

/**
 * Every change to controls, settings and the defaults lock leaves one row in the
 * durable JSONL log `audit/session-settings`, and (as codex-manager does) a system
 * note in the session's supplemental transcript, so people reading the chat see it.
 */
export class SettingsAudit {
  private constructor(private readonly log: JsonlLog<AuditRow>, private readonly ledger: TranscriptLedger) {}

  static async open(store: Store, ledger: TranscriptLedger): Promise<SettingsAudit> {
    return new SettingsAudit(await store.log('audit/session-settings', AuditRowSchema), ledger);
  }

  /** Durable once the promise resolves: the audit row first, then the session's transcript note (if there is a session). */
  async record(ctx: AuditContext, change: AuditChange): Promise<AuditRow> {
    const { summary, ...fields } = change;
    const now = new Date();
    const row: AuditRow = {
      at: now.toISOString(),
      actor: ctx.actor,
      ...(ctx.claimedActor ? { claimedActor: ctx.claimedActor } : {}),
      source: ctx.source,
      ...fields,
    };
    await this.log.append(row);
    if (change.sessionId === null) return row;
    const scopeLabel = change.scope === 'default' ? 'new sessions default' : 'this session';
    const who = ctx.claimedActor ? `${ctx.claimedActor} (${ctx.actor})` : ctx.actor;
    await this.ledger.upsert(change.sessionId, {
      messageId: `audit-${now.getTime()}-${randomUUID().slice(0, 8)}`,
      turnId: change.kind === 'settings' ? 'session-settings' : 'session-controls',
      role: 'system',
      type: TRANSCRIPT_TYPE[change.kind],
      content: `${change.kind === 'settings' ? 'Session settings' : 'Session controls'} updated (${scopeLabel}) by ${who} via ${ctx.source}: ${summary}`,
      details: JSON.stringify({ occurredAt: row.at, actor: row.actor, claimedActor: row.claimedActor, source: row.source, scope: row.scope, kind: row.kind, key: row.key, previous: row.before, next: row.after }),
      status: 'complete',
      startedAt: now.getTime(),
      completedAt: now.getTime(),
    });
    return row;
  }

  /** Every row so far, oldest first. */
  rows(): readonly AuditRow[] {
    return this.log.records();
  }
}
