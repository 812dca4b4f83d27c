import { z } from 'zod';
import type { JsonDocument, Store } from '../state/store';

/**
 * What the bridge remembers about each session beyond the runtime's thread: its
 * controls, title and project, and whether it exists yet on the runtime's disk. A thread
 * that never had a turn is not listed by codex, so without this index it would vanish
 * from listings after a restart.
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
  /**
   * The runtime thread behind the session when it is not the session id: a session that
   * never had a turn and whose thread the runtime lost is started again under a new
   * thread id, while clients keep the session id they know.
   */
  threadId: z.string().optional(),
  /** Archived in the runtime (`thread/archive`): hidden from default listings, not loadable. */
  archived: z.boolean().optional(),
  archivedAt: z.number().optional(),
  forkedFromSessionId: z.string().optional(),
  /** A worker session the bridge's agents own: hidden from listings, refused to clients' mutations. */
  systemOwned: z.object({ ownerId: z.string(), agent: z.string() }).optional(),
});
export type SessionMeta = z.infer<typeof SessionMetaSchema>;

/** What a deleted session leaves behind, so it answers 410 (not 404) from then on. */
export const TombstoneSchema = z.object({
  sessionId: z.string(),
  title: z.string().nullable(),
  deletedAt: z.string(),
  threadId: z.string().optional(),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;

const IndexSchema = z.object({
  version: z.literal(1),
  sessions: z.record(z.string(), SessionMetaSchema),
  deleted: z.record(z.string(), TombstoneSchema).default({}),
});
type Index = z.infer<typeof IndexSchema>;

export class SessionIndex {
  private constructor(private readonly doc: JsonDocument<Index>) {}

  static async open(store: Store): Promise<SessionIndex> {
    return new SessionIndex(await store.document('sessions', IndexSchema, { version: 1, sessions: {}, deleted: {} }));
  }

  /** A live session (deleted ones are only visible through `tombstone`). */
  get(sessionId: string): SessionMeta | undefined {
    return Object.hasOwn(this.doc.read().sessions, sessionId) ? this.doc.read().sessions[sessionId] : undefined;
  }

  all(): SessionMeta[] {
    return Object.values(this.doc.read().sessions);
  }

  tombstone(sessionId: string): Tombstone | undefined {
    const deleted = this.doc.read().deleted;
    return Object.hasOwn(deleted, sessionId) ? deleted[sessionId] : undefined;
  }

  /** Runtime thread ids that belonged to deleted sessions (kept out of listings). */
  deletedThreadIds(): Set<string> {
    return new Set(Object.values(this.doc.read().deleted).map((t) => t.threadId ?? t.sessionId));
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

  /** Replaces the session by its tombstone in one durable write. */
  async remove(tombstone: Tombstone): Promise<void> {
    await this.doc.update((index) => {
      const sessions = { ...index.sessions };
      delete sessions[tombstone.sessionId];
      return { ...index, sessions, deleted: { ...index.deleted, [tombstone.sessionId]: tombstone } };
    });
  }
}
