import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema, ReasoningEffortSchema, SessionIdParams } from '../schemas/common';

/**
 * Background jobs (orchestrator queue, suggested requests, agent extensions). Declared
 * with codex-manager's paths, ids and inputs; until the queue lands they answer 503
 * `queue_unavailable`, so clients can detect it instead of meeting a 404.
 */
const QueueUnavailableSchema = z.looseObject({
  status: z.literal('error'),
  code: z.literal('queue_unavailable'),
  message: z.string(),
  sessionId: z.string().optional(),
}).meta({ id: 'QueueUnavailableResponse' });

const unavailable = { 503: { description: 'Queue unavailable', schema: QueueUnavailableSchema } };

/**
 * codex-manager's 503 body for the suggested-request operations, whose clients know only
 * these codes. Until the queue lands the bridge answers `queue_full` (the one that means
 * "not now"), with `details.reason: "queue_unavailable"` saying why.
 */
const QueueErrorSchema = z.looseObject({
  status: z.literal('error'),
  code: z.enum(['queue_full', 'job_conflict', 'invalid_payload']),
  sessionId: z.string(),
  message: z.string(),
  details: z.looseObject({ reason: z.string() }).optional(),
}).meta({ id: 'QueueErrorResponse' });
const sessionQueueUnavailable = { 503: { description: 'Queue unavailable', schema: QueueErrorSchema } };
const invalid = { 400: { description: 'Invalid request', schema: ErrorBodySchema } };
const JobIdParams = z.strictObject({ jobId: z.string().min(1).max(200).describe('Queue job id') });
const ProjectIdParams = z.strictObject({ projectId: z.string().min(1).max(200).describe('Project id') });
const looseBody = z.record(z.string(), z.unknown());

export const SuggestedRequestBodySchema = z.strictObject({
  model: z.string().optional(),
  effort: ReasoningEffortSchema.optional(),
  draft: z.string().min(1).max(4000).optional(),
}).meta({ id: 'SuggestedRequestBody' });

export const getOrchestratorJob = defineOperation({
  id: 'getOrchestratorJob', domain: 'orchestrator', name: 'get', method: 'GET', path: '/api/orchestrator/jobs/{jobId}',
  summary: 'Read a queue job', idempotent: true, params: JobIdParams, responses: { ...invalid, ...unavailable },
});

export const listProjectOrchestratorJobs = defineOperation({
  id: 'listProjectOrchestratorJobs', domain: 'orchestrator', name: 'list', method: 'GET', path: '/api/projects/{projectId}/orchestrator/jobs',
  summary: "List a project's queue jobs", idempotent: true, params: ProjectIdParams,
  query: z.strictObject({ state: z.string().max(64).optional().describe('Only jobs in this state') }),
  responses: { ...invalid, ...unavailable },
});

export const cancelOrchestratorJob = defineOperation({
  id: 'cancelOrchestratorJob', domain: 'orchestrator', name: 'cancel', method: 'POST', path: '/api/orchestrator/jobs/{jobId}/cancel',
  summary: 'Cancel a queue job', params: JobIdParams, body: looseBody, bodyRequired: false, responses: { ...invalid, ...unavailable },
});

export const enqueueSuggestedSessionRequest = defineOperation({
  id: 'enqueueSuggestedSessionRequest', domain: 'sessions', name: 'suggest_request_enqueue', method: 'POST',
  path: '/api/sessions/{sessionId}/suggested-request/jobs', summary: 'Queue the generation of a suggested next request',
  params: SessionIdParams, body: SuggestedRequestBodySchema, bodyRequired: false, responses: { ...invalid, ...sessionQueueUnavailable },
});

export const suggestSessionRequest = defineOperation({
  id: 'suggestSessionRequest', domain: 'sessions', name: 'suggest_request', method: 'POST',
  path: '/api/sessions/{sessionId}/suggested-request', summary: 'Generate a suggested next request',
  params: SessionIdParams, body: SuggestedRequestBodySchema, bodyRequired: false, responses: { ...invalid, ...sessionQueueUnavailable },
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
  responses: { ...invalid, ...unavailable },
});

export const listAgentExtensions = defineOperation({
  id: 'listAgentExtensions', domain: 'extensions', name: 'list', method: 'GET', path: '/api/agents/extensions',
  summary: 'Agent extension runtime snapshot', idempotent: true, responses: { ...unavailable },
});

export const reloadAgentExtensions = defineOperation({
  id: 'reloadAgentExtensions', domain: 'extensions', name: 'reload', method: 'POST', path: '/api/agents/extensions/reload',
  summary: 'Reload agent extensions', body: looseBody, bodyRequired: false, responses: { ...invalid, ...unavailable },
});

export const listProjectAgentSessions = defineOperation({
  id: 'listProjectAgentSessions', domain: 'projects', name: 'list_agent_sessions', method: 'GET', path: '/api/projects/{projectId}/agent-sessions',
  summary: "List a project's agent (worker) sessions", idempotent: true, params: ProjectIdParams, responses: { ...invalid, ...unavailable },
});

export const QUEUE_OPERATIONS = {
  getOrchestratorJob, listProjectOrchestratorJobs, cancelOrchestratorJob,
  enqueueSuggestedSessionRequest, suggestSessionRequest, upsertSuggestedSessionRequest,
  listAgentExtensions, reloadAgentExtensions, listProjectAgentSessions,
} as const;
