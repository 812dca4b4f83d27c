import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema, NotFoundSessionSchema, ReasoningEffortSchema, SessionIdParams, systemSessionResponse } from '../schemas/common';
import { sessionGoneResponse } from './sessions';

/**
 * Background jobs (orchestrator queue, suggested requests, agent worker sessions) and the
 * agent extension routes, with codex-manager's paths, ids, inputs and reply shapes.
 */
const QueueUnavailableSchema = z.looseObject({
  status: z.literal('error'),
  code: z.literal('queue_unavailable'),
  message: z.string(),
  sessionId: z.string().optional(),
}).meta({ id: 'QueueUnavailableResponse' });

const unavailable = { 503: { description: 'Queue unavailable', schema: QueueUnavailableSchema } };

/** codex-manager's body for refused queue work on a session (full, conflicting, invalid). */
const QueueErrorSchema = z.looseObject({
  status: z.literal('error'),
  code: z.enum(['queue_full', 'job_conflict', 'invalid_payload']),
  sessionId: z.string(),
  message: z.string(),
  details: z.looseObject({ reason: z.string() }).optional(),
}).meta({ id: 'QueueErrorResponse' });
const queueErrors = {
  409: { description: 'Queue job conflict', schema: QueueErrorSchema },
  429: { description: 'Queue full', schema: QueueErrorSchema },
  503: { description: 'Queue unavailable', schema: QueueErrorSchema },
};
const invalid = { 400: { description: 'Invalid request', schema: ErrorBodySchema } };
const sessionErrors = {
  403: systemSessionResponse,
  404: { description: 'Session not found', schema: NotFoundSessionSchema },
  410: sessionGoneResponse,
};
const JobIdParams = z.strictObject({ jobId: z.string().min(1).max(200).describe('Queue job id') });
const ProjectIdParams = z.strictObject({ projectId: z.string().min(1).max(200).describe('Project id') });
const looseBody = z.record(z.string(), z.unknown());

export const OrchestratorJobSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  version: z.number(),
  projectId: z.string(),
  sourceSessionId: z.string().nullable(),
  priority: z.enum(['interactive', 'background']),
  state: z.enum(['queued', 'running', 'completed', 'failed', 'canceled']),
  dedupeKey: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable().describe('`<code>: <message>` of the last failure'),
  errorCode: z.string().nullable().optional().describe('Machine-readable code of the last failure (bridge extension)'),
  attempts: z.number(),
  maxAttempts: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  cancelRequestedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  runningContext: z.looseObject({ threadId: z.string().nullable(), turnId: z.string().nullable() }).meta({ id: 'OrchestratorJobRunningContext' }),
  progress: z.record(z.string(), z.unknown()).nullable().optional().describe('Last progress the worker reported (bridge extension)'),
}).meta({ id: 'OrchestratorJob' });

const JobNotFoundSchema = z.looseObject({ status: z.literal('not_found'), jobId: z.string() }).meta({ id: 'OrchestratorJobNotFound' });
const jobNotFound = { 404: { description: 'Job not found', schema: JobNotFoundSchema } };

const SuggestedQueuedSchema = z.looseObject({
  status: z.literal('queued'),
  jobId: z.string(),
  requestKey: z.string(),
  sessionId: z.string(),
  projectId: z.string(),
  dedupe: z.enum(['already_queued', 'enqueued']),
}).meta({ id: 'SuggestedRequestQueuedResponse' });
const SuggestionSchema = z.looseObject({
  status: z.enum(['ok', 'fallback']),
  sessionId: z.string(),
  requestKey: z.string(),
  suggestion: z.string(),
}).meta({ id: 'SuggestSessionRequestSuccessResponse' });
const NoContextSchema = z.looseObject({
  status: z.literal('no_context'),
  sessionId: z.string(),
  requestKey: z.string(),
  message: z.string(),
}).meta({ id: 'SuggestSessionRequestNoContextResponse' });

export const SuggestedRequestEntrySchema = z.looseObject({
  status: z.enum(['streaming', 'complete', 'error', 'canceled']),
  suggestion: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
}).meta({ id: 'SuggestedRequestRuntimeEntry' });

export const SuggestedRequestBodySchema = z.strictObject({
  model: z.string().optional(),
  effort: ReasoningEffortSchema.optional(),
  draft: z.string().min(1).max(4000).optional(),
}).meta({ id: 'SuggestedRequestBody' });

export const getOrchestratorJob = defineOperation({
  id: 'getOrchestratorJob', domain: 'orchestrator', name: 'get', method: 'GET', path: '/api/orchestrator/jobs/{jobId}',
  summary: 'Read a queue job', idempotent: true, params: JobIdParams,
  responses: { 200: { description: 'Queue job', schema: z.looseObject({ status: z.literal('ok'), job: OrchestratorJobSchema }) }, ...invalid, ...jobNotFound, ...unavailable },
});

