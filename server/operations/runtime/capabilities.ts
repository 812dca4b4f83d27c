import { CLIENT_REQUEST_METHODS, SERVER_NOTIFICATION_METHODS, SERVER_REQUEST_METHODS } from '../../../protocol/generated/codex/methods';
import type { ExperimentalFeature } from '../../../protocol/generated/codex/v2/ExperimentalFeature';
import type { RuntimeHealth } from '../../appserver/supervisor';

export type CapabilityStatus = 'available' | 'disabled' | 'unknown';
export type CapabilityEntry = { status: CapabilityStatus; reason: string | null };

/**
 * The runtime methods each bridge operation needs. An operation missing here runs in the
 * bridge alone (projects, settings, pending requests, ...). Owners of a domain: list the
 * runtime methods your handlers cannot work without, so capabilities tell the truth.
 */
export const RUNTIME_METHODS_BY_OPERATION: Readonly<Record<string, readonly string[]>> = {
  listSessions: ['thread/list'],
  createSession: ['thread/start'],
  readSession: ['thread/read'],
  sendSessionMessage: ['turn/start'],
  interruptSessionTurn: ['turn/interrupt'],
  forkSession: ['thread/fork'],
  compactSession: ['thread/compact/start'],
  rollbackSession: ['thread/turns/list', 'thread/revert'],
  deleteSession: ['thread/delete'],
  cleanBackgroundTerminals: ['thread/backgroundTerminals/clean'],
  startReview: ['review/start'],
  steerTurn: ['turn/steer'],
  renameSession: ['thread/name/set'],
  archiveSession: ['thread/archive'],
  unarchiveSession: ['thread/unarchive'],
  resumeSession: ['thread/resume'],
  listExperimentalFeatures: ['experimentalFeature/list'],
  listCollaborationModes: ['collaborationMode/list'],
  listApps: ['app/list'],
  listSkills: ['skills/list'],
  writeSkillConfig: ['skills/config/write'],
  readRemoteSkills: ['skills/remote/read'],
  writeRemoteSkills: ['skills/remote/write'],
  reloadMcpConfig: ['config/mcpServer/reload'],
  startMcpOauthLogin: ['mcpServer/oauth/login'],
  readAccount: ['account/read'],
  startAccountLogin: ['account/login/start'],
  cancelAccountLogin: ['account/login/cancel'],
  logoutAccount: ['account/logout'],
  readAccountRateLimits: ['account/rateLimits/read', 'account/read'],
  readConfig: ['config/read'],
  readConfigRequirements: ['configRequirements/read'],
  writeConfigValue: ['config/value/write'],
  writeConfigBatch: ['config/batchWrite'],
  executeCommand: ['command/exec'],
  uploadFeedback: ['feedback/upload'],
  listModels: ['model/list'],
  listMcpServers: ['mcpServerStatus/list'],
};

/** The methods codex-manager reports in `methods`/`details` (its probe list), kept so its clients find them. */
const CODEX_MANAGER_METHODS = [
  'thread/fork', 'thread/compact/start', 'thread/rollback', 'thread/backgroundTerminals/clean', 'turn/steer',
  'review/start', 'command/exec', 'experimentalFeature/list', 'collaborationMode/list', 'skills/list',
  'skills/config/write', 'skills/remote/read', 'skills/remote/write', 'app/list', 'config/mcpServer/reload',
  'mcpServer/oauth/login', 'item/tool/requestUserInput', 'tool/requestUserInput', 'config/read', 'config/value/write',
  'config/batchWrite', 'configRequirements/read', 'feedback/upload', 'account/read', 'account/login/start',
  'account/login/cancel', 'account/logout', 'account/rateLimits/read',
];

const CLIENT_METHODS = new Set(CLIENT_REQUEST_METHODS);
const SERVER_REQUESTS = new Set(SERVER_REQUEST_METHODS);
const NOTIFICATIONS = new Set(SERVER_NOTIFICATION_METHODS);

/** Whether the pinned runtime declares `method`, from its generated protocol: never by calling it. */
export function methodCapability(method: string): CapabilityEntry {
  if (CLIENT_METHODS.has(method)) return { status: 'available', reason: null };
  if (SERVER_REQUESTS.has(method)) return { status: 'available', reason: 'a request the runtime sends to clients' };
  return { status: 'disabled', reason: `the pinned codex runtime has no method ${method}` };
}

const available = (method: string) => methodCapability(method).status === 'available';

/** Whether every runtime method the operation needs is declared; bridge-only operations always are. */
function operationAvailable(operationId: string): boolean {
  return (RUNTIME_METHODS_BY_OPERATION[operationId] ?? []).every(available);
}

export function operationAvailability(operationIds: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(operationIds.map((id) => [id, operationAvailable(id)]));
}

/**
 * codex-manager's feature flags. Each says whether the bridge can do it, so it follows
 * the operation behind it (rollback works through `thread/revert` although the runtime
 * has no `thread/rollback`); stream features follow the notifications the runtime sends.
 */
export function featureFlags(experimentalApi: boolean): Record<string, boolean> {
  const op = operationAvailable;
  return {
    toolUserInput: available('item/tool/requestUserInput') || available('tool/requestUserInput'),
    threadFork: op('forkSession'),
    threadCompact: op('compactSession'),
    threadRollback: op('rollbackSession'),
    threadBackgroundTerminalClean: op('cleanBackgroundTerminals'),
    turnSteer: op('steerTurn'),
    reviewStart: op('startReview'),
    commandExec: op('executeCommand'),
    feedbackUpload: op('uploadFeedback'),
    mcpOauth: op('startMcpOauthLogin'),
    mcpReload: op('reloadMcpConfig'),
    accountLifecycle: op('readAccount') && op('startAccountLogin') && op('logoutAccount'),
    configRead: op('readConfig'),
    configWrite: op('writeConfigValue') || op('writeConfigBatch'),
    configRequirements: op('readConfigRequirements'),
    apps: op('listApps'),
    skills: op('listSkills'),
    remoteSkills: op('readRemoteSkills'),
    collaborationModes: op('listCollaborationModes'),
    experimentalFeatures: op('listExperimentalFeatures'),
    planUpdates: NOTIFICATIONS.has('turn/plan/updated'),
    diffUpdates: NOTIFICATIONS.has('turn/diff/updated'),
    tokenUsage: NOTIFICATIONS.has('thread/tokenUsage/updated'),
    // thread/start takes dynamicTools only when the experimental API was accepted.
    dynamicTools: experimentalApi,
  };
}

export interface CapabilitiesInput {
  health: RuntimeHealth;
  operationIds: readonly string[];
  /** The runtime's feature flags, or null when it could not be asked (not ready). */
  experimentalFeatures: ExperimentalFeature[] | null;
  now: Date;
}

export function buildCapabilities(input: CapabilitiesInput) {
  const methodNames = [...new Set([...CODEX_MANAGER_METHODS, ...Object.values(RUNTIME_METHODS_BY_OPERATION).flat()])].sort();
  const details = Object.fromEntries(methodNames.map((m) => [m, methodCapability(m)]));
  const methods = Object.fromEntries(methodNames.map((m) => [m, details[m]!.status]));
  const { health } = input;
  return {
    status: 'ok' as const,
    runtime: {
      initialized: health.state === 'ready',
      capabilitiesLastUpdatedAt: input.now.toISOString(),
      state: health.state,
      userAgent: health.userAgent,
      experimentalApi: health.experimentalApi,
    },
    methods,
    details,
    features: featureFlags(health.experimentalApi),
    operations: operationAvailability(input.operationIds),
    experimentalFeatures: input.experimentalFeatures,
  };
}
