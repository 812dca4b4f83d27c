import { z } from 'zod';
import { defineOperation } from '../operation';
import { ApprovalPolicySchema, CodexThreadSchema, DynamicToolDefinitionSchema, ErrorBodySchema, FilesystemSandboxSchema, NetworkAccessSchema, NotFoundSessionSchema, SessionIdParams } from '../schemas/common';
import { sessionGoneResponse, SessionSummarySchema } from './sessions';

const notFound = { description: 'Session not found', schema: NotFoundSessionSchema };
const invalid = { description: 'Invalid request', schema: ErrorBodySchema };
const unavailable = { description: 'Runtime unavailable', schema: ErrorBodySchema };
const noMethod = { description: 'The pinned codex runtime lacks the method', schema: ErrorBodySchema };
const conflict = (description: string) => ({ description, schema: ErrorBodySchema });
/** codex-manager declares these bodies as open objects; any fields are accepted (and ignored). */
const openBody = z.looseObject({});
const ok = z.literal('ok');
const SessionReplySchema = z.looseObject({ status: ok, sessionId: z.string(), session: SessionSummarySchema });
const changedField = { changed: z.boolean().describe('False when the session already was in the requested state') };
const ChangedReplySchema = SessionReplySchema.extend(changedField);
/** The runtime's own answer to the method behind an operation, as codex-manager passes it on. */
const runtimeResult = z.unknown().describe("The runtime's response to the underlying method");

export const deleteSession = defineOperation({
  id: 'deleteSession',
  domain: 'sessions',
  name: 'delete',
  method: 'DELETE',
  path: '/api/sessions/{sessionId}',
  summary: 'Permanently delete a session',
  description: 'Deletes the runtime thread and its history (`thread/delete`, which also stops a turn in progress). '
    + 'From then on every operation on the session answers 410 with `DeletedSessionPayload`. Emits `session_deleted`.',
  params: SessionIdParams,
  responses: {
    200: {
      description: 'Session deleted',
      schema: z.looseObject({
        status: z.literal('ok'),
        sessionId: z.string(),
        title: z.string().nullable(),
        deletedFileCount: z.number().int().describe('Runtime history files removed (0 for a session that never had a turn)'),
        deletedAt: z.string().describe('ISO 8601 date-time (bridge extension)'),
      }),
    },
    400: invalid,
    404: notFound,
    410: { description: 'Session already deleted', schema: sessionGoneResponse.schema },
    503: unavailable,
  },
});

export const renameSession = defineOperation({
  id: 'renameSession',
  domain: 'sessions',
  name: 'rename',
  method: 'POST',
  path: '/api/sessions/{sessionId}/rename',
  summary: 'Rename a session',
  description: 'Sets the title in the bridge and the runtime thread name (`thread/name/set`; for an archived session, when it is unarchived).',
  params: SessionIdParams,
  body: z.object({ title: z.string().trim().min(1).max(200) }),
  bodyRequired: true,
  responses: {
    200: { description: 'Session renamed', schema: SessionReplySchema },
    400: invalid,
    404: notFound,
    410: sessionGoneResponse,
    503: unavailable,
  },
});

export const archiveSession = defineOperation({
  id: 'archiveSession',
  domain: 'sessions',
  name: 'archive',
  method: 'POST',
  path: '/api/sessions/{sessionId}/archive',
  summary: 'Archive a session',
  description: 'Archives the runtime thread (`thread/archive`): listed only with `archived=true`, readable, not usable until unarchived. '
    + 'A session that never had a turn (nothing on the runtime\'s disk) is archived in the bridge alone. '
    + 'Archiving an archived session changes nothing (`changed: false`).',
  params: SessionIdParams,
  body: openBody,
  bodyRequired: false,
  responses: {
    200: { description: 'Session archived', schema: ChangedReplySchema },
    400: invalid,
    404: notFound,
    409: conflict('A turn is in progress'),
    410: sessionGoneResponse,
    503: unavailable,
  },
});

