import type { PROJECT_OPERATIONS } from '../../protocol/operations/projects';
import type { BridgeServices } from './services';
import { forSession } from './sessions';
import type { HandlersFor } from './table';

/** codex-manager's 404 body for projects, carrying our error fields too. */
function projectNotFound(projectId: string) {
  return { status: 404 as const, body: { status: 'not_found' as const, projectId, code: 'not_found', message: `no project ${projectId}` } };
}

function duplicateName(name: string, projectId: string) {
  return {
    status: 409 as const,
    body: { status: 'duplicate_name' as const, projectId, code: 'conflict', message: `a project named "${name.trim()}" already exists (${projectId})` },
  };
}

export function projectHandlers(s: BridgeServices): HandlersFor<typeof PROJECT_OPERATIONS> {
  return {
    async listProjects() {
      return { status: 200, body: { data: s.projects.list() } };
    },

    async createProject({ body }) {
      const result = await s.projects.create(body);
      if (result.status === 'duplicate_name') return duplicateName(body.name, result.projectId);
      return { status: 200, body: { status: 'ok', project: result.project, orchestrationSession: null } };
    },

    async renameProject({ params, body }) {
      const result = await s.projects.rename(params.projectId, body);
      if (result.status === 'not_found') return projectNotFound(result.projectId);
      if (result.status === 'duplicate_name') return duplicateName(body.name, result.projectId);
      return { status: 200, body: { status: 'ok', project: result.project } };
    },

    async deleteProject({ params }) {
      const { projectId } = params;
      const result = await s.projects.delete(projectId);
      if (result.status === 'not_found') return projectNotFound(projectId);
      if (result.status === 'project_not_empty') {
        const { sessionCount } = result;
        const message = `project ${projectId} still has ${sessionCount} chat(s); move or delete them first`;
        return { status: 409, body: { status: 'project_not_empty', projectId, sessionCount, code: 'conflict', message } };
      }
      return { status: 200, body: { status: 'ok', projectId, unassignedSessionCount: 0 } };
    },

    async moveProjectChats({ params, body }) {
      const { projectId } = params;
      const result = await s.projects.moveChats(projectId, body);
      if (result.status === 'not_found') return projectNotFound(result.projectId);
      if (result.status === 'not_materialized_sessions') {
        const message = `${result.sessionIds.length} chat(s) never had a turn, so there is nothing to archive; delete or unassign them instead`;
        return { status: 409, body: { status: 'not_materialized_sessions', projectId, sessionIds: result.sessionIds, code: 'conflict', message } };
      }
      const { status: _ok, ...counts } = result;
      const targetProjectId = body.destination === 'project' ? body.targetProjectId : null;
      return { status: 200, body: { status: 'ok', projectId, destination: body.destination, targetProjectId, ...counts } };
    },

    async deleteProjectChats({ params }) {
      const result = await s.projects.deleteChats(params.projectId);
      if (result.status === 'not_found') return projectNotFound(result.projectId);
      return { status: 200, body: { ...result, projectId: params.projectId } };
    },

    async setSessionProject({ params, body }) {
      const { sessionId } = params;
      const { projectId } = body;
      return forSession(sessionId, async () => {
        // The session first, so a deleted one answers 410 whatever project is named.
        await s.sessions.resolve(sessionId);
        const result = await s.projects.assign(sessionId, projectId);
        if (result.status === 'project_not_found') {
          const body = { status: 'project_not_found' as const, sessionId, projectId: result.projectId, code: 'not_found', message: `no project ${result.projectId}` };
          return { status: 404 as const, body };
        }
        return { status: 200 as const, body: { status: 'ok' as const, sessionId, projectId, previousProjectId: result.previousProjectId } };
      });
    },
  };
}
