import type { SESSION_SETTINGS_OPERATIONS } from '../../protocol/operations/session-settings';
import { given } from '../../protocol/schemas/common';
import { DefaultsLockedError, formatTuple, type AuditContext, type SessionSettingsService } from '../domain/session-settings';
import type { SettingsChange, SettingsMap } from '../domain/settings-map';
import type { BridgeServices } from './services';
import { forSession } from './sessions';
import type { CallContext, HandlersFor } from './table';

/**
 * Controls, settings, approval policy and supplemental transcript entries. The
 * authenticated caller is the audit actor; a body's `actor` is kept beside it as
 * what the request claimed, and `source` defaults to the caller's surface.
 */
export function sessionSettingsHandlers(s: BridgeServices): HandlersFor<typeof SESSION_SETTINGS_OPERATIONS> {
  const settings: SessionSettingsService = s.sessionSettings;
  return {
    async getSessionControls({ params }) {
      return forSession(params.sessionId, async () => ({ status: 200 as const, body: { status: 'ok' as const, ...(await settings.view(params.sessionId)) } }));
    },

    async applySessionControls({ params, body }, ctx) {
      const { sessionId } = params;
      return forSession(sessionId, async () => {
        try {
          const result = await settings.applyControls(sessionId, body.scope, { ...body.controls, model: given(body.controls.model) ?? null }, auditContext(ctx, body));
          return {
            status: 200 as const,
            body: {
              status: result.changed ? 'ok' as const : 'unchanged' as const,
              scope: body.scope,
              applied: result.applied,
              summary: formatTuple(result.applied),
              ...(result.runtime ? { runtime: result.runtime } : {}),
              ...(await settings.view(sessionId)),
            },
          };
        } catch (error) {
          if (!(error instanceof DefaultsLockedError)) throw error;
          return { status: 423 as const, body: { status: 'locked' as const, scope: body.scope, message: error.reason, ...(await settings.view(sessionId)) } };
        }
      });
    },

    async getSessionSettings({ params, query }) {
      const { sessionId } = params;
      const scope = query.scope ?? 'session';
      return forSession(sessionId, async () => {
        const map = await settings.settings(sessionId, scope);
        if (query.key === undefined) return { status: 200 as const, body: { status: 'ok' as const, sessionId, scope, settings: map } };
        const found = Object.hasOwn(map, query.key);
        return { status: 200 as const, body: { status: 'ok' as const, sessionId, scope, key: query.key, found, value: found ? map[query.key] : null } };
      });
    },

    async setSessionSettings({ params, body }, ctx) {
      const { sessionId } = params;
      const key = given(body.key);
      return forSession(sessionId, async () => {
        try {
          const result = await settings.setSettings(sessionId, body.scope, settingsChanges(body, key), auditContext(ctx, body));
          return {
            status: 200 as const,
            body: {
              status: result.changed ? 'ok' as const : 'unchanged' as const,
              sessionId, scope: body.scope, ...(key !== undefined ? { key } : {}), settings: result.settings,
            },
          };
        } catch (error) {
          return lockedSettings(error, settings, sessionId, body.scope);
        }
      });
    },

    async deleteSessionSetting({ params, query }, ctx) {
      const { sessionId, key } = params;
      const scope = query.scope ?? 'session';
      return forSession(sessionId, async () => {
        try {
          const result = await settings.deleteSetting(sessionId, scope, key, auditContext(ctx, query));
          return {
            status: 200 as const,
            body: { status: result.removed ? 'ok' as const : 'unchanged' as const, sessionId, scope, key, removed: result.removed, settings: result.settings },
          };
        } catch (error) {
          return lockedSettings(error, settings, sessionId, scope);
        }
      });
    },

    async setSessionApprovalPolicy({ params, body }, ctx) {
      const { sessionId } = params;
      return forSession(sessionId, async () => {
        const result = await settings.setApprovalPolicy(sessionId, body.approvalPolicy, auditContext(ctx, {}));
        return { status: 200 as const, body: { status: 'ok' as const, sessionId, approvalPolicy: body.approvalPolicy, runtime: result.runtime } };
      });
    },

    async upsertSessionTranscriptEntry({ params, body }) {
      const { sessionId } = params;
      return forSession(sessionId, async () => {
        await s.sessions.resolve(sessionId);
        const entry = await s.ledger.upsert(sessionId, body);
        return { status: 200 as const, body: { status: 'ok' as const, sessionId, entry } };
      });
    },
  };
}

/**
 * What a settings write asks for. codex-manager's contract lets `settings` and `key`
 * come together: both apply, `settings` first and `key` on top, so nothing the client
 * sent is dropped. A key without a value stores null (JSON has no undefined); a value
 * without a key, or neither, changes nothing.
 */
function settingsChanges(body: { settings?: SettingsMap | undefined; mode?: 'merge' | 'replace' | undefined; value?: unknown }, key: string | undefined): SettingsChange[] {
  const changes: SettingsChange[] = [];
  if (body.settings !== undefined) changes.push({ kind: 'object', settings: body.settings, mode: body.mode ?? 'merge' });
  if (key !== undefined) changes.push({ kind: 'key', key, value: body.value ?? null });
  return changes;
}

function auditContext(ctx: CallContext, claimed: { actor?: string | undefined; source?: string | undefined }): AuditContext {
  const claimedActor = given(claimed.actor);
  return {
    actor: ctx.actor,
    source: given(claimed.source) ?? ctx.actor.split(':')[0] ?? ctx.actor,
    ...(claimedActor ? { claimedActor } : {}),
  };
}

/** codex-manager's 423 body for a locked default scope; anything else is rethrown. */
async function lockedSettings(error: unknown, settings: SessionSettingsService, sessionId: string, scope: 'session' | 'default') {
  if (!(error instanceof DefaultsLockedError)) throw error;
  return { status: 423 as const, body: { status: 'locked' as const, scope, message: error.reason, sessionId, settings: await settings.settings(sessionId, scope) } };
}
