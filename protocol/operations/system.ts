import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema } from '../schemas/common';

export const RuntimeHealthSchema = z.looseObject({
  state: z.enum(['starting', 'ready', 'restarting', 'failed', 'stopped']),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  startedAt: z.string().nullable(),
  lastExit: z.looseObject({ code: z.number().nullable(), signal: z.string().nullable(), at: z.string(), stderrTail: z.array(z.string()) }).nullable(),
  failureReason: z.string().nullable().describe('Why the runtime is failed (e.g. the circuit breaker tripped)'),
  userAgent: z.string().nullable(),
  experimentalApi: z.boolean(),
});

export const getHealth = defineOperation({
  id: 'getHealth',
  domain: 'system',
  name: 'health',
  method: 'GET',
  path: '/api/health',
  summary: 'Health of the bridge and the codex runtime',
  idempotent: true,
  responses: {
    200: {
      description: 'Service health',
      schema: z.looseObject({
        status: z.enum(['ok', 'degraded']),
        service: z.string(),
        timestamp: z.string(),
        codex: z.looseObject({ running: z.boolean(), pid: z.number().int().nullable(), initialized: z.boolean() }),
        auth: z.looseObject({ hasOpenAiApiKey: z.boolean(), codexHomeAuthFile: z.boolean(), likelyUnauthenticated: z.boolean() }),
        runtime: RuntimeHealthSchema,
        bridge: z.looseObject({ version: z.string(), epoch: z.string(), lastSeq: z.number().int(), startedAt: z.string(), pendingRequests: z.number().int() }),
        store: z.looseObject({
          dataDir: z.string(),
          quarantined: z.array(z.looseObject({ file: z.string(), quarantinedAs: z.string(), reason: z.string(), at: z.string() })),
        }),
        orchestratorQueue: z.looseObject({ enabled: z.boolean() }).describe('The background job queue: `enabled`, then its counters'),
      }).meta({ id: 'HealthResponse' }),
    },
  },
});

export const restartRuntime = defineOperation({
  id: 'restartRuntime',
  domain: 'runtime',
  name: 'restart',
  method: 'POST',
  path: '/api/runtime/restart',
  summary: 'Restart the codex runtime (also closes a tripped circuit breaker)',
  description: 'Pending requests of the old runtime expire; loaded threads are resumed by the new one.',
  responses: {
    200: { description: 'The runtime is ready again', schema: z.looseObject({ status: z.literal('ok'), runtime: RuntimeHealthSchema }) },
    503: { description: 'The runtime did not come back', schema: ErrorBodySchema },
  },
});



export const getOpenApiDocument = defineOperation({
  id: 'getOpenApiDocument',
  domain: 'system',
  name: 'openapi',
  method: 'GET',
  path: '/api/openapi.json',
  summary: 'This API as an OpenAPI 3.1 document, generated from the operation table',
  idempotent: true,
  responses: {
    200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }) },
  },
});

export const connectEventStream = defineOperation({
  id: 'connectEventStream',
  domain: 'stream',
  name: 'connect',
  method: 'GET',
  path: '/api/stream',
  summary: 'The event stream: upgrade to a WebSocket',
  description: 'Frames: `ready`, `subscribe` (`threadId`/`threadIds`, `since`, `families`), `unsubscribe`, `ping`/`pong`, `error`, and events `{type, threadId, payload, seq, epoch}`. A plain GET without the upgrade is answered 400.',
  query: z.object({ threadId: z.string().min(1).max(200).optional().describe('Only events of this thread (and those sent to everyone)') }),
  responses: {
    101: { description: 'Switching protocols', schema: z.null() },
    400: { description: 'Invalid websocket upgrade request', schema: ErrorBodySchema },
  },
});
export const SYSTEM_OPERATIONS = { getHealth, restartRuntime, getOpenApiDocument, connectEventStream } as const;
