/**
 * Agents' worker sessions: one system-owned codex thread per (owner, agent), where the
 * owner is a project id or `session:<id>` for a session outside any project. Created
 * lazily with the agent's policy on first use, remembered in the store, recreated if the
 * session was deleted. They are marked in the session index, so listings hide them and
 * the operation table refuses clients' mutations on them (403 system_session).
 */
import { z } from 'zod';
import type { SessionService } from '../../domain/session-service';
import type { JsonDocument, Store } from '../../state/store';

export interface WorkerPolicy {
  cwd?: string;
  model?: string;
  approvalPolicy?: 'untrusted' | 'on-failure' | 'on-request' | 'never';
  filesystemSandbox?: 'read-only' | 'workspace-write' | 'danger-full-access';
  networkAccess?: 'restricted' | 'enabled';
}

const MappingSchema = z.object({
  version: z.literal(1),
  owners: z.record(z.string(), z.record(z.string(), z.object({ sessionId: z.string(), createdAt: z.string() }))),
});
type Mapping = z.infer<typeof MappingSchema>;

export const SESSION_OWNER_PREFIX = 'session:';

export function sessionOwnerId(sessionId: string): string {
  return `${SESSION_OWNER_PREFIX}${sessionId}`;
}

export class WorkerSessions {
  /** One creation at a time per (owner, agent), so two jobs never make two workers. */
  private readonly creating = new Map<string, Promise<string>>();

  private constructor(private readonly doc: JsonDocument<Mapping>, private readonly sessions: SessionService) {}

  static async open(store: Store, sessions: SessionService): Promise<WorkerSessions> {
    return new WorkerSessions(await store.document('agent-sessions', MappingSchema, { version: 1, owners: {} }), sessions);
  }

  /** The worker session of (owner, agent), created with `policy` if there is none (or it was deleted). */
  ensure(ownerId: string, agent: string, policy: WorkerPolicy = {}): Promise<string> {
    const key = `${ownerId}\u0000${agent}`;
    const existing = this.doc.read().owners[ownerId]?.[agent];
    if (existing && this.sessions.exists(existing.sessionId)) return Promise.resolve(existing.sessionId);
    const inFlight = this.creating.get(key);
    if (inFlight) return inFlight;
    const created = this.create(ownerId, agent, policy).finally(() => this.creating.delete(key));
    this.creating.set(key, created);
    return created;
  }

  list(ownerId: string): { agent: string; sessionId: string }[] {
    const agents = this.doc.read().owners[ownerId] ?? {};
    return Object.entries(agents)
      .filter(([, v]) => this.sessions.exists(v.sessionId))
      .map(([agent, v]) => ({ agent, sessionId: v.sessionId }))
      .sort((a, b) => a.agent.localeCompare(b.agent));
  }

  hasOwner(ownerId: string): boolean {
    return Object.hasOwn(this.doc.read().owners, ownerId);
  }

  private async create(ownerId: string, agent: string, policy: WorkerPolicy): Promise<string> {
    const { session } = await this.sessions.create({
      ...policy,
      // Workers read and advise; they never ask a human for approval in the background.
      approvalPolicy: policy.approvalPolicy ?? 'never',
      filesystemSandbox: policy.filesystemSandbox ?? 'read-only',
      systemOwned: { ownerId, agent },
      title: `Agent ${agent} (${ownerId})`,
    });
    await this.doc.update((m) => ({
      ...m,
      owners: { ...m.owners, [ownerId]: { ...m.owners[ownerId], [agent]: { sessionId: session.sessionId, createdAt: new Date().toISOString() } } },
    }));
    return session.sessionId;
  }
}
