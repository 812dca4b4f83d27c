import { z } from 'zod';
import { defineOperation } from '../operation';
import {
  ApprovalPolicySchema, CodexThreadSchema, DynamicToolDefinitionSchema, ErrorBodySchema, FilesystemSandboxSchema,
  NetworkAccessSchema, NotFoundSessionSchema, ReasoningEffortSchema, SessionIdParams, systemSessionResponse,
} from '../schemas/common';

export const SessionControlsSchema = z.looseObject({
  model: z.string().nullable(),
  approvalPolicy: ApprovalPolicySchema,
  networkAccess: NetworkAccessSchema,
  filesystemSandbox: FilesystemSandboxSchema,
  settings: z.record(z.string(), z.unknown()).describe('The session-scope settings'),
}).meta({ id: 'SessionControlsTuple' });

export const SessionSummarySchema = z.looseObject({
  sessionId: z.string(),
  title: z.string(),
  materialized: z.boolean().describe('Whether the runtime has persisted the thread (it has had a turn)'),
  modelProvider: z.string(),
  approvalPolicy: ApprovalPolicySchema,
  sessionControls: SessionControlsSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  cwd: z.string(),
  source: z.string(),
  projectId: z.string().nullable(),
  activeTurnId: z.string().nullable().optional().describe('The turn in progress, if any (bridge extension)'),
  archived: z.boolean().describe('Whether the session is archived (bridge extension)'),
  forkedFromSessionId: z.string().optional().describe('The session this one was forked from (bridge extension)'),
  systemOwned: z.boolean().optional().describe("An agent's worker session, owned by the bridge: read-only for clients (bridge extension)"),
}).meta({ id: 'SessionSummary' });

/** codex-manager's 410 body: a deleted session keeps answering with this, never 404. */
export const DeletedSessionSchema = z.looseObject({
  status: z.literal('deleted'),
  sessionId: z.string(),
  title: z.string().nullable().optional(),
  message: z.string(),
  deletedAt: z.string().describe('ISO 8601 date-time'),
}).meta({ id: 'DeletedSessionPayload' });

export const sessionGoneResponse = { description: 'Session deleted', schema: DeletedSessionSchema };

export const TranscriptEntrySchema = z.looseObject({
  messageId: z.string(),
  turnId: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  type: z.string(),
  content: z.string(),
  details: z.string().nullable().optional(),
  startedAt: z.number().int().optional(),
  completedAt: z.number().int().optional(),
  status: z.enum(['streaming', 'complete', 'canceled', 'error']),
}).meta({ id: 'TranscriptEntry' });

const queryBoolean = z.union([z.boolean(), z.stringbool()]);

export const listSessions = defineOperation({
  id: 'listSessions',
  domain: 'sessions',
  name: 'list',
  method: 'GET',
  path: '/api/sessions',
  summary: 'List sessions, including ones the runtime has not persisted yet',
  description: 'Sessions the bridge knows and threads only the runtime knows (started by another codex client; '
    + '`source` is then the runtime\'s), newest first by creation time. The cursor names the last row of the previous page, '
    + 'so sessions created while paging do not shift or repeat rows.',
  idempotent: true,
  query: z.object({
    archived: queryBoolean.optional().describe('When true, list archived sessions.'),
    includeSystemOwned: queryBoolean.optional().describe("When true, also list the agents' system-owned worker sessions (hidden by default)."),
    cursor: z.string().max(1000).optional().describe('Pagination cursor from a previous response.'),
    limit: z.coerce.number().int().min(1).max(200).optional().describe('Maximum rows to return (default 100).'),
  }),
  responses: {
    200: {
      description: 'Session list',
      schema: z.looseObject({
        data: z.array(SessionSummarySchema),
        nextCursor: z.string().nullable(),
        archived: z.boolean().describe('Whether this is the archived listing'),
        runtimeIncluded: z.boolean().optional().describe('False when the runtime was unavailable and only sessions the bridge knows are listed'),
      }),
    },
    400: { description: 'Invalid query', schema: ErrorBodySchema },
  },
});

