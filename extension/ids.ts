/**
 * Every id the manifest (package.json `contributes`) and the code share, in one place so
 * a rename cannot leave one side behind. Plain constants: this module is on the
 * activation path and must stay free of imports.
 */

export const VIEW_CONTAINER = 'codexManager';
export const CHAT_VIEW = 'codexManager.chat';
export const ACTIVITY_VIEW = 'codexManager.activity';

export const COMMANDS = {
  newSession: 'codexManager.newSession',
  sendMessage: 'codexManager.sendMessage',
  sendSelection: 'codexManager.sendSelection',
  interrupt: 'codexManager.interrupt',
  restartRuntime: 'codexManager.restartRuntime',
  showLog: 'codexManager.showLog',
  showChat: 'codexManager.showChat',
  cancelJob: 'codexManager.cancelJob',
  suggestReply: 'codexManager.suggestReply',
} as const;

/** Code lens commands; the bridge names them in its lenses (server/transports/editor/code-lenses.ts). */
export const LENS_COMMANDS = {
  accept: 'codexManager.approval.accept',
  acceptForSession: 'codexManager.approval.acceptForSession',
  decline: 'codexManager.approval.decline',
  showDiff: 'codexManager.approval.showDiff',
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
