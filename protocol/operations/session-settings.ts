import { z } from 'zod';
import { defineOperation } from '../operation';
import {
  ApprovalPolicySchema, ErrorBodySchema, FilesystemSandboxSchema, NetworkAccessSchema, NotFoundSessionSchema, SessionIdParams,
} from '../schemas/common';
import { SessionControlsSchema, sessionGoneResponse, TranscriptEntrySchema } from './sessions';

/**
 * Per-session controls (model, approval policy, network, sandbox), generic key/value
 * settings, and supplemental transcript entries. Two scopes: `session` (this session)
 * and `default` (the baseline for new sessions), which a bridge can lock (423).
 */

export const SettingsScopeSchema = z.enum(['session', 'default']).meta({ id: 'SessionSettingsScope' });
const SettingsMapSchema = z.record(z.string(), z.unknown());
/** Blank audit fields mean "not given" (codex-manager's contract allows them). */
const auditFields = {
  actor: z.string().trim().max(120).optional().describe('Who asks, recorded in the audit row next to the authenticated caller'),
  source: z.string().trim().max(64).optional().describe('Where the change comes from (ui, api, cli, ...), for the audit row'),
};

const notFound = { 404: { description: 'Session not found', schema: NotFoundSessionSchema } };
const deleted = { 410: sessionGoneResponse };
const invalid = { 400: { description: 'Invalid request', schema: ErrorBodySchema } };

/** What the bridge did with the runtime when controls changed (bridge extension). */
const RuntimeSyncSchema = z.looseObject({
  status: z.enum(['applied', 'deferred', 'failed', 'not_needed'])
    .describe('applied: the loaded thread uses them from its next turn; deferred: they apply when the thread is next loaded'),
  message: z.string().optional(),
});

const ControlsViewFields = {
  sessionId: z.string(),
  controls: SessionControlsSchema.describe("This session's controls and settings"),
  defaults: SessionControlsSchema.describe('The defaults for new sessions, with the default-scope settings'),
  defaultsEditable: z.boolean(),
  defaultLockReason: z.string().nullable(),
};

export const getSessionControls = defineOperation({
  id: 'getSessionControls',
  domain: 'sessions',
  name: 'controls_get',
  method: 'GET',
  path: '/api/sessions/{sessionId}/session-controls',
  summary: "Read a session's controls and the defaults for new sessions",
  idempotent: true,
  params: SessionIdParams,
  responses: {
    200: { description: 'Session controls', schema: z.looseObject({ status: z.literal('ok'), ...ControlsViewFields }) },
    ...invalid,
    ...notFound,
    ...deleted,
  },
});

export const ApplySessionControlsRequestSchema = z.object({
  scope: SettingsScopeSchema,
  controls: z.object({
    model: z.string().trim().nullable().describe('null (or empty): the runtime default model'),
    approvalPolicy: ApprovalPolicySchema,
    networkAccess: NetworkAccessSchema,
    filesystemSandbox: FilesystemSandboxSchema,
    settings: SettingsMapSchema.optional().describe("Replaces the scope's settings; omitted keeps them"),
  }),
  ...auditFields,
});

export const applySessionControls = defineOperation({
  id: 'applySessionControls',
  domain: 'sessions',
  name: 'controls_apply',
  method: 'POST',
  path: '/api/sessions/{sessionId}/session-controls',
  summary: 'Apply the controls tuple to this session or to the defaults for new sessions',
  description: 'Session-scope controls take effect on the next turn of the session.',
  params: SessionIdParams,
  body: ApplySessionControlsRequestSchema,
  bodyRequired: true,
  responses: {
    200: {
      description: 'Session controls applied (or unchanged)',
      schema: z.looseObject({
        status: z.enum(['ok', 'unchanged']),
        scope: SettingsScopeSchema,
        applied: SessionControlsSchema,
        summary: z.string().describe('model | approvalPolicy | networkAccess | filesystemSandbox'),
        runtime: RuntimeSyncSchema.optional(),
        ...ControlsViewFields,
      }),
    },
    ...invalid,
    ...notFound,
    ...deleted,
    423: {
      description: 'Default controls locked',
      schema: z.looseObject({ status: z.literal('locked'), scope: SettingsScopeSchema, message: z.string(), ...ControlsViewFields }),
    },
  },
});

const SettingsListSchema = z.looseObject({
  status: z.literal('ok'), sessionId: z.string(), scope: SettingsScopeSchema, settings: SettingsMapSchema,
}).meta({ id: 'SessionSettingsListResponse' });
const SettingsKeySchema = z.looseObject({
  status: z.literal('ok'), sessionId: z.string(), scope: SettingsScopeSchema, key: z.string(), found: z.boolean(), value: z.unknown(),
}).meta({ id: 'SessionSettingsKeyResponse' });
const SettingsLockedSchema = z.looseObject({
  status: z.literal('locked'), scope: SettingsScopeSchema, message: z.string(), sessionId: z.string(), settings: SettingsMapSchema,
}).meta({ id: 'SessionSettingsLockedResponse' });
const locked = { 423: { description: 'Default settings locked', schema: SettingsLockedSchema } };

export const getSessionSettings = defineOperation({
  id: 'getSessionSettings',
  domain: 'sessions',
  name: 'settings_get',
  method: 'GET',
  path: '/api/sessions/{sessionId}/settings',
  summary: 'Read session settings (all of them, or one top-level key)',
  idempotent: true,
  params: SessionIdParams,
  query: z.object({
    scope: SettingsScopeSchema.optional().describe('Settings scope (default: session)'),
    key: z.string().min(1).max(200).optional().describe('Optional top-level settings key'),
  }),
  responses: {
    200: { description: 'Session settings', schema: z.union([SettingsListSchema, SettingsKeySchema]).meta({ id: 'SessionSettingsGetResponse' }) },
    ...invalid,
    ...notFound,
    ...deleted,
  },
});

