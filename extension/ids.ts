/**
 * Every id the manifest (package.json `contributes`) and the code share, in one place so
 * a rename cannot leave one side behind. Plain constants: this module is on the
 * activation path and must stay free of imports.
 */

export const VIEW_CONTAINER = 'codexManager';
export const CHAT_VIEW = 'codexManager.chat';
export const ACTIVITY_VIEW = 'codexManager.activity';
export const SESSIONS_VIEW = 'codexManager.sessions';
/** viewType of a session in an editor tab ("Open in Editor"). */
export const SESSION_PANEL = 'codexManager.sessionPanel';

export const COMMANDS = {
  newSession: 'codexManager.newSession',
  sendMessage: 'codexManager.sendMessage',
  sendSelection: 'codexManager.sendSelection',
  interrupt: 'codexManager.interrupt',
  restartRuntime: 'codexManager.restartRuntime',
  restartBridge: 'codexManager.restartBridge',
  stopBridge: 'codexManager.stopBridge',
  showLog: 'codexManager.showLog',
  showChat: 'codexManager.showChat',
  cancelJob: 'codexManager.cancelJob',
  suggestReply: 'codexManager.suggestReply',
  steer: 'codexManager.steerTurn',
  openInEditor: 'codexManager.openInEditor',
} as const;

/** The Sessions view's commands (also in the palette; a node argument comes from the tree). */
export const SESSION_COMMANDS = {
  open: 'codexManager.sessions.open',
  rename: 'codexManager.sessions.rename',
  fork: 'codexManager.sessions.fork',
  archive: 'codexManager.sessions.archive',
  unarchive: 'codexManager.sessions.unarchive',
  delete: 'codexManager.sessions.delete',
  moveToProject: 'codexManager.sessions.moveToProject',
  createProject: 'codexManager.projects.create',
  renameProject: 'codexManager.projects.rename',
  deleteProject: 'codexManager.projects.delete',
  filter: 'codexManager.sessions.filter',
  clearFilter: 'codexManager.sessions.clearFilter',
  refresh: 'codexManager.sessions.refresh',
} as const;

/** The active session's controls, from the palette. */
export const CONTROL_COMMANDS = {
  model: 'codexManager.session.model',
  effort: 'codexManager.session.effort',
  approvalPolicy: 'codexManager.session.approvalPolicy',
  sandbox: 'codexManager.session.sandbox',
} as const;

/** Code lens commands; the bridge names them in its lenses (server/transports/editor/code-lenses.ts). */
export const LENS_COMMANDS = {
  accept: 'codexManager.approval.accept',
  acceptForSession: 'codexManager.approval.acceptForSession',
  decline: 'codexManager.approval.decline',
  showDiff: 'codexManager.approval.showDiff',
} as const;

/** Checkpoint commands: per turn (chat, Tool Activity) and per hunk (code lenses). */
export const CHECKPOINT_COMMANDS = {
  undoTurn: 'codexManager.checkpoint.undoTurn',
  restoreToHere: 'codexManager.checkpoint.restoreToHere',
  reviewChanges: 'codexManager.checkpoint.reviewChanges',
  keepHunk: 'codexManager.checkpoint.keepHunk',
  undoHunk: 'codexManager.checkpoint.undoHunk',
  keepAll: 'codexManager.checkpoint.keepAll',
  undoAll: 'codexManager.checkpoint.undoAll',
} as const;

/** `when`-clause context keys set by the extension. */
export const CONTEXT_KEYS = {
  turnActive: 'codexManager.turnActive',
} as const;

export const SETTINGS_SECTION = 'codexManager';

/** Scheme of the read-only documents holding a proposed file content (right side of the diff). */
export const PROPOSED_SCHEME = 'codex-proposed';

/** workspaceState key: the session the chat shows in this workspace. */
export const ACTIVE_SESSION_KEY = 'codexManager.activeSession';