export const CreateSessionRequestSchema = z.object({
  cwd: z.string().optional().describe('Working directory of the session; empty means the default'),
  model: z.string().optional().describe('Model for the session; empty means the default'),
  approvalPolicy: ApprovalPolicySchema.optional(),
  networkAccess: NetworkAccessSchema.optional(),
  filesystemSandbox: FilesystemSandboxSchema.optional(),
  dynamicTools: z.array(DynamicToolDefinitionSchema).max(128).optional(),
}).meta({ id: 'CreateSessionRequest' });

export const createSession = defineOperation({
  id: 'createSession',
  domain: 'sessions',
  name: 'create',
  method: 'POST',
  path: '/api/sessions',
  summary: 'Create a session (starts a codex thread)',
  body: CreateSessionRequestSchema,
  bodyRequired: false,
  responses: {
    200: { description: 'Session created', schema: z.looseObject({ session: SessionSummarySchema, thread: CodexThreadSchema }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const readSession = defineOperation({
  id: 'readSession',
  domain: 'sessions',
  name: 'get',
  method: 'GET',
  path: '/api/sessions/{sessionId}',
  summary: 'Read a session with its transcript',
  idempotent: true,
  params: SessionIdParams,
  responses: {
    200: {
      description: 'Session detail',
      schema: z.looseObject({ session: SessionSummarySchema, thread: CodexThreadSchema, transcript: z.array(TranscriptEntrySchema) }),
    },
    400: { description: 'Invalid session id', schema: ErrorBodySchema },
    404: { description: 'Session not found', schema: NotFoundSessionSchema },
    410: sessionGoneResponse,
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const SendSessionMessageRequestSchema = z.object({
  text: z.string().min(1).max(1_000_000),
  model: z.string().optional().describe('Model from this turn on; empty keeps the session\'s'),
  effort: ReasoningEffortSchema.optional(),
  approvalPolicy: ApprovalPolicySchema.optional(),
  networkAccess: NetworkAccessSchema.optional(),
  filesystemSandbox: FilesystemSandboxSchema.optional(),
  dynamicTools: z.array(DynamicToolDefinitionSchema).max(128).optional(),
  collaborationMode: z.enum(['default', 'plan']).optional().describe('Runtime collaboration mode for this turn (bridge extension)'),
}).meta({ id: 'SendSessionMessageRequest' });

export const sendSessionMessage = defineOperation({
  id: 'sendSessionMessage',
  domain: 'sessions',
  name: 'send_message',
  method: 'POST',
  path: '/api/sessions/{sessionId}/messages',
  summary: 'Start a turn in a session',
  params: SessionIdParams,
  body: SendSessionMessageRequestSchema,
  bodyRequired: true,
  responses: {
    202: { description: 'Turn accepted', schema: z.looseObject({ status: z.literal('accepted'), sessionId: z.string(), turnId: z.string() }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    403: systemSessionResponse,
    404: { description: 'Session not found', schema: NotFoundSessionSchema },
    409: { description: 'A turn is already running in this session, or it is archived', schema: ErrorBodySchema },
    410: sessionGoneResponse,
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const interruptSessionTurn = defineOperation({
  id: 'interruptSessionTurn',
  domain: 'sessions',
  name: 'interrupt',
  method: 'POST',
  path: '/api/sessions/{sessionId}/interrupt',
  summary: 'Interrupt the active turn',
  params: SessionIdParams,
  body: z.object({ turnId: z.string().optional().describe('The turn to interrupt; empty or omitted means the active one') }),
  bodyRequired: false,
  responses: {
    200: { description: 'Turn interrupted', schema: z.looseObject({ status: z.literal('ok'), sessionId: z.string(), turnId: z.string() }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    403: systemSessionResponse,
    404: { description: 'Session not found', schema: NotFoundSessionSchema },
    409: {
      description: 'No active turn (codex-manager\'s body, with our error fields)',
      schema: z.looseObject({ status: z.literal('no_active_turn'), sessionId: z.string(), code: z.string().optional(), message: z.string().optional() }),
    },
    410: sessionGoneResponse,
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const SESSION_OPERATIONS = { listSessions, createSession, readSession, sendSessionMessage, interruptSessionTurn } as const;
