import { z } from 'zod';

/** `{status:"error", code, message, issues?}`: the bridge's structured error body. */
export const ErrorBodySchema = z.looseObject({
  status: z.literal('error'),
  code: z.string().describe('Machine-readable error code, e.g. invalid_request, conflict, runtime_unavailable'),
  message: z.string(),
  issues: z.array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional()
    .describe('For invalid input: one entry per problem, naming the field'),
  details: z.record(z.string(), z.unknown()).optional(),
}).meta({ id: 'ApiError' });

export const ApprovalPolicySchema = z.enum(['untrusted', 'on-failure', 'on-request', 'never']).meta({ id: 'ApprovalPolicy' });
export const NetworkAccessSchema = z.enum(['restricted', 'enabled']).meta({ id: 'NetworkAccess' });
export const FilesystemSandboxSchema = z.enum(['read-only', 'workspace-write', 'danger-full-access']).meta({ id: 'FilesystemSandbox' });
export const ReasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

export const DynamicToolDefinitionSchema = z.object({
  name: z.string().min(1).max(128),
  description: z.string().min(1),
  inputSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the tool arguments'),
}).meta({ id: 'DynamicToolDefinition' });

export const SessionIdParams = z.object({ sessionId: z.string().min(1).max(200).describe('Session id') });

/** A thread as the runtime returns it; fields we do not model pass through untouched. */
export const CodexThreadSchema = z.looseObject({
  id: z.string(),
  preview: z.string(),
  modelProvider: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  cwd: z.string(),
  source: z.unknown(),
  turns: z.array(z.unknown()).optional(),
}).meta({ id: 'CodexThread' });

/** codex-manager's 403 body for an agent's worker session, which clients may read but not change. */
export const SystemSessionErrorSchema = z.looseObject({
  status: z.literal('error'),
  code: z.literal('system_session'),
  sessionId: z.string(),
  message: z.string(),
}).meta({ id: 'SystemSessionError' });
export const systemSessionResponse = { description: 'System-owned (agent worker) session', schema: SystemSessionErrorSchema };

export const NotFoundSessionSchema = z.looseObject({ status: z.literal('not_found'), sessionId: z.string() }).meta({ id: 'SessionNotFoundPayload' });

/**
 * codex-manager's contract lets a client send `""` for an optional text field, and
 * clients do (a blank form field, a CLI flag given empty): it means "not given". The
 * schemas accept it (named schemas may not transform), and handlers read optional text
 * through this one helper, so a blank value never reaches the runtime or the store.
 */
export function given(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value;
}
