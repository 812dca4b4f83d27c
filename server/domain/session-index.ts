import { z } from 'zod';
import type { JsonDocument, Store } from '../state/store';

/**
 * What the bridge remembers about each session beyond the runtime's thread: its
 * controls, title and project, and whether it exists yet on the runtime's disk. A thread
 * that never had a turn is not persisted by codex, so without this index it would
 * vanish from listings after a restart.
 */
export const SessionMetaSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  cwd: z.string(),
  model: z.string().nullable(),
  modelProvider: z.string(),
  approvalPolicy: z.enum(['untrusted', 'on-failure', 'on-request', 'never']),
  networkAccess: z.enum(['restricted', 'enabled']),
  filesystemSandbox: z.enum(['read-only', 'workspace-write', 'danger-full-access']),
  projectId: z.string().nullable(),
  materialized: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  source: z.string(),
  dynamicTools: z.array(z.object({ name: z.string(), description: z.string(), inputSchema: z.record(z.string(), z.unknown()) })).optional(),
});
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

const IndexSchema = z.object({ version: z.literal(1), sessions: z.record(z.string(), SessionMetaSchema) });
type Index = z.infer<typeof IndexSchema>;

export class SessionIndex {
  private constructor(private readonly doc: JsonDocument<Index>) {}

  static async open(store: Store): Promise<SessionIndex> {
    return new SessionIndex(await store.document('sessions', IndexSchema, { version: 1, sessions: {} }));
  }

  get(sessionId: string): SessionMeta | undefined {
    return this.doc.read().sessions[sessionId];
  }

  all(): SessionMeta[] {
    return Object.values(this.doc.read().sessions);
  }

  /** Durable once the promise resolves. */
  async put(meta: SessionMeta): Promise<void> {
    await this.doc.update((index) => ({ ...index, sessions: { ...index.sessions, [meta.sessionId]: meta } }));
  }

  async patch(sessionId: string, patch: Partial<SessionMeta>): Promise<SessionMeta | undefined> {
    let updated: SessionMeta | undefined;
    await this.doc.update((index) => {
      const current = index.sessions[sessionId];
      if (!current) return index;
      updated = { ...current, ...patch, updatedAt: Date.now() };
      return { ...index, sessions: { ...index.sessions, [sessionId]: updated } };
    });
    return updated;
  }
}
