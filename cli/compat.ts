/**
 * What codex-manager's CLI users rely on and the operation table cannot say by itself
 * (`../shared/contracts/codex-manager-clients.md`): the command name of each operation,
 * the non-2xx outcomes a command treats as success, and a few flag spellings its
 * scripts use. Data only; `derive.ts` joins it with the zod declarations.
 *
 * An operation missing here still gets a command (`<domain> <name>`, kebab-case), so a
 * new operation is reachable without touching this file.
 */

export interface FlagAlias {
  /** Dotted field path in the request body, e.g. `controls.model`. */
  field: string;
  value: unknown;
  help: string;
}

export interface CompatEntry {
  /** The command words, as in the clients document's table. */
  command: string;
  /**
   * Non-2xx statuses that count as success (exit 0, `ok:true`): the statuses
   * codex-manager's CLI accepted for this command, kept to those the operation declares,
   * without 400 (bad input), 401/403 (auth) and 5xx other than 501 (not supported by
   * the runtime). `--allow-status` replaces this list per call.
   */
  expect?: number[];
  /** Field → flag spellings that differ from the kebab-case of the field. */
  renames?: Record<string, string>;
  /** Extra boolean flags that set a field to a fixed value. */
  aliases?: Record<string, FlagAlias>;
  /** String-list fields that also take comma-separated values. */
  csv?: string[];
  /** A string-list field that also takes the arguments after `--` (codex-manager's `runtime exec -- cmd args`). */
  rest?: string;
}

export const COMPAT: Record<string, CompatEntry> = {
  getHealth: { command: 'system health' },
  getApiInfo: { command: 'system info' },
  connectEventStream: { command: 'stream events' },
  listAgentExtensions: { command: 'agents extensions list' },
  reloadAgentExtensions: { command: 'agents extensions reload' },
  getCapabilities: { command: 'system capabilities' },
  listExperimentalFeatures: { command: 'system features list', expect: [501] },
  listCollaborationModes: { command: 'system collaboration-modes list', expect: [501] },
  listApps: { command: 'apps list', expect: [501] },
  listSkills: { command: 'skills list', expect: [501] },
  writeSkillConfig: { command: 'skills config set', expect: [501] },
  readRemoteSkills: { command: 'skills remote get', expect: [501] },
  writeRemoteSkills: { command: 'skills remote set', expect: [501] },
  reloadMcpConfig: { command: 'mcp reload', expect: [501] },
  startMcpOauthLogin: { command: 'mcp oauth login', expect: [501], csv: ['scopes'] },
  readAccount: { command: 'account get', expect: [501] },
  startAccountLogin: { command: 'account login start', expect: [501] },
  cancelAccountLogin: { command: 'account login cancel', expect: [404, 501] },
  logoutAccount: { command: 'account logout', expect: [501] },
  readAccountRateLimits: { command: 'account rate-limits', expect: [501] },
  readConfig: { command: 'config get', expect: [501] },
  readConfigRequirements: { command: 'config requirements', expect: [501] },
  writeConfigValue: { command: 'config set', expect: [501] },
  writeConfigBatch: { command: 'config batch-set', expect: [501] },
  executeCommand: { command: 'runtime exec', expect: [501], rest: 'command' },
  uploadFeedback: { command: 'feedback submit', expect: [501] },
  listModels: { command: 'models list', expect: [501] },
  listMcpServers: { command: 'mcp servers list', expect: [501] },
  getOrchestratorJob: { command: 'orchestrator jobs get' },
  listProjectOrchestratorJobs: { command: 'orchestrator jobs list' },
  cancelOrchestratorJob: { command: 'orchestrator jobs cancel' },
  listProjects: { command: 'projects list' },
  createProject: { command: 'projects create', expect: [409] },
  renameProject: { command: 'projects rename', expect: [404, 409] },
  deleteProject: { command: 'projects delete', expect: [404, 409] },
  listProjectAgentSessions: { command: 'projects agent-sessions list' },
  moveProjectChats: { command: 'projects chats move-all', expect: [404, 409] },
  deleteProjectChats: { command: 'projects chats delete-all', expect: [404] },
  listSessions: { command: 'sessions list' },
  createSession: { command: 'sessions create' },
  readSession: { command: 'sessions get', expect: [410] },
  deleteSession: { command: 'sessions delete', expect: [404, 410] },
  upsertSessionTranscriptEntry: { command: 'sessions transcript upsert', expect: [404, 410], renames: { role: 'entry-role' } },
  forkSession: { command: 'sessions fork', expect: [410, 501] },
  compactSession: { command: 'sessions compact', expect: [410, 501] },
  rollbackSession: { command: 'sessions rollback', expect: [409, 410, 501] },
  cleanBackgroundTerminals: { command: 'sessions background-terminals clean', expect: [410, 501] },
  startReview: { command: 'sessions review start', expect: [410, 501] },
  steerTurn: { command: 'sessions steer', expect: [409, 410, 501] },
  renameSession: { command: 'sessions rename' },
  archiveSession: { command: 'sessions archive', expect: [409, 410] },
  unarchiveSession: { command: 'sessions unarchive' },
  listSessionApprovals: { command: 'sessions approvals list', expect: [410] },
  listSessionToolInput: { command: 'sessions tool-input list', expect: [410] },
  listSessionToolCalls: { command: 'sessions tool-calls list', expect: [410] },
  listSessionCheckpoints: { command: 'sessions checkpoints list' },
  diffSessionCheckpoint: { command: 'sessions checkpoints diff' },
  restoreSessionCheckpoint: { command: 'sessions checkpoints restore' },
  restoreSessionCheckpointHunk: { command: 'sessions checkpoints restore-hunk' },
  getSessionControls: { command: 'sessions controls get', expect: [404, 410] },
  applySessionControls: {
    command: 'sessions controls apply',
    expect: [404, 410, 423],
    aliases: { 'inherit-model': { field: 'controls.model', value: null, help: 'Use the runtime default model (sets model to null)' } },
  },
  getSessionSettings: { command: 'sessions settings get', expect: [404, 410] },
  setSessionSettings: { command: 'sessions settings set', expect: [404, 410, 423] },
  deleteSessionSetting: { command: 'sessions settings unset', expect: [404, 410, 423] },
  resumeSession: { command: 'sessions resume', expect: [410] },
  setSessionApprovalPolicy: { command: 'sessions approval-policy set', expect: [404, 410] },
  enqueueSuggestedSessionRequest: { command: 'sessions suggest-request enqueue' },
  suggestSessionRequest: { command: 'sessions suggest-request run' },
  upsertSuggestedSessionRequest: { command: 'sessions suggest-request upsert' },
  setSessionProject: {
    command: 'sessions project set',
    expect: [404, 410],
    aliases: { clear: { field: 'projectId', value: null, help: 'Unassign the session from its project (sets projectId to null)' } },
  },
  sendSessionMessage: { command: 'sessions send', expect: [404, 410] },
  interruptSessionTurn: { command: 'sessions interrupt', expect: [409, 410] },
  decideToolInput: { command: 'tool-input decide', expect: [404] },
  respondToolCall: { command: 'tool-calls respond', expect: [404, 409] },
  decideApproval: { command: 'approvals decide', expect: [404, 409] },
  // Bridge operations codex-manager did not have.
  restartRuntime: { command: 'runtime restart' },
  getOpenApiDocument: { command: 'system openapi' },
};

