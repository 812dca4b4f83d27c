import { z } from 'zod';
import { defineOperation } from '../../operation';
import { queryBoolean, RUNTIME_FAILURES, writeAck } from './shared';

export const readConfig = defineOperation({
  id: 'readConfig',
  domain: 'config',
  name: 'get',
  method: 'GET',
  path: '/api/config',
  summary: 'Read the effective Codex config (the runtime answer, untouched)',
  idempotent: true,
  query: z.object({
    cwd: z.string().min(1).max(4096).optional().describe('Workspace root for config resolution.'),
    includeLayers: queryBoolean.optional().describe('Include layered config metadata.'),
  }),
  responses: {
    200: {
      description: 'Config payload',
      schema: z.looseObject({ config: z.looseObject({}), origins: z.record(z.string(), z.unknown()), layers: z.array(z.unknown()).nullable() })
        .meta({ id: 'RuntimeConfig' }),
    },
    ...RUNTIME_FAILURES,
  },
});

export const readConfigRequirements = defineOperation({
  id: 'readConfigRequirements',
  domain: 'config',
  name: 'requirements',
  method: 'GET',
  path: '/api/config/requirements',
  summary: 'Read config requirements (managed policy); `requirements` is null when none apply',
  idempotent: true,
  responses: {
    200: { description: 'Config requirement payload', schema: z.looseObject({ requirements: z.looseObject({}).nullable() }).meta({ id: 'RuntimeConfigRequirements' }) },
    ...RUNTIME_FAILURES,
  },
});

/**
 * A config key: codex-manager sends the path as segments (`["mcp_servers","docs"]`); a
 * dotted TOML path string (`mcp_servers.docs`) is accepted too.
 */
const KeyPathSchema = z.union([z.array(z.string().max(500)).min(1).max(32), z.string().min(1).max(2000)])
  .describe('The runtime refuses empty segments (400)');
const MergeStrategySchema = z.enum(['replace', 'upsert']);
/** The version a write expects (`version` of a previous write); codex-manager typed it as an integer. */
const ExpectedVersionSchema = z.union([z.string().min(1).max(200), z.number().int().min(0)])
  .describe('Refuse the write unless the file still has this version (from a previous write)');

const ConfigEditSchema = z.object({
  keyPath: KeyPathSchema,
  mergeStrategy: MergeStrategySchema,
  value: z.unknown().describe('Any JSON value; TOML has no null'),
});

const ConfigWriteResultSchema = z.looseObject({ status: z.string(), version: z.string(), filePath: z.string() });

export const writeConfigValue = defineOperation({
  id: 'writeConfigValue',
  domain: 'config',
  name: 'set',
  method: 'POST',
  path: '/api/config/value',
  summary: 'Write one config value (to the user config.toml unless `filePath` says otherwise)',
  body: ConfigEditSchema.extend({
    expectedVersion: ExpectedVersionSchema.optional(),
    filePath: z.string().max(4096).optional().describe('Empty means the user config.toml'),
  }),
  bodyRequired: true,
  responses: { 200: { description: 'Config value written', schema: writeAck(ConfigWriteResultSchema) }, ...RUNTIME_FAILURES },
});

export const writeConfigBatch = defineOperation({
  id: 'writeConfigBatch',
  domain: 'config',
  name: 'batch_set',
  method: 'POST',
  path: '/api/config/batch',
  summary: 'Write several config edits at once',
  body: z.object({
    edits: z.array(ConfigEditSchema).min(1).max(200),
    expectedVersion: ExpectedVersionSchema.optional(),
    filePath: z.string().max(4096).optional().describe('Empty means the user config.toml'),
    reloadUserConfig: z.boolean().optional().describe('Hot-reload runtime settings into loaded threads after writing (bridge extension)'),
  }),
  bodyRequired: true,
  responses: { 200: { description: 'Config edits written', schema: writeAck(ConfigWriteResultSchema) }, ...RUNTIME_FAILURES },
});

export const CONFIG_OPERATIONS = { readConfig, readConfigRequirements, writeConfigValue, writeConfigBatch } as const;
