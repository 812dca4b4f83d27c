/**
 * Bridge events as extension events, with codex-manager's names:
 * - every runtime notification as `app_server.<method, dotted snake case>` (codex-manager's
 *   envelope: source, signalType, eventType, method, receivedAt, context, params, session);
 * - runtime requests that became pending (approvals, user input, tool calls) as
 *   `app_server.request.<method>`;
 * - `turn.completed` and `file_change.approval_requested`, the events agents react to.
 * Events of the agents' own worker sessions are not forwarded: an agent reviewing its
 * own turns would never stop.
 */
import type { SessionMeta } from '../domain/session-index';
import type { LoggedEvent } from '../state/event-log';
import type { ExtensionEvent } from './types';

function segment(s: string): string {
  const out = s.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/_+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  return out || 'unknown';
}

const names = new Map<string, string>();

/** `app_server.<method>` (or `app_server.request.<method>`), memoized: it runs for every runtime event. */
export function signalName(method: string, request = false): string {
  const key = request ? `request:${method}` : method;
  let name = names.get(key);
  if (name === undefined) {
    const dotted = method.split('/').filter((p) => p.trim()).map(segment).join('.') || 'unknown';
    name = request ? `app_server.request.${dotted}` : `app_server.${dotted}`;
    if (names.size < 1000) names.set(key, name);
  }
  return name;
}

const PENDING_EVENTS = new Set(['approval', 'tool_user_input_requested', 'tool_call_requested']);

/**
 * The extension events for one bridge event, built only when some handler wants one of
 * them (`wanted`): most runtime events (every streamed delta) cost a map lookup here.
 */
export function toExtensionEvents(event: LoggedEvent, sessionOf: (threadId: string) => SessionMeta | undefined, wanted: (type: string) => boolean): ExtensionEvent[] {
  if (event.type === 'notification') {
    const method = (event.payload as { method?: unknown }).method;
    if (typeof method !== 'string') return [];
    if (!wanted(signalName(method)) && !(method === 'turn/completed' && wanted('turn.completed'))) return [];
  } else if (PENDING_EVENTS.has(event.type)) {
    const method = (event.payload as { method?: unknown }).method;
    const name = signalName(typeof method === 'string' ? method : 'unknown', true);
    if (!wanted(name) && !(method === 'item/fileChange/requestApproval' && wanted('file_change.approval_requested'))) return [];
  } else {
    return [];
  }
  const meta = event.threadId ? sessionOf(event.threadId) : undefined;
  if (meta?.systemOwned) return [];
  const emittedAt = new Date(event.at).toISOString();
  const session = meta ? { id: meta.sessionId, title: meta.title, projectId: meta.projectId } : null;
  if (event.type === 'notification') {
    const message = event.payload as { method?: string; params?: Record<string, unknown> };
    if (typeof message.method !== 'string') return [];
    const params = message.params ?? {};
    const turn = params.turn as { id?: string; status?: string } | undefined;
    const turnId = typeof params.turnId === 'string' ? params.turnId : turn?.id ?? null;
    const eventType = signalName(message.method);
    const out: ExtensionEvent[] = [{
      type: eventType, emittedAt,
      payload: { source: 'app_server', signalType: 'notification', eventType, method: message.method, receivedAt: emittedAt, context: { threadId: event.threadId, turnId }, params, session },
    }];
    if (message.method === 'turn/completed' && event.threadId) {
      out.push({ type: 'turn.completed', emittedAt, payload: { sessionId: meta?.sessionId ?? event.threadId, threadId: event.threadId, turnId, status: turn?.status ?? null, projectId: meta?.projectId ?? null, turn: turn ?? null } });
    }
    return out;
  }
  const view = event.payload as { method?: string; turnId?: string | null; approvalId?: string; details?: Record<string, unknown>; summary?: string; itemId?: string | null };
  const method = view.method ?? 'unknown';
  const eventType = signalName(method, true);
  const out: ExtensionEvent[] = [{
    type: eventType, emittedAt,
    payload: { source: 'app_server', signalType: 'request', eventType, method, receivedAt: emittedAt, context: { threadId: event.threadId, turnId: view.turnId ?? null }, params: view.details ?? {}, session, requestId: view.approvalId ?? (view as { requestId?: string }).requestId ?? null },
  }];
  if (method === 'item/fileChange/requestApproval' && view.approvalId) {
    out.push({
      type: 'file_change.approval_requested', emittedAt,
      payload: {
        approvalId: view.approvalId, sessionId: meta?.sessionId ?? event.threadId, threadId: event.threadId, turnId: view.turnId ?? null, itemId: view.itemId ?? null,
        projectId: meta?.projectId ?? null, summary: view.summary ?? null, details: view.details ?? {},
      },
    });
  }
  return out;
}
