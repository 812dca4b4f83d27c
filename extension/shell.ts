import type * as vscode from 'vscode';
import type { ActivityTree } from './activity/activity-tree';
import type { SessionsTree } from './sessions/sessions-tree';
import type { CodexStatusBar } from './status-bar';

/**
 * What activation creates before the core is loaded (they must exist for the views and
 * the status bar to show) and hands to the core when it loads.
 */
export interface Shell {
  output: vscode.LogOutputChannel;
  statusBar: CodexStatusBar;
  activity: ActivityTree;
  sessions: SessionsTree;
}

/** The extension's public API (`extension.exports`): used by the e2e suite, usable by other extensions. */
export interface CodexManagerApi {
  /** Evaluating the activation bundle plus the activate() call, in milliseconds (budget: 20). */
  readonly activationMs: number;
  /** Call a bridge operation (`codex/<operationId>`), starting the bridge if needed. */
  call<T = Record<string, unknown>>(operationId: string, input?: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }): Promise<T>;
  /** Every bridge event (`codex/event`) from now on. */
  onEvent(listener: (event: { type: string; threadId: string | null; seq: number; payload: unknown }) => void): vscode.Disposable;
  /** The session the chat shows in this workspace. */
  activeSessionId(): string | undefined;
}