/** Global flags (codex-manager's, plus ours); a command flag of the same name wins after the command words. */
export const GLOBAL_FLAGS = [
  { flag: 'profile', value: 'name', help: 'Use this profile from the CLI config (default: the current one)' },
  { flag: 'base-url', value: 'url', help: 'Bridge URL, e.g. http://127.0.0.1:PORT (default: the running bridge, found by discovery)' },
  { flag: 'api-prefix', value: 'path', help: 'API path prefix (default /api)' },
  { flag: 'timeout-ms', value: 'n', help: 'Request timeout in milliseconds (default 30000)' },
  { flag: 'json', help: 'Print the JSON envelope {ok, command, request, response} (errors on stderr)' },
  { flag: 'jsonl', help: 'Streams: one JSON event per line' },
  { flag: 'verbose', help: 'Say which bridge, profile and token are used, and time each request' },
  { flag: 'bearer', value: 'token', help: 'Bearer token (default: the discovered bridge\'s token file)' },
  { flag: 'headers', value: 'key:value', help: 'Extra request header (repeatable)', repeat: true },
  { flag: 'rbac-token', value: 'token', help: 'RBAC token header (extension routes)' },
  { flag: 'role', value: 'role', help: 'RBAC role header (extension routes)' },
  { flag: 'actor', value: 'id', help: 'RBAC actor header (extension routes)' },
  { flag: 'allow-status', value: 'codes', help: 'Statuses that count as success, e.g. 404,409 (none: only 2xx); replaces the command\'s own list' },
  { flag: 'no-color', help: 'No colours (also NO_COLOR=1, or when output is not a terminal)' },
  { flag: 'help', help: 'Show help' },
] as const;

export const ENVIRONMENT = [
  ['CODEX_MANAGER_API_BASE', '--base-url'],
  ['CODEX_MANAGER_API_PREFIX', '--api-prefix'],
  ['CODEX_MANAGER_TIMEOUT_MS', '--timeout-ms'],
  ['CODEX_MANAGER_BEARER_TOKEN', '--bearer'],
  ['CODEX_MANAGER_RBAC_TOKEN', '--rbac-token'],
  ['CODEX_MANAGER_RBAC_ROLE', '--role'],
  ['CODEX_MANAGER_RBAC_ACTOR', '--actor'],
] as const;

/** RBAC headers codex-manager's CLI sends. */
export const RBAC_HEADERS = { rbacToken: 'x-codex-rbac-token', role: 'x-codex-role', actor: 'x-codex-actor' } as const;