export const unarchiveSession = defineOperation({
  id: 'unarchiveSession',
  domain: 'sessions',
  name: 'unarchive',
  method: 'POST',
  path: '/api/sessions/{sessionId}/unarchive',
  summary: 'Unarchive a session',
  description: 'Restores an archived session (`thread/unarchive`). Unarchiving a session that is not archived changes nothing (`changed: false`).',
  params: SessionIdParams,
  body: openBody,
  bodyRequired: false,
  responses: {
    200: { description: 'Session unarchived', schema: ChangedReplySchema.extend({ thread: CodexThreadSchema }) },
    400: invalid,
    404: notFound,
    410: sessionGoneResponse,
    503: unavailable,
  },
});

export const resumeSession = defineOperation({
  id: 'resumeSession',
  domain: 'sessions',
  name: 'resume',
  method: 'POST',
  path: '/api/sessions/{sessionId}/resume',
  summary: 'Resume a session',
  description: 'Loads the session\'s thread into the runtime (`thread/resume`). codex fixes dynamic tools when a thread starts: '
    + '`dynamicTools` must be the session\'s own (409 otherwise).',
  params: SessionIdParams,
  body: z.object({ dynamicTools: z.array(DynamicToolDefinitionSchema).max(128).optional() }).meta({ id: 'ResumeSessionRequest' }),
  bodyRequired: false,
  responses: {
    200: { description: 'Session resumed', schema: SessionReplySchema.extend({ thread: CodexThreadSchema }) },
    400: invalid,
    404: notFound,
    409: conflict('Session archived, or different dynamic tools requested'),
    410: sessionGoneResponse,
    503: unavailable,
  },
});