export const listProjectOrchestratorJobs = defineOperation({
  id: 'listProjectOrchestratorJobs', domain: 'orchestrator', name: 'list', method: 'GET', path: '/api/projects/{projectId}/orchestrator/jobs',
  summary: "List a project's queue jobs", idempotent: true, params: ProjectIdParams,
  query: z.strictObject({ state: z.enum(['queued', 'running', 'completed', 'failed', 'canceled']).optional().describe('Only jobs in this state') }),
  responses: { 200: { description: 'Project queue jobs, newest first', schema: z.looseObject({ data: z.array(OrchestratorJobSchema) }) }, ...invalid, ...unavailable },
});

export const cancelOrchestratorJob = defineOperation({
  id: 'cancelOrchestratorJob', domain: 'orchestrator', name: 'cancel', method: 'POST', path: '/api/orchestrator/jobs/{jobId}/cancel',
  summary: 'Cancel a queue job',
  description: 'A queued job is canceled at once; a running one has its worker turn interrupted and is canceled when the worker stops (or after its graceful wait).',
  params: JobIdParams, body: looseBody, bodyRequired: false,
  responses: {
    200: { description: 'Queue job canceled', schema: z.looseObject({ status: z.literal('ok'), job: OrchestratorJobSchema }) },
    ...invalid, ...jobNotFound,
    409: { description: 'Job already terminal', schema: z.looseObject({ status: z.literal('already_terminal'), job: OrchestratorJobSchema }) },
    ...unavailable,
  },
});

export const enqueueSuggestedSessionRequest = defineOperation({
  id: 'enqueueSuggestedSessionRequest', domain: 'sessions', name: 'suggest_request_enqueue', method: 'POST',
  path: '/api/sessions/{sessionId}/suggested-request/jobs', summary: 'Queue the generation of a suggested next request',
  params: SessionIdParams, body: SuggestedRequestBodySchema, bodyRequired: false,
  responses: { 202: { description: 'Suggested request queued', schema: SuggestedQueuedSchema }, ...invalid, ...sessionErrors, ...queueErrors },
});

export const suggestSessionRequest = defineOperation({
  id: 'suggestSessionRequest', domain: 'sessions', name: 'suggest_request', method: 'POST',
  path: '/api/sessions/{sessionId}/suggested-request', summary: 'Generate a suggested next request',
  description: 'Runs a suggest_request job and waits for it up to a deadline: `ok` with the worker\'s suggestion, `fallback` with a '
    + 'deterministic one when the worker failed, 202 `queued` when the deadline passed first (the job goes on), 409 `no_context` when the session has no messages yet.',
  params: SessionIdParams, body: SuggestedRequestBodySchema, bodyRequired: false,
  responses: {
    200: { description: 'Suggested request generated', schema: SuggestionSchema },
    202: { description: 'Suggested request queued', schema: SuggestedQueuedSchema },
    ...invalid, ...sessionErrors,
    409: { description: 'No available context for suggestion', schema: NoContextSchema },
    429: queueErrors[429], 503: queueErrors[503],
  },
});

export const upsertSuggestedSessionRequest = defineOperation({
  id: 'upsertSuggestedSessionRequest', domain: 'sessions', name: 'suggest_request_upsert', method: 'POST',
  path: '/api/sessions/{sessionId}/suggested-request/upsert', summary: 'Record the state of a suggested request',
  params: SessionIdParams,
  body: z.strictObject({
    requestKey: z.string().min(1),
    status: z.enum(['streaming', 'complete', 'error', 'canceled']),
    suggestion: z.string().min(1).max(8000).optional(),
    error: z.string().min(1).max(4000).optional(),
  }).meta({ id: 'SuggestedRequestUpsertBody' }),
  bodyRequired: true,
  responses: {
    200: {
      description: 'Suggested request state updated',
      schema: z.looseObject({ status: z.literal('ok'), sessionId: z.string(), requestKey: z.string(), entry: SuggestedRequestEntrySchema }).meta({ id: 'SuggestedRequestUpsertResponse' }),
    },
    400: {
      description: 'Invalid request',
      schema: z.union([ErrorBodySchema, z.looseObject({ status: z.literal('invalid_request'), code: z.literal('missing_suggestion'), message: z.string() })]),
    },
    ...sessionErrors,
  },
});

const RbacRefusalSchema = z.looseObject({
  status: z.enum(['unauthorized', 'forbidden', 'error']),
  code: z.string(),
  message: z.string().optional(),
}).meta({ id: 'AgentExtensionAccessError' });
const rbacErrors = {
  401: { description: 'Authentication required (extension RBAC)', schema: RbacRefusalSchema },
  403: { description: 'Forbidden (extension RBAC: remote caller, or a role that may not do this)', schema: RbacRefusalSchema },
};

