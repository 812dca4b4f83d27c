import { z } from 'zod';
import { defineOperation } from '../../operation';
import { ErrorBodySchema } from '../../schemas/common';
import { queryBoolean } from './shared';

export const ApiInfoSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  service: z.string().describe('Which server this is (bridge extension)'),
  apiPrefix: z.string(),
  links: z.looseObject({ self: z.string(), openapi: z.string(), stream: z.string(), health: z.string(), capabilities: z.string() }),
  operations: z.array(z.looseObject({
    id: z.string(), method: z.string(), path: z.string(), domain: z.string(), name: z.string(),
  })).describe('Every operation this server answers'),
}).meta({ id: 'ApiInfo' });

export const getApiInfo = defineOperation({
  id: 'getApiInfo',
  domain: 'system',
  name: 'info',
  method: 'GET',
  path: '/api',
  summary: 'API entry metadata: name, version, links and the list of operations',
  idempotent: true,
  responses: {
    200: { description: 'API metadata', schema: ApiInfoSchema },
  },
});

const CapabilityStatusSchema = z.enum(['available', 'disabled', 'unknown']);

export const CapabilitiesSchema = z.looseObject({
  status: z.literal('ok'),
  runtime: z.looseObject({
    initialized: z.boolean(),
    capabilitiesLastUpdatedAt: z.string().nullable(),
    state: z.string().describe('Supervisor state of the runtime (bridge extension)'),
    userAgent: z.string().nullable().describe('The runtime user agent from initialize (bridge extension)'),
    experimentalApi: z.boolean().describe('Whether the runtime accepted the experimental API opt-in (bridge extension)'),
  }),
  methods: z.record(z.string(), CapabilityStatusSchema).describe('Runtime method → whether the pinned runtime declares it'),
  details: z.record(z.string(), z.looseObject({ status: CapabilityStatusSchema, reason: z.string().nullable() })),
  features: z.record(z.string(), z.boolean()),
  operations: z.record(z.string(), z.boolean())
    .describe('Bridge operationId → whether it can work against this runtime (bridge extension)'),
  experimentalFeatures: z.array(z.looseObject({ name: z.string(), stage: z.string(), enabled: z.boolean() })).nullable()
    .describe("The runtime's experimental feature flags; null while the runtime is not ready (bridge extension)"),
}).meta({ id: 'Capabilities' });

export const getCapabilities = defineOperation({
  id: 'getCapabilities',
  domain: 'system',
  name: 'capabilities',
  method: 'GET',
  path: '/api/capabilities',
  summary: 'What the pinned codex runtime supports, per runtime method, feature and bridge operation',
  description: 'Derived from the methods the pinned runtime declares and its experimental feature list; nothing is probed with junk calls, so every answer is fresh.',
  idempotent: true,
  query: z.object({
    refresh: queryBoolean.optional().describe('Accepted for compatibility; the answer is always computed fresh.'),
  }),
  responses: {
    200: { description: 'Capabilities state', schema: CapabilitiesSchema },
    400: { description: 'Invalid query', schema: ErrorBodySchema },
  },
});

export const SYSTEM_INFO_OPERATIONS = { getApiInfo, getCapabilities } as const;
