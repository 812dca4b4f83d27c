import type { AskForApproval } from '../../protocol/generated/codex/v2/AskForApproval';
import type { SandboxPolicy } from '../../protocol/generated/codex/v2/SandboxPolicy';
import type { Thread } from '../../protocol/generated/codex/v2/Thread';
import type { SessionMeta } from './session-index';

export const UNTITLED = 'New session';

/** Controls the runtime does not report on a stored thread; ours fill the gap. */
export interface ThreadDefaults {
  approvalPolicy: SessionMeta['approvalPolicy'];
  filesystemSandbox: SessionMeta['filesystemSandbox'];
  networkAccess: SessionMeta['networkAccess'];
}

/** Runtime thread ids are UUIDs; anything else cannot be a thread and needs no runtime lookup. */
const UUID = /^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function couldBeThreadId(id: string): boolean {
  return UUID.test(id);
}

/**
 * The runtime's `source` as one string: `"cli"`, `"vscode"`, `"exec"`, ... as is; the
 * object forms (`{custom: name}`, `{subAgent: ...}`) by their kind, with a custom
 * source's name.
 */
export function sourceName(source: unknown): string {
  if (typeof source === 'string') return source;
  if (source && typeof source === 'object') {
    const [kind, value] = Object.entries(source)[0] ?? [];
    if (kind === 'custom' && typeof value === 'string') return `custom:${value}`;
    if (kind) return kind;
  }
  return 'unknown';
}

/**
 * What we know of a thread we did not create (another codex client started it): its
 * runtime metadata, with our defaults for the controls codex does not report. It has a
 * rollout (the runtime listed or read it), so it is materialized.
 */
export function metaFromThread(thread: Pick<Thread, 'id' | 'name' | 'preview' | 'cwd' | 'model' | 'modelProvider' | 'createdAt' | 'updatedAt' | 'source'>, defaults: ThreadDefaults): SessionMeta {
  return {
    sessionId: thread.id,
    title: thread.name || titleFrom(thread.preview ?? ''),
    cwd: thread.cwd,
    model: thread.model ?? null,
    modelProvider: thread.modelProvider,
    approvalPolicy: defaults.approvalPolicy,
    networkAccess: defaults.networkAccess,
    filesystemSandbox: defaults.filesystemSandbox,
    projectId: null,
    materialized: true,
    createdAt: thread.createdAt * 1000,
    updatedAt: thread.updatedAt * 1000,
    source: sourceName(thread.source),
  };
}

/** A title from the first line of a message, like codex's own preview. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line || UNTITLED;
}

/** The runtime thread behind a session: its own id, unless its thread had to be started again. */
export function threadIdOf(meta: Pick<SessionMeta, 'sessionId' | 'threadId'>): string {
  return meta.threadId ?? meta.sessionId;
}

/** codex 0.169 has no `on-failure`; the closest it offers is asking on request. */
export function runtimeApprovalPolicy(policy: SessionMeta['approvalPolicy']): AskForApproval {
  return policy === 'on-failure' ? 'on-request' : policy;
}

/** A turn's sandbox policy from the session's filesystem and network controls. */
export function sandboxPolicy(mode: SessionMeta['filesystemSandbox'], network: SessionMeta['networkAccess']): SandboxPolicy {
  const networkAccess = network === 'enabled';
  switch (mode) {
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [], networkAccess, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
    default:
      return { type: 'readOnly', networkAccess };
  }
}