export const SetSessionSettingsRequestSchema = z.object({
  scope: SettingsScopeSchema,
  key: z.string().max(200).optional().describe('Set one top-level key to value; empty means not given'),
  value: z.unknown().optional(),
  settings: SettingsMapSchema.optional().describe('Set several keys at once (with mode)'),
  mode: z.enum(['merge', 'replace']).optional().describe('How settings applies: merge (default) keeps other keys; replace drops them'),
  ...auditFields,
}).superRefine((body, ctx) => {
  // codex-manager's rule: one write is either `settings` or `key` with `value`, never both or neither.
  const hasSettings = body.settings !== undefined;
  const hasKey = body.key !== undefined && body.key !== '';
  const hasValue = body.value !== undefined;
  if (hasSettings && (hasKey || hasValue)) {
    ctx.addIssue({ code: 'custom', path: ['settings'], message: 'send either settings or key and value, not both' });
  } else if (!hasSettings && !(hasKey && hasValue)) {
    const path = hasKey ? ['value'] : ['key'];
    ctx.addIssue({ code: 'custom', path, message: hasKey || hasValue ? 'key and value go together' : 'send settings, or key and value' });
  }
}).meta({ id: 'SetSessionSettingsRequest' });

export const setSessionSettings = defineOperation({
  id: 'setSessionSettings',
  domain: 'sessions',
  name: 'settings_set',
  method: 'POST',
  path: '/api/sessions/{sessionId}/settings',
  summary: 'Upsert session settings: one key, or an object merged into or replacing them',
  description: 'Send either `settings` (with `mode`) or `key` and `value` (which may be null); both or neither is a 400.',
  params: SessionIdParams,
  body: SetSessionSettingsRequestSchema,
  bodyRequired: true,
  responses: {
    200: {
      description: 'Session settings updated (or unchanged)',
      schema: z.looseObject({
        status: z.enum(['ok', 'unchanged']), sessionId: z.string(), scope: SettingsScopeSchema, key: z.string().optional(), settings: SettingsMapSchema,
      }).meta({ id: 'SessionSettingsSetResponse' }),
    },
    ...invalid,
    ...notFound,
    ...deleted,
    ...locked,
  },
});

export const deleteSessionSetting = defineOperation({
  id: 'deleteSessionSetting',
  domain: 'sessions',
  name: 'settings_unset',
  method: 'DELETE',
  path: '/api/sessions/{sessionId}/settings/{key}',
  summary: 'Delete one top-level session setting',
  params: z.object({ sessionId: SessionIdParams.shape.sessionId, key: z.string().min(1).max(200).describe('Top-level settings key') }),
  query: z.object({ scope: SettingsScopeSchema.optional().describe('Settings scope (default: session)'), ...auditFields }),
  responses: {
    200: {
      description: 'Session setting deleted or unchanged',
      schema: z.looseObject({
        status: z.enum(['ok', 'unchanged']), sessionId: z.string(), scope: SettingsScopeSchema, key: z.string(), removed: z.boolean(), settings: SettingsMapSchema,
      }).meta({ id: 'SessionSettingsDeleteResponse' }),
    },
    ...invalid,
    ...notFound,
    ...deleted,
    ...locked,
  },
});

export const setSessionApprovalPolicy = defineOperation({
  id: 'setSessionApprovalPolicy',
  domain: 'sessions',
  name: 'approval_policy',
  method: 'POST',
  path: '/api/sessions/{sessionId}/approval-policy',
  summary: "Set the session's approval policy (from its next turn)",
  params: SessionIdParams,
  body: z.object({ approvalPolicy: ApprovalPolicySchema }),
  bodyRequired: true,
  responses: {
    200: {
      description: 'Approval policy updated',
      schema: z.looseObject({
        status: z.literal('ok'), sessionId: z.string(), approvalPolicy: ApprovalPolicySchema, runtime: RuntimeSyncSchema.optional(),
      }).meta({ id: 'SessionApprovalPolicyResponse' }),
    },
    ...invalid,
    ...notFound,
    ...deleted,
  },
});

export const UpsertTranscriptEntryRequestSchema = z.object({
  messageId: z.string().min(1),
  turnId: z.string().min(1),
  role: z.enum(['user', 'assistant', 'system']),
  type: z.string().min(1),
  content: z.string(),
  status: z.enum(['streaming', 'complete', 'canceled', 'error']),
  details: z.string().optional(),
  startedAt: z.number().int().min(0).optional(),
  completedAt: z.number().int().min(0).optional(),
});

export const upsertSessionTranscriptEntry = defineOperation({
  id: 'upsertSessionTranscriptEntry',
  domain: 'sessions',
  name: 'transcript_upsert',
  method: 'POST',
  path: '/api/sessions/{sessionId}/transcript/upsert',
  summary: 'Upsert one supplemental transcript entry (merged into the session transcript by messageId)',
  params: SessionIdParams,
  body: UpsertTranscriptEntryRequestSchema,
  bodyRequired: true,
  responses: {
    200: {
      description: 'Transcript entry upserted',
      schema: z.looseObject({ status: z.literal('ok'), sessionId: z.string(), entry: TranscriptEntrySchema.describe('The entry as stored, after merging') }),
    },
    ...invalid,
    ...notFound,
    ...deleted,
  },
});

export const SESSION_SETTINGS_OPERATIONS = {
  getSessionControls, applySessionControls, getSessionSettings, setSessionSettings, deleteSessionSetting,
  setSessionApprovalPolicy, upsertSessionTranscriptEntry,
} as const;
