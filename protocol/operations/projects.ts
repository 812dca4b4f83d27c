import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema, NotFoundSessionSchema, SessionIdParams } from '../schemas/common';
import { sessionGoneResponse } from './sessions';

/**
 * Projects group sessions. The bridge keeps them (the runtime has no such notion);
 * bodies follow codex-manager's, whose OpenAPI leaves most of them undeclared, and
 * every error body also carries the bridge's `code` and `message`.
 */
export const ProjectSchema = z.looseObject({
  projectId: z.string(),
  name: z.string(),
  workingDirectory: z.string().nullable().describe('Absolute path the project works in, if set'),
  createdAt: z.string().describe('ISO 8601'),
  updatedAt: z.string().describe('ISO 8601'),
}).meta({ id: 'Project' });

const ProjectIdParams = z.object({ projectId: z.string().min(1).max(200).describe('Project id') });

const ProjectName = z.string().trim().min(1).max(120).describe('Unique among projects, ignoring case and surrounding spaces');
/** Absolute on POSIX (`/...`) or Windows (`C:\...`, `\\server\...`): a relative path means nothing to a daemon. */
const WorkingDirectory = z.string().trim().min(1).max(2000)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path')
  .describe('Absolute path; null clears it (bridge extension)');

export const ProjectBodySchema = z.object({
  name: ProjectName,
  workingDirectory: WorkingDirectory.nullable().optional(),
}).meta({ id: 'ProjectRequest' });

/** Extra error fields every bridge error body has. */
const errorFields = { code: z.string().optional(), message: z.string().optional() };

const ProjectNotFoundSchema = z.looseObject({ status: z.literal('not_found'), projectId: z.string(), ...errorFields })
  .meta({ id: 'ProjectNotFoundPayload' });
const DuplicateNameSchema = z.looseObject({
  status: z.literal('duplicate_name'),
  projectId: z.string().describe('The project that already has this name'),
  ...errorFields,
}).meta({ id: 'ProjectDuplicateNamePayload' });

export const listProjects = defineOperation({
  id: 'listProjects',
  domain: 'projects',
  name: 'list',
  method: 'GET',
  path: '/api/projects',
  summary: 'List projects (by name)',
  idempotent: true,
  responses: {
    200: { description: 'Project list', schema: z.looseObject({ data: z.array(ProjectSchema) }) },
  },
});

export const createProject = defineOperation({
  id: 'createProject',
  domain: 'projects',
  name: 'create',
  method: 'POST',
  path: '/api/projects',
  summary: 'Create a project',
  body: ProjectBodySchema,
  bodyRequired: true,
  responses: {
    200: {
      description: 'Project created',
      schema: z.looseObject({ status: z.literal('ok'), project: ProjectSchema, orchestrationSession: z.null().optional() }),
    },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    409: { description: 'Duplicate project name', schema: DuplicateNameSchema },
  },
});

