import { z } from 'zod';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { JsonDocument, Store } from '../state/store';
import { SerialQueue } from '../state/store/serial-queue';
import { pushControlsToRuntime, type ControlsTuple, type RuntimeSync } from './runtime-controls';
import { SessionMetaSchema, type SessionIndex, type SessionMeta } from './session-index';
import { threadIdOf } from './thread-meta';
import { SettingsAudit, type AuditContext } from './settings-audit';
import { applySettingsChange, changedKeys, sameValue, withoutKey, type SettingsChange, type SettingsMap } from './settings-map';
import type { TranscriptLedger } from './transcript-ledger';

export type Scope = 'session' | 'default';
export type ControlsWithSettings = ControlsTuple & { settings: SettingsMap };
export type { AuditContext } from './settings-audit';

/** How the service finds a session: SessionService.resolve (404 `not_found`, 410 `gone`, adopts runtime-only threads). */
export interface SessionLookup {
  resolve(sessionId: string): Promise<SessionMeta>;
}

export interface ControlsView {
  sessionId: string;
  controls: ControlsWithSettings;
  defaults: ControlsWithSettings;
  defaultsEditable: boolean;
  defaultLockReason: string | null;
}

/** Default-scope writes while the defaults are locked; the handler answers 423. */
export class DefaultsLockedError extends Error {
  constructor(readonly reason: string) {
    super(`the defaults for new sessions are locked: ${reason}`);
    this.name = 'DefaultsLockedError';
  }
}

const SettingsSchema = z.record(z.string(), z.unknown());
const TupleSchema = SessionMetaSchema.pick({ model: true, approvalPolicy: true, networkAccess: true, filesystemSandbox: true });
const DocSchema = z.object({
  version: z.literal(1),
  defaults: z.object({
    /** null until someone applies default controls: the bridge's configured defaults apply. */
    controls: TupleSchema.nullable(),
    settings: SettingsSchema,
    lock: z.object({ locked: z.boolean(), reason: z.string().nullable() }),
  }),
  sessions: z.record(z.string(), z.object({ settings: SettingsSchema })),
});
type Doc = z.infer<typeof DocSchema>;
const EMPTY: Doc = { version: 1, defaults: { controls: null, settings: {}, lock: { locked: false, reason: null } }, sessions: {} };
const LOCK_REASON = 'Managed by the bridge configuration';

/**
 * Session controls and settings in two scopes. A session's controls live in the
 * session index (SessionService turns them into runtime parameters); its settings,
 * the defaults and the defaults lock live in the `session-settings` document. Every
 * write is serialized, durable before it resolves, and audited; session-scope
 * controls are also pushed to the runtime so the next turn uses them.
 */
export class SessionSettingsService {
  private readonly writes = new SerialQueue();

  private constructor(
    private readonly doc: JsonDocument<Doc>,
    private readonly sessions: SessionLookup,
    private readonly index: SessionIndex,
    private readonly runtime: RuntimeSupervisor,
    private readonly audit: SettingsAudit,
    private readonly baseline: ControlsTuple,
  ) {}

  static async open(deps: {
    store: Store; sessions: SessionLookup; index: SessionIndex; runtime: RuntimeSupervisor; ledger: TranscriptLedger; baseline: ControlsTuple;
  }): Promise<SessionSettingsService> {
    const doc = await deps.store.document('session-settings', DocSchema, EMPTY);
    return new SessionSettingsService(doc, deps.sessions, deps.index, deps.runtime, await SettingsAudit.open(deps.store, deps.ledger), deps.baseline);
  }

  async view(sessionId: string): Promise<ControlsView> {
    const meta = await this.sessions.resolve(sessionId);
    const { lock } = this.doc.read().defaults;
    return {
      sessionId,
      controls: { ...tupleOf(meta), settings: this.settingsOf(sessionId, 'session') },
      defaults: { ...this.defaultControls(), settings: this.settingsOf(sessionId, 'default') },
      defaultsEditable: !lock.locked,
      defaultLockReason: lock.locked ? lock.reason ?? LOCK_REASON : null,
    };
  }

  /** The controls new sessions should start with. */
  defaultControls(): ControlsTuple {
    return this.doc.read().defaults.controls ?? this.baseline;
  }

  async settings(sessionId: string, scope: Scope): Promise<SettingsMap> {
    await this.sessions.resolve(sessionId);
    return this.settingsOf(sessionId, scope);
  }

  applyControls(sessionId: string, scope: Scope, next: ControlsTuple & { settings?: SettingsMap | undefined }, ctx: AuditContext):
    Promise<{ changed: boolean; applied: ControlsWithSettings; runtime?: RuntimeSync }> {
    return this.writes.run(async () => {
      const meta = await this.sessions.resolve(sessionId);
      if (scope === 'default') this.assertDefaultsEditable();
      const before: ControlsWithSettings = scope === 'session' ? { ...tupleOf(meta), settings: this.settingsOf(sessionId, 'session') } : { ...this.defaultControls(), settings: this.settingsOf(sessionId, 'default') };
      const after: ControlsWithSettings = { ...tupleOf(next), settings: next.settings ?? before.settings };
      const changed = !sameValue(before, after);
      if (changed) {
        if (scope === 'session') {
          if (!sameValue(tupleOf(before), tupleOf(after))) await this.index.patch(sessionId, tupleOf(after));
          if (!sameValue(before.settings, after.settings)) await this.writeSettings(sessionId, 'session', after.settings);
        } else {
          await this.doc.update((d) => ({ ...d, defaults: { ...d.defaults, controls: tupleOf(after), settings: after.settings } }));
        }
        await this.audit.record(ctx, { sessionId, scope, kind: 'controls', before, after, summary: `${formatTuple(before)} -> ${formatTuple(after)}` });
      }
      // Also when unchanged: re-applying is how a caller makes sure the runtime agrees.
      if (scope === 'default') return { changed, applied: after };
      return { changed, applied: after, runtime: await pushControlsToRuntime(this.runtime, threadIdOf(meta), after) };
    });
  }

