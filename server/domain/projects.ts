import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BridgeError } from '../../protocol/errors';
import type { EventLog } from '../state/event-log';
import type { JsonDocument, Store } from '../state/store';
import { SerialQueue } from '../state/store/serial-queue';

/** A project as stored and as every surface sees it (stream.md's `project_upserted`). */
export const ProjectRecordSchema = z.object({
  projectId: z.string(),
  name: z.string(),
  workingDirectory: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof ProjectRecordSchema>;

const ProjectsDocumentSchema = z.object({ version: z.literal(1), projects: z.record(z.string(), ProjectRecordSchema) });
type ProjectsDocument = z.infer<typeof ProjectsDocumentSchema>;

export interface ProjectMember {
  sessionId: string;
  /** Whether the runtime has persisted the thread (it had a turn). */
  materialized: boolean;
  archived: boolean;
}

/**
 * What projects need from sessions. The assignment itself lives in the session index;
 * this seam keeps the project rules testable and the session internals elsewhere.
 */
export interface ProjectSessions {
  /** The live sessions assigned to `projectId`. */
  inProject(projectId: string): ProjectMember[];
  /** Durable once resolved. Throws the session's BridgeError (not_found, gone). */
  setProject(sessionId: string, projectId: string | null): Promise<{ previousProjectId: string | null }>;
  /** 'already_archived' when someone archived it meanwhile. */
  archive(sessionId: string): Promise<'archived' | 'already_archived'>;
  /** 'gone' when the session was already deleted or no longer exists. */
  delete(sessionId: string): Promise<'deleted' | 'gone'>;
}

export interface ProjectInput {
  name: string;
  /** undefined keeps the current one (rename), null clears it. */
  workingDirectory?: string | null | undefined;
}

export type Destination = { destination: 'unassigned' } | { destination: 'archive' } | { destination: 'project'; targetProjectId: string };

type NotFound = { status: 'not_found'; projectId: string };
type Duplicate = { status: 'duplicate_name'; projectId: string };

/**
 * The bridge's projects: a durable document of named groups, plus the rules that tie
 * sessions to them. Every change that reads and then writes (uniqueness, emptiness,
 * moving chats) runs one at a time, so two surfaces racing cannot break a rule, and
 * each answers only once its write is durable. Changes are announced on the event log
 * to everyone (threadId null).
 */
export class ProjectService {
  private readonly mutations = new SerialQueue();

  constructor(
    private readonly doc: JsonDocument<ProjectsDocument>,
    private readonly sessions: ProjectSessions,
    private readonly events: EventLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(store: Store, sessions: ProjectSessions, events: EventLog): Promise<ProjectService> {
    return new ProjectService(await store.document('projects', ProjectsDocumentSchema, { version: 1, projects: {} }), sessions, events);
  }

  /** By name, then id, so the order is stable. */
  list(): Project[] {
    return Object.values(this.doc.read().projects).sort((a, b) => a.name.localeCompare(b.name) || a.projectId.localeCompare(b.projectId));
  }

  get(projectId: string): Project | undefined {
    return Object.hasOwn(this.doc.read().projects, projectId) ? this.doc.read().projects[projectId] : undefined;
  }

  create(input: ProjectInput): Promise<{ status: 'ok'; project: Project } | Duplicate> {
    return this.mutations.run(async () => {
      const duplicate = this.idByName(input.name);
      if (duplicate) return { status: 'duplicate_name' as const, projectId: duplicate };
      const at = this.now().toISOString();
      const project: Project = { projectId: randomUUID(), name: input.name.trim(), workingDirectory: input.workingDirectory ?? null, createdAt: at, updatedAt: at };
      await this.write((projects) => ({ ...projects, [project.projectId]: project }));
      this.events.append('project_upserted', null, { project });
      return { status: 'ok' as const, project };
    });
  }

  rename(projectId: string, input: ProjectInput): Promise<{ status: 'ok'; project: Project } | NotFound | Duplicate> {
    return this.mutations.run(async () => {
      const current = this.get(projectId);
      if (!current) return { status: 'not_found' as const, projectId };
      const duplicate = this.idByName(input.name);
      if (duplicate && duplicate !== projectId) return { status: 'duplicate_name' as const, projectId: duplicate };
      const name = input.name.trim();
      const workingDirectory = input.workingDirectory === undefined ? current.workingDirectory : input.workingDirectory;
      let project = current;
      if (name !== current.name || workingDirectory !== current.workingDirectory) {
        project = { ...current, name, workingDirectory, updatedAt: this.now().toISOString() };
        await this.write((projects) => ({ ...projects, [projectId]: project }));
      }
      // Announced even when nothing changed, as codex-manager does: a client that
      // renamed expects to see the project come back.
      this.events.append('project_upserted', null, { project });
      return { status: 'ok' as const, project };
    });
  }

  /** Only an empty project can go: its chats must be moved or deleted first. */
  delete(projectId: string): Promise<{ status: 'ok' } | NotFound | { status: 'project_not_empty'; sessionCount: number }> {
    return this.mutations.run(async () => {
      if (!this.get(projectId)) return { status: 'not_found' as const, projectId };
      const sessionCount = this.sessions.inProject(projectId).length;
      if (sessionCount > 0) return { status: 'project_not_empty' as const, sessionCount };
      await this.write((projects) => {
        const { [projectId]: _removed, ...rest } = projects;
        return rest;
      });
      this.events.append('project_deleted', null, { projectId, sessionIds: [] });
      return { status: 'ok' as const };
    });
  }

  /** Assigns a session to a project, or to none. Session errors (unknown, deleted) are thrown. */
  assign(sessionId: string, projectId: string | null): Promise<{ status: 'ok'; previousProjectId: string | null } | { status: 'project_not_found'; projectId: string }> {
    return this.mutations.run(async () => {
      if (projectId !== null && !this.get(projectId)) return { status: 'project_not_found' as const, projectId };
      return { status: 'ok' as const, previousProjectId: await this.moveSession(sessionId, projectId) };
    });
  }

  /**
   * Empties a project: every chat goes to no project, to the archive (then no project),
   * or to another project. Archiving needs every chat to have had a turn (the runtime
   * keeps nothing to archive otherwise), so it is refused up front, not half done.
   */
  moveChats(projectId: string, to: Destination): Promise<
    | { status: 'ok'; movedSessionCount: number; archivedSessionCount: number; alreadyArchivedSessionCount: number }
    | NotFound
    | { status: 'not_materialized_sessions'; sessionIds: string[] }
  > {
    return this.mutations.run(async () => {
      if (!this.get(projectId)) return { status: 'not_found' as const, projectId };
      const target = to.destination === 'project' ? to.targetProjectId : null;
      if (target !== null && !this.get(target)) return { status: 'not_found' as const, projectId: target };
      if (target === projectId) throw new BridgeError('invalid_request', 'the target project is the project being emptied', { issues: [{ path: ['body', 'targetProjectId'], message: 'must differ from the project being emptied' }] });
      const members = this.sessions.inProject(projectId);
      const unmaterialized = members.filter((m) => !m.materialized).map((m) => m.sessionId);
      if (to.destination === 'archive' && unmaterialized.length > 0) return { status: 'not_materialized_sessions' as const, sessionIds: unmaterialized };
      let archivedSessionCount = 0;
      let alreadyArchivedSessionCount = 0;
      for (const { sessionId, archived } of members) {
        // One chat at a time, archive then move, so a failure part-way leaves each chat
        // either fully handled or untouched.
        if (to.destination === 'archive') {
          if (!archived && (await this.sessions.archive(sessionId)) === 'archived') archivedSessionCount++;
          else alreadyArchivedSessionCount++;
        }
        await this.moveSession(sessionId, target);
      }
      return { status: 'ok' as const, movedSessionCount: members.length, archivedSessionCount, alreadyArchivedSessionCount };
    });
  }

  /** Deletes every chat of a project; the project itself stays. */
  deleteChats(projectId: string): Promise<{ status: 'ok'; deletedSessionCount: number; skippedSessionCount: number } | NotFound> {
    return this.mutations.run(async () => {
      if (!this.get(projectId)) return { status: 'not_found' as const, projectId };
      let deletedSessionCount = 0;
      let skippedSessionCount = 0;
      for (const { sessionId } of this.sessions.inProject(projectId)) {
        if ((await this.sessions.delete(sessionId)) === 'deleted') deletedSessionCount++;
        else skippedSessionCount++;
      }
      return { status: 'ok' as const, deletedSessionCount, skippedSessionCount };
    });
  }

  /** Moves one session and announces it if anything changed; returns where it was. */
  private async moveSession(sessionId: string, projectId: string | null): Promise<string | null> {
    const { previousProjectId } = await this.sessions.setProject(sessionId, projectId);
    if (previousProjectId !== projectId) this.events.append('session_project_updated', null, { sessionId, projectId, previousProjectId });
    return previousProjectId;
  }

  private idByName(name: string): string | undefined {
    const key = nameKey(name);
    return Object.values(this.doc.read().projects).find((p) => nameKey(p.name) === key)?.projectId;
  }

  private async write(fn: (projects: ProjectsDocument['projects']) => ProjectsDocument['projects']): Promise<void> {
    await this.doc.update((current) => ({ ...current, projects: fn(current.projects) }));
  }
}

/** Names are unique ignoring case and surrounding spaces ("Alpha" and " alpha " clash). */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}
