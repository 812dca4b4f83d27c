import { BridgeError } from '../../protocol/errors';
import type { PendingEntry } from '../state/pending-registry';

type Params = Record<string, unknown>;
type ItemLookup = (itemId: string) => Record<string, unknown> | undefined;

/**
 * Registry entries as codex-manager clients see them (`approvalId` / `requestId`,
 * summary, details), and public decisions translated into each runtime method's
 * response shape.
 */
export function approvalView(entry: PendingEntry, itemOf: ItemLookup): Record<string, unknown> {
  const params = (entry.params ?? {}) as Params;
  const item = entry.itemId ? itemOf(entry.itemId) : undefined;
  const details: Params = { ...params };
  // A file-change request names only its item; paths and diffs live on the item.
  if (item && entry.method === 'item/fileChange/requestApproval') details.changes = item.changes;
  if (item && entry.method === 'item/commandExecution/requestApproval' && details.command == null) details.command = item.command;
  return { approvalId: entry.id, ...common(entry), summary: approvalSummary(entry.method, details), details };
}

export function toolInputView(entry: PendingEntry): Record<string, unknown> {
  const params = (entry.params ?? {}) as Params;
  const questions = Array.isArray(params.questions) ? params.questions : [];
  const first = questions[0] as { question?: string } | undefined;
  return { requestId: entry.id, ...common(entry), summary: first?.question ?? 'The agent asks for input', questions, details: params };
}

export function toolCallView(entry: PendingEntry): Record<string, unknown> {
  const params = (entry.params ?? {}) as Params;
  return {
    requestId: entry.id,
    ...common(entry),
    callId: typeof params.callId === 'string' ? params.callId : null,
    tool: String(params.tool ?? ''),
    arguments: params.arguments ?? null,
    summary: `Tool call: ${String(params.tool ?? 'unknown')}`,
    details: params,
  };
}

function common(entry: PendingEntry): Params {
  return { method: entry.method, threadId: entry.threadId, turnId: entry.turnId, itemId: entry.itemId, createdAt: entry.createdAt, status: entry.status };
}

function approvalSummary(method: string, details: Params): string {
  switch (method) {
    case 'item/commandExecution/requestApproval':
      return `Run command: ${String(details.command ?? '(unknown command)')}`;
    case 'execCommandApproval':
      return `Run command: ${Array.isArray(details.command) ? details.command.join(' ') : String(details.command)}`;
    case 'item/fileChange/requestApproval': {
      const changes = Array.isArray(details.changes) ? (details.changes as { path?: string }[]) : [];
      return changes.length ? `Change ${changes.map((c) => c.path).join(', ')}` : 'Apply file changes';
    }
    case 'applyPatchApproval':
      return `Change ${Object.keys((details.fileChanges ?? {}) as Params).join(', ') || 'files'}`;
    case 'item/permissions/requestApproval':
      return `Grant permissions${details.reason ? `: ${String(details.reason)}` : ''}`;
    default:
      return method;
  }
}

export type Decision = 'accept' | 'decline' | 'cancel';

/** The runtime response for an approval decision, per method. */
export function approvalResponse(entry: PendingEntry, decision: Decision, scope: 'turn' | 'session' | undefined): unknown {
  const forSession = scope === 'session';
  switch (entry.method) {
    case 'item/commandExecution/requestApproval':
    case 'item/fileChange/requestApproval':
      return { decision: decision === 'accept' ? (forSession ? 'acceptForSession' : 'accept') : decision };
    case 'execCommandApproval':
    case 'applyPatchApproval':
      return {
        decision: decision === 'accept' ? (forSession ? 'approved_for_session' : 'approved')
          : decision === 'decline' ? { denied: { rejection: 'declined by the user' } } : 'abort',
      };
    case 'item/permissions/requestApproval': {
      const requested = ((entry.params as Params).permissions ?? {}) as Params;
      const granted: Params = {};
      if (decision === 'accept') {
        if (requested.network) granted.network = requested.network;
        if (requested.fileSystem) granted.fileSystem = requested.fileSystem;
      }
      return { permissions: granted, scope: forSession ? 'session' : 'turn' };
    }
    default:
      throw new BridgeError('invalid_request', `${entry.id} is not an approval`);
  }
}

/** The runtime response to `item/tool/requestUserInput` (or an elicitation). */
export function toolInputResponse(entry: PendingEntry, body: { decision: Decision; answers?: Record<string, { answers: string[] }>; response?: unknown }): unknown {
  if (body.response !== undefined) return body.response;
  if (entry.kind === 'elicitation') {
    return { action: body.decision, content: body.decision === 'accept' ? (body.answers ?? {}) : null, _meta: null };
  }
  return { answers: body.decision === 'accept' ? (body.answers ?? {}) : {} };
}

/** The runtime response to `item/tool/call`. */
export function toolCallResponse(body: { success?: boolean; text?: string; contentItems?: unknown[]; response?: unknown }): unknown {
  if (body.response !== undefined) return body.response;
  const contentItems = body.contentItems ?? (body.text !== undefined ? [{ type: 'inputText', text: body.text }] : []);
  return { contentItems, success: body.success ?? true };
}