  setApprovalPolicy(sessionId: string, approvalPolicy: SessionMeta['approvalPolicy'], ctx: AuditContext): Promise<{ changed: boolean; runtime: RuntimeSync }> {
    return this.writes.run(async () => {
      const meta = await this.sessions.resolve(sessionId);
      const changed = meta.approvalPolicy !== approvalPolicy;
      if (changed) {
        await this.index.patch(sessionId, { approvalPolicy });
        await this.audit.record(ctx, {
          sessionId, scope: 'session', kind: 'approval_policy', before: meta.approvalPolicy, after: approvalPolicy,
          summary: `approval policy ${meta.approvalPolicy} -> ${approvalPolicy}`,
        });
      }
      return { changed, runtime: await pushControlsToRuntime(this.runtime, threadIdOf(meta), { ...tupleOf(meta), approvalPolicy }) };
    });
  }

  /** Applies `changes` in order as one write (one durable update, one audit row); none is a no-op. */
  setSettings(sessionId: string, scope: Scope, changes: readonly SettingsChange[], ctx: AuditContext): Promise<{ changed: boolean; settings: SettingsMap }> {
    return this.writes.run(async () => {
      await this.sessions.resolve(sessionId);
      if (scope === 'default') this.assertDefaultsEditable();
      const before = this.settingsOf(sessionId, scope);
      const after = changes.reduce(applySettingsChange, before);
      if (sameValue(before, after)) return { changed: false, settings: before };
      await this.writeSettings(sessionId, scope, after);
      const only = changes.length === 1 ? changes[0] : undefined;
      const key = only?.kind === 'key' ? only.key : undefined;
      const replaced = changes.some((c) => c.kind === 'object' && c.mode === 'replace');
      await this.audit.record(ctx, {
        sessionId, scope, kind: 'settings',
        ...(key !== undefined ? { key, before: before[key], after: after[key] } : { before, after }),
        summary: `${changedKeys(before, after).join(', ')} ${replaced ? 'replaced' : 'set'}`,
      });
      return { changed: true, settings: after };
    });
  }

  deleteSetting(sessionId: string, scope: Scope, key: string, ctx: AuditContext): Promise<{ removed: boolean; settings: SettingsMap }> {
    return this.writes.run(async () => {
      await this.sessions.resolve(sessionId);
      if (scope === 'default') this.assertDefaultsEditable();
      const before = this.settingsOf(sessionId, scope);
      const { next, removed } = withoutKey(before, key);
      if (!removed) return { removed, settings: before };
      await this.writeSettings(sessionId, scope, next);
      await this.audit.record(ctx, { sessionId, scope, kind: 'settings', key, before: before[key], summary: `${key} removed` });
      return { removed, settings: next };
    });
  }

  defaultsLock(): { locked: boolean; reason: string | null } {
    return this.doc.read().defaults.lock;
  }

  /**
   * Locks (reason given) or unlocks (null) the default scope, durably: it stays so
   * across restarts until changed here. Meant for bridge configuration (a harness
   * that manages the defaults), not for API clients.
   */
  setDefaultsLock(reason: string | null, ctx: AuditContext): Promise<void> {
    return this.writes.run(async () => {
      const before = this.doc.read().defaults.lock;
      const after = { locked: reason !== null, reason };
      if (sameValue(before, after)) return;
      await this.doc.update((d) => ({ ...d, defaults: { ...d.defaults, lock: after } }));
      await this.audit.record(ctx, { sessionId: null, scope: 'default', kind: 'defaults_lock', before, after, summary: reason === null ? 'defaults unlocked' : `defaults locked: ${reason}` });
    });
  }

  /** Drops a deleted session's settings (its controls go with its index entry). */
  forgetSession(sessionId: string): Promise<void> {
    return this.writes.run(async () => {
      if (!Object.hasOwn(this.doc.read().sessions, sessionId)) return;
      await this.doc.update((d) => {
        const sessions = { ...d.sessions };
        delete sessions[sessionId];
        return { ...d, sessions };
      });
    });
  }

  /** Every audit row so far, oldest first. */
  auditRows() {
    return this.audit.rows();
  }

  /** A session's session-scope settings, synchronously (for session summaries). */
  sessionSettings(sessionId: string): SettingsMap {
    return this.settingsOf(sessionId, 'session');
  }

  private settingsOf(sessionId: string, scope: Scope): SettingsMap {
    const doc = this.doc.read();
    return scope === 'default' ? doc.defaults.settings : doc.sessions[sessionId]?.settings ?? {};
  }

  private async writeSettings(sessionId: string, scope: Scope, settings: SettingsMap): Promise<void> {
    await this.doc.update((d) => (scope === 'default'
      ? { ...d, defaults: { ...d.defaults, settings } }
      : { ...d, sessions: { ...d.sessions, [sessionId]: { settings } } }));
  }

  private assertDefaultsEditable(): void {
    const { lock } = this.doc.read().defaults;
    if (lock.locked) throw new DefaultsLockedError(lock.reason ?? LOCK_REASON);
  }

}

function tupleOf(c: ControlsTuple): ControlsTuple {
  return { model: c.model, approvalPolicy: c.approvalPolicy, networkAccess: c.networkAccess, filesystemSandbox: c.filesystemSandbox };
}

export function formatTuple(c: ControlsTuple): string {
  return `${c.model ?? 'default'} | ${c.approvalPolicy} | ${c.networkAccess} | ${c.filesystemSandbox}`;
}