export const forkSession = defineOperation({
  id: 'forkSession',
  domain: 'sessions',
  name: 'fork',
  method: 'POST',
  path: '/api/sessions/{sessionId}/fork',
  summary: 'Fork a session',
  description: 'A new session with a copy of this one\'s history (`thread/fork`), all of it or up to a turn. '
    + 'It keeps the controls, project and dynamic tools unless the body overrides them.',
  params: SessionIdParams,
  body: z.looseObject({
    title: z.string().trim().max(200).optional().describe('Title of the new session (default, or empty: the source\'s)'),
    model: z.string().optional(),
    approvalPolicy: ApprovalPolicySchema.optional(),
    filesystemSandbox: FilesystemSandboxSchema.optional(),
    networkAccess: NetworkAccessSchema.optional(),
    lastTurnId: z.string().optional().describe('Keep turns up to and including this one'),
    beforeTurnId: z.string().optional().describe('Keep only the turns before this one'),
  }),
  bodyRequired: false,
  responses: {
    200: {
      description: 'Session forked',
      schema: z.looseObject({
        status: ok,
        sourceSessionId: z.string().describe('The session forked from (codex-manager\'s name)'),
        sessionId: z.string().describe('The new session (bridge extension)'),
        forkedFromSessionId: z.string().describe('Same as sourceSessionId (bridge extension)'),
        session: SessionSummarySchema,
        thread: CodexThreadSchema,
      }),
    },
    400: invalid,
    404: notFound,
    409: conflict('Session archived'),
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

const sessionOk = z.looseObject({ status: ok, sessionId: z.string() });

export const compactSession = defineOperation({
  id: 'compactSession',
  domain: 'sessions',
  name: 'compact',
  method: 'POST',
  path: '/api/sessions/{sessionId}/compact',
  summary: 'Start context compaction',
  description: 'Starts compaction (`thread/compact/start`); codex runs it as a turn, reported on the stream like any turn.',
  params: SessionIdParams,
  body: openBody,
  bodyRequired: false,
  responses: {
    200: { description: 'Compaction started', schema: sessionOk.extend({ result: runtimeResult }) },
    400: invalid,
    404: notFound,
    409: conflict('Session archived, not materialized, or a turn is in progress (codex would stop it)'),
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

export const rollbackSession = defineOperation({
  id: 'rollbackSession',
  domain: 'sessions',
  name: 'rollback',
  method: 'POST',
  path: '/api/sessions/{sessionId}/rollback',
  summary: 'Rollback turns in a session',
  description: 'Drops the last `numTurns` turns from the history (`thread/revert`). Files those turns changed are not restored.',
  params: SessionIdParams,
  body: z.object({ numTurns: z.number().int().min(1).max(10_000).default(1) }),
  bodyRequired: false,
  responses: {
    200: {
      description: 'Session rolled back',
      schema: sessionOk.extend({ numTurns: z.number().int(), removedTurnIds: z.array(z.string()), thread: CodexThreadSchema, result: runtimeResult }),
    },
    400: { description: 'Invalid rollback payload', schema: ErrorBodySchema },
    404: notFound,
    409: conflict('Rollback not allowed in current state: archived, a turn in progress, or fewer turns than numTurns'),
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

export const cleanBackgroundTerminals = defineOperation({
  id: 'cleanBackgroundTerminals',
  domain: 'sessions',
  name: 'clean_background_terminals',
  method: 'POST',
  path: '/api/sessions/{sessionId}/background-terminals/clean',
  summary: 'Clean background terminals',
  params: SessionIdParams,
  body: openBody,
  bodyRequired: false,
  responses: {
    200: { description: 'Background terminals cleaned', schema: sessionOk.extend({ result: runtimeResult }) },
    400: invalid,
    404: notFound,
    409: conflict('Session archived'),
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

export const startReview = defineOperation({
  id: 'startReview',
  domain: 'sessions',
  name: 'review',
  method: 'POST',
  path: '/api/sessions/{sessionId}/review',
  summary: 'Start review mode',
  description: 'Runs a code review as a turn (`review/start`). `targetType` defaults to `uncommittedChanges`; `baseBranch` needs `branch`, '
    + '`commit` needs `sha`, `custom` needs `instructions` (the runtime refuses a missing or empty one: 400). '
    + '`detached` reviews in a new session with the same controls.',
  params: SessionIdParams,
  body: z.object({
    delivery: z.enum(['inline', 'detached']).optional(),
    targetType: z.enum(['uncommittedChanges', 'baseBranch', 'commit', 'custom']).optional(),
    branch: z.string().optional(),
    sha: z.string().optional(),
    title: z.string().optional(),
    instructions: z.string().optional(),
  }),
  bodyRequired: false,
  responses: {
    200: {
      description: 'Review started',
      schema: sessionOk.extend({
        turnId: z.string(),
        delivery: z.enum(['inline', 'detached']),
        reviewSessionId: z.string().describe('The session the review runs in: this one, or the new one when detached'),
        result: z.looseObject({ turn: z.looseObject({ id: z.string() }), reviewThreadId: z.string() }).describe("The runtime's `review/start` response"),
      }),
    },
    400: invalid,
    404: notFound,
    409: conflict('Session archived, or a turn is in progress'),
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

export const steerTurn = defineOperation({
  id: 'steerTurn',
  domain: 'sessions',
  name: 'steer',
  method: 'POST',
  path: '/api/sessions/{sessionId}/turns/{turnId}/steer',
  summary: 'Steer an active turn',
  description: 'Adds input to the turn in progress (`turn/steer`); the turn must be the active one.',
  params: z.object({ sessionId: SessionIdParams.shape.sessionId, turnId: z.string().min(1).max(200).describe('Turn id') }),
  body: z.object({ input: z.string().min(1).max(1_000_000) }),
  bodyRequired: true,
  responses: {
    200: {
      description: 'Turn steered',
      schema: sessionOk.extend({ turnId: z.string(), result: z.looseObject({ actionType: z.literal('turn.steer'), status: z.literal('performed') }) }),
    },
    400: { description: 'Invalid steer payload', schema: ErrorBodySchema },
    404: notFound,
    409: {
      description: 'The turn is not the active one, or codex cannot steer it',
      schema: ErrorBodySchema.extend({ sessionId: z.string(), turnId: z.string(), result: z.looseObject({ actionType: z.literal('turn.steer'), status: z.string() }) }),
    },
    410: sessionGoneResponse,
    501: noMethod,
    503: unavailable,
  },
});

export const SESSION_LIFECYCLE_OPERATIONS = {
  deleteSession, renameSession, archiveSession, unarchiveSession, resumeSession, forkSession,
  compactSession, rollbackSession, cleanBackgroundTerminals, startReview, steerTurn,
} as const;