export const AgentExtensionModuleSchema = z.looseObject({
  moduleName: z.string(),
  name: z.string(),
  version: z.string(),
  agentId: z.string(),
  displayName: z.string(),
  manifestPath: z.string().nullable(),
  entrypointPath: z.string(),
  events: z.array(z.string()),
  origin: z.looseObject({ type: z.enum(['repo_local', 'installed_package', 'configured_root']), path: z.string() }).meta({ id: 'AgentExtensionOrigin' }),
  compatibility: z.looseObject({ status: z.string(), reasons: z.array(z.string()) }).meta({ id: 'AgentExtensionCompatibility' }),
  capabilities: z.looseObject({ events: z.array(z.string()), actions: z.array(z.string()) }).meta({ id: 'AgentExtensionCapabilities' }),
  trust: z.looseObject({
    mode: z.enum(['disabled', 'warn', 'enforced']), status: z.enum(['accepted', 'accepted_with_warnings', 'denied']), warnings: z.array(z.string()), errors: z.array(z.string()),
  }).meta({ id: 'AgentExtensionTrust' }),
  diagnostics: z.array(z.string()),
  isolation: z.literal('worker_thread').optional().describe('Each module runs in its own worker thread (bridge extension)'),
  restarts: z.number().optional().describe('How often the module\'s thread was restarted after a handler timeout or crash (bridge extension)'),
}).meta({ id: 'AgentExtensionModule' });

const ReloadErrorSchema = z.looseObject({
  status: z.literal('error'),
  code: z.enum(['reload_failed', 'reload_in_progress']),
  reloadId: z.string(),
  message: z.string(),
  snapshotVersion: z.string(),
  errors: z.array(z.looseObject({ extension: z.string(), code: z.string(), message: z.string() }).meta({ id: 'AgentExtensionLoadError' })),
}).meta({ id: 'AgentExtensionReloadError' });

export const listAgentExtensions = defineOperation({
  id: 'listAgentExtensions', domain: 'extensions', name: 'list', method: 'GET', path: '/api/agents/extensions',
  summary: 'Agent extension runtime snapshot', idempotent: true,
  responses: {
    200: {
      description: 'Extension runtime snapshot',
      schema: z.looseObject({ status: z.literal('ok'), snapshotVersion: z.string(), loadedAt: z.string(), modules: z.array(AgentExtensionModuleSchema) }),
    },
    ...rbacErrors,
  },
});

export const reloadAgentExtensions = defineOperation({
  id: 'reloadAgentExtensions', domain: 'extensions', name: 'reload', method: 'POST', path: '/api/agents/extensions/reload',
  summary: 'Reload agent extensions',
  description: 'Atomic: every module loads into a new snapshot that replaces the active one, or the active one stays (400 reload_failed). Every attempt is audited.',
  body: looseBody, bodyRequired: false,
  responses: {
    200: {
      description: 'Reload completed',
      schema: z.looseObject({
        status: z.literal('ok'), reloadId: z.string(), loadedCount: z.number(), failedCount: z.number(), snapshotVersion: z.string(), loadedAt: z.string(),
        modules: z.array(z.looseObject({ name: z.string(), version: z.string(), agentId: z.string(), events: z.array(z.string()) }).meta({ id: 'AgentExtensionReloadedModule' })),
      }),
    },
    400: { description: 'Reload failed (the previous snapshot stays active), or invalid request', schema: z.union([ReloadErrorSchema, ErrorBodySchema]) },
    ...rbacErrors,
    409: { description: 'Reload already in progress', schema: ReloadErrorSchema },
  },
});

export const listProjectAgentSessions = defineOperation({
  id: 'listProjectAgentSessions', domain: 'projects', name: 'list_agent_sessions', method: 'GET', path: '/api/projects/{projectId}/agent-sessions',
  summary: "List a project's agent (worker) sessions", idempotent: true, params: ProjectIdParams,
  description: 'projectId is a project id, or `session:<sessionId>` for the workers of a session outside any project.',
  responses: {
    200: {
      description: 'Project agent sessions',
      schema: z.looseObject({ status: z.literal('ok'), projectId: z.string(), data: z.array(z.looseObject({ agent: z.string(), sessionId: z.string(), systemOwned: z.boolean() }).meta({ id: 'AgentSessionMapping' })) }),
    },
    ...invalid,
    404: { description: 'Project not found', schema: z.looseObject({ status: z.literal('not_found'), projectId: z.string() }) },
  },
});

export const QUEUE_OPERATIONS = {
  getOrchestratorJob, listProjectOrchestratorJobs, cancelOrchestratorJob,
  enqueueSuggestedSessionRequest, suggestSessionRequest, upsertSuggestedSessionRequest,
  listAgentExtensions, reloadAgentExtensions, listProjectAgentSessions,
} as const;
