import { z } from 'zod';
import { defineOperation } from '../../operation';
import { pageOf, pagingQuery, queryBoolean, RUNTIME_FAILURES } from './shared';

// The runtime's list rows pass through untouched; the schemas name the fields clients rely on.

export const ExperimentalFeatureSchema = z.looseObject({
  name: z.string(),
  stage: z.string(),
  displayName: z.string().nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  defaultEnabled: z.boolean(),
}).meta({ id: 'RuntimeExperimentalFeature' });

export const listExperimentalFeatures = defineOperation({
  id: 'listExperimentalFeatures',
  domain: 'system',
  name: 'experimental_features',
  method: 'GET',
  path: '/api/features/experimental',
  summary: "List the runtime's experimental feature flags",
  idempotent: true,
  query: z.object({
    ...pagingQuery,
    threadId: z.string().min(1).max(200).optional().describe("A loaded thread whose config decides enablement (bridge extension)"),
  }),
  responses: { 200: { description: 'Feature list', schema: pageOf(ExperimentalFeatureSchema) }, ...RUNTIME_FAILURES },
});

export const CollaborationModeSchema = z.looseObject({
  name: z.string(),
  mode: z.string().nullable(),
  model: z.string().nullable(),
  reasoning_effort: z.string().nullable(),
}).meta({ id: 'RuntimeCollaborationMode' });

export const listCollaborationModes = defineOperation({
  id: 'listCollaborationModes',
  domain: 'system',
  name: 'collaboration_modes',
  method: 'GET',
  path: '/api/collaboration/modes',
  summary: "List the runtime's collaboration mode presets",
  description: 'The runtime returns every preset at once; the bridge pages them with `limit` and `cursor`.',
  idempotent: true,
  query: z.object({ ...pagingQuery }),
  responses: { 200: { description: 'Collaboration mode list', schema: pageOf(CollaborationModeSchema) }, ...RUNTIME_FAILURES },
});

export const listApps = defineOperation({
  id: 'listApps',
  domain: 'apps',
  name: 'list',
  method: 'GET',
  path: '/api/apps',
  summary: 'List configured apps/connectors',
  idempotent: true,
  query: z.object({
    ...pagingQuery,
    threadId: z.string().min(1).max(200).optional().describe('Optional thread id for capability-scoped listing.'),
    forceRefetch: queryBoolean.optional().describe('When true, force refresh from Codex.'),
  }),
  responses: { 200: { description: 'App list', schema: pageOf(z.looseObject({ id: z.string(), name: z.string() })) }, ...RUNTIME_FAILURES },
});

export const SkillsEntrySchema = z.looseObject({
  cwd: z.string(),
  skills: z.array(z.looseObject({ name: z.string(), description: z.string(), path: z.string(), enabled: z.boolean() })),
  errors: z.array(z.unknown()),
}).meta({ id: 'RuntimeSkillsEntry' });

export const listSkills = defineOperation({
  id: 'listSkills',
  domain: 'skills',
  name: 'list',
  method: 'GET',
  path: '/api/skills',
  summary: 'List local skills, per workspace',
  idempotent: true,
  query: z.object({
    forceReload: queryBoolean.optional().describe('When true, force reload from disk.'),
    cwd: z.string().min(1).max(4096).optional().describe('Optional workspace to scope skill discovery.'),
  }),
  responses: { 200: { description: 'Skill list', schema: pageOf(SkillsEntrySchema) }, ...RUNTIME_FAILURES },
});

export const RuntimeModelSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  displayName: z.string(),
  description: z.string(),
  hidden: z.boolean(),
  isDefault: z.boolean(),
  supportedReasoningEfforts: z.array(z.looseObject({ reasoningEffort: z.string(), description: z.string() })),
  defaultReasoningEffort: z.string(),
}).meta({ id: 'RuntimeModel' });

export const listModels = defineOperation({
  id: 'listModels',
  domain: 'models',
  name: 'list',
  method: 'GET',
  path: '/api/models',
  summary: 'List available models',
  idempotent: true,
  query: z.object({
    ...pagingQuery,
    includeHidden: queryBoolean.optional().describe('Include models hidden from the default picker (bridge extension)'),
  }),
  responses: { 200: { description: 'Model list', schema: pageOf(RuntimeModelSchema) }, ...RUNTIME_FAILURES },
});

export const McpServerStatusSchema = z.looseObject({
  name: z.string(),
  tools: z.record(z.string(), z.unknown()),
  resources: z.array(z.unknown()),
  authStatus: z.string(),
}).meta({ id: 'RuntimeMcpServerStatus' });

export const listMcpServers = defineOperation({
  id: 'listMcpServers',
  domain: 'mcp',
  name: 'servers',
  method: 'GET',
  path: '/api/mcp/servers',
  summary: 'List MCP server statuses (starts the configured servers to inventory them)',
  idempotent: true,
  query: z.object({ ...pagingQuery }),
  responses: { 200: { description: 'MCP server statuses', schema: pageOf(McpServerStatusSchema) }, ...RUNTIME_FAILURES },
});

export const CATALOG_OPERATIONS = {
  listExperimentalFeatures, listCollaborationModes, listApps, listSkills, listModels, listMcpServers,
} as const;