export const renameProject = defineOperation({
  id: 'renameProject',
  domain: 'projects',
  name: 'rename',
  method: 'POST',
  path: '/api/projects/{projectId}/rename',
  summary: 'Rename a project (and optionally change its working directory)',
  params: ProjectIdParams,
  body: ProjectBodySchema,
  bodyRequired: true,
  responses: {
    200: { description: 'Project renamed', schema: z.looseObject({ status: z.literal('ok'), project: ProjectSchema }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Project not found', schema: ProjectNotFoundSchema },
    409: { description: 'Duplicate project name', schema: DuplicateNameSchema },
  },
});

export const deleteProject = defineOperation({
  id: 'deleteProject',
  domain: 'projects',
  name: 'delete',
  method: 'DELETE',
  path: '/api/projects/{projectId}',
  summary: 'Delete an empty project',
  params: ProjectIdParams,
  responses: {
    200: {
      description: 'Project deleted',
      schema: z.looseObject({ status: z.literal('ok'), projectId: z.string(), unassignedSessionCount: z.number().int() }),
    },
    400: { description: 'Invalid project id', schema: ErrorBodySchema },
    404: { description: 'Project not found', schema: ProjectNotFoundSchema },
    409: {
      description: 'Project must be empty before deletion',
      schema: z.looseObject({ status: z.literal('project_not_empty'), projectId: z.string(), sessionCount: z.number().int(), ...errorFields }),
    },
  },
});

export const MoveProjectChatsRequestSchema = z.discriminatedUnion('destination', [
  z.object({ destination: z.literal('unassigned') }),
  z.object({ destination: z.literal('archive').describe('Archive every chat (all must have had a turn), then unassign it') }),
  z.object({
    destination: z.literal('project').describe('Move every chat to another project (bridge extension)'),
    targetProjectId: z.string().min(1).max(200),
  }),
]).meta({ id: 'MoveProjectChatsRequest' });

export const moveProjectChats = defineOperation({
  id: 'moveProjectChats',
  domain: 'projects',
  name: 'move_all_chats',
  method: 'POST',
  path: '/api/projects/{projectId}/chats/move-all',
  summary: 'Move all chats of a project out of it: unassigned, archived, or into another project',
  params: ProjectIdParams,
  body: MoveProjectChatsRequestSchema,
  bodyRequired: true,
  responses: {
    200: {
      description: 'Chats moved',
      schema: z.looseObject({
        status: z.literal('ok'),
        projectId: z.string(),
        destination: z.enum(['unassigned', 'archive', 'project']),
        targetProjectId: z.string().nullable().optional(),
        movedSessionCount: z.number().int(),
        archivedSessionCount: z.number().int(),
        alreadyArchivedSessionCount: z.number().int(),
      }),
    },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Project (or target project) not found', schema: ProjectNotFoundSchema },
    409: {
      description: 'Archive precondition failed: some chats never had a turn (listed; nothing was archived), '
        + 'or a chat has a turn in progress (chats before it are archived)',
      schema: z.union([
        z.looseObject({ status: z.literal('not_materialized_sessions'), projectId: z.string(), sessionIds: z.array(z.string()), ...errorFields }),
        ErrorBodySchema,
      ]),
    },
    503: { description: 'Runtime unavailable (archive)', schema: ErrorBodySchema },
  },
});

export const deleteProjectChats = defineOperation({
  id: 'deleteProjectChats',
  domain: 'projects',
  name: 'delete_all_chats',
  method: 'POST',
  path: '/api/projects/{projectId}/chats/delete-all',
  summary: 'Permanently delete every chat of a project',
  params: ProjectIdParams,
  // codex-manager's contract accepts any object here and ignores it.
  body: z.looseObject({}),
  bodyRequired: false,
  responses: {
    200: {
      description: 'Chats deleted',
      schema: z.looseObject({
        status: z.literal('ok'),
        projectId: z.string(),
        deletedSessionCount: z.number().int(),
        skippedSessionCount: z.number().int().describe('Chats already gone when their turn came'),
      }),
    },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Project not found', schema: ProjectNotFoundSchema },
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const setSessionProject = defineOperation({
  id: 'setSessionProject',
  domain: 'sessions',
  name: 'set_project',
  method: 'POST',
  path: '/api/sessions/{sessionId}/project',
  summary: 'Assign a session to a project, or unassign it (null)',
  params: SessionIdParams,
  body: z.object({ projectId: z.string().trim().min(1).max(200).nullable() }).meta({ id: 'SetSessionProjectRequest' }),
  bodyRequired: true,
  responses: {
    200: {
      description: 'Session project updated',
      schema: z.looseObject({ status: z.literal('ok'), sessionId: z.string(), projectId: z.string().nullable(), previousProjectId: z.string().nullable() }),
    },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: {
      description: 'Session or project not found',
      schema: z.union([
        NotFoundSessionSchema,
        z.looseObject({ status: z.literal('project_not_found'), sessionId: z.string(), projectId: z.string(), ...errorFields }),
      ]),
    },
    410: sessionGoneResponse,
  },
});

export const PROJECT_OPERATIONS = {
  listProjects, createProject, renameProject, deleteProject, moveProjectChats, deleteProjectChats, setSessionProject,
} as const;
