import { BridgeError } from '../../protocol/errors';
import type { ProjectMember, ProjectSessions } from './projects';
import type { SessionIndex } from './session-index';
import type { SessionService } from './session-service';

/**
 * Projects' view of sessions: membership is read from the session index (deleted
 * sessions have left it), and every change goes through the session service, so
 * unknown and deleted sessions are refused the same way everywhere.
 */
export class SessionsForProjects implements ProjectSessions {
  constructor(private readonly index: SessionIndex, private readonly sessions: SessionService) {}

  inProject(projectId: string): ProjectMember[] {
    return this.index.all()
      .filter((meta) => meta.projectId === projectId)
      .map((meta) => ({ sessionId: meta.sessionId, materialized: meta.materialized, archived: meta.archived === true }));
  }

  setProject(sessionId: string, projectId: string | null): Promise<{ previousProjectId: string | null }> {
    return this.sessions.setProject(sessionId, projectId);
  }

  async archive(sessionId: string): Promise<'archived' | 'already_archived'> {
    const { changed } = await this.sessions.lifecycle.archive(sessionId);
    return changed ? 'archived' : 'already_archived';
  }

  async delete(sessionId: string): Promise<'deleted' | 'gone'> {
    try {
      await this.sessions.delete(sessionId);
      return 'deleted';
    } catch (error) {
      // Deleted or removed by someone else meanwhile: nothing left to do for it.
      if (error instanceof BridgeError && (error.code === 'gone' || error.code === 'not_found')) return 'gone';
      throw error;
    }
  }
}
