import * as vscode from 'vscode';
import type { ApprovalActions } from './approvals/approval-actions';
import type { BridgeClient } from './bridge/bridge-client';
import { jobIdOf } from './activity/jobs-model';
import { BridgeCallError, describeError } from './bridge/errors';
import { selectionMessage } from './chat/editor-actions';
import { COMMANDS, LENS_COMMANDS } from './ids';
import type { SessionController } from './session/session-controller';

export interface CommandDeps {
  bridge: BridgeClient;
  sessions: SessionController;
  approvals: ApprovalActions;
  revealChat: () => Promise<void>;
  currentSessionId: () => string | undefined;
}

export type CommandTable = Record<string, (...args: unknown[]) => unknown>;

/**
 * What each command does once the core is loaded; extension.ts registers thin proxies at
 * activation so the palette works before the bridge exists. Return values are for
 * callers such as tests (`executeCommand` resolves with them).
 */
export function createCommands(d: CommandDeps): CommandTable {
  const report = <T>(what: string, work: () => Promise<T>) => async (): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      void vscode.window.showErrorMessage(`Codex: ${what} failed: ${describeError(error)}`);
      return undefined;
    }
  };

  return {
    [COMMANDS.newSession]: report('starting a session', async () => {
      const ref = await d.sessions.newSession();
      await d.revealChat();
      return ref.sessionId;
    }),

    [COMMANDS.sendMessage]: async (text?: unknown) => {
      const message = typeof text === 'string' && text.trim() ? text
        : await vscode.window.showInputBox({ title: 'Send to Codex', prompt: 'Message for the active session', ignoreFocusOut: true });
      if (!message?.trim()) return undefined;
      return report('sending', () => d.sessions.sendMessage(message))();
    },

    // Tool Activity's inline action on an active background job.
    [COMMANDS.cancelJob]: async (node?: unknown) => {
      const jobId = jobIdOf(node);
      if (!jobId) return undefined;
      return report('canceling the job', async () => {
        await d.bridge.call('cancelOrchestratorJob', { params: { jobId }, body: {} }).catch((error: unknown) => {
          if (!(error instanceof BridgeCallError && error.httpStatus === 409)) throw error; // it just finished
        });
        return jobId;
      })();
    },

    // A suggested next request (the bridge's suggest_request job), editable before it is sent.
    [COMMANDS.suggestReply]: report('suggesting a reply', async () => {
      const sessionId = d.currentSessionId();
      if (!sessionId) {
        void vscode.window.showInformationMessage('Codex: start a session first.');
        return undefined;
      }
      const reply: { status: string; suggestion?: string } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Codex: drafting a reply…' }, () =>
        d.bridge.call<{ status: string; suggestion?: string }>('suggestSessionRequest', { params: { sessionId }, body: {} }).catch((error: unknown) => {
          if (error instanceof BridgeCallError && error.httpStatus === 409) return { status: 'no_context' };
          throw error;
        }));
      if (!reply.suggestion) {
        void vscode.window.showInformationMessage(reply.status === 'no_context' ? 'Codex: the session has no messages to suggest from yet.' : 'Codex: the suggestion is still being drafted; try again in a moment.');
        return undefined;
      }
      const text = await vscode.window.showInputBox({ title: 'Suggested reply', prompt: 'Edit it, then press Enter to send', value: reply.suggestion, ignoreFocusOut: true });
      if (!text?.trim()) return undefined;
      await d.sessions.sendMessage(text);
      return text;
    }),

    [COMMANDS.sendSelection]: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Codex: open a file and select some code first.');
        return undefined;
      }
      const instruction = await vscode.window.showInputBox({
        title: 'Send Selection to Codex', prompt: 'What should Codex do with the selection? (Enter sends it as is)', ignoreFocusOut: true,
      });
      if (instruction === undefined) return undefined; // Escape: the user changed their mind
      const message = selectionMessage(editor, instruction);
      if (!message) {
        void vscode.window.showInformationMessage('Codex: the selection is empty.');
        return undefined;
      }
      await d.revealChat();
      return report('sending the selection', () => d.sessions.sendMessage(message))();
    },

    [COMMANDS.interrupt]: report('interrupting', async () => {
      const interrupted = await d.sessions.interrupt();
      if (!interrupted) void vscode.window.showInformationMessage('Codex: no turn is running in this session.');
      return interrupted;
    }),

    [COMMANDS.restartRuntime]: report('restarting', async () => {
      // A bridge that is down (crashed too often, codex was missing) or that started with
      // other settings (codexPath, codexHome, demoModel) is restarted as a whole.
      if (d.bridge.state !== 'running' || d.bridge.settingsChanged()) {
        await d.bridge.restart();
        return 'bridge';
      }
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Codex: restarting the runtime…' },
        () => d.bridge.call('restartRuntime'));
      return 'runtime';
    }),

    [LENS_COMMANDS.accept]: (approvalId: unknown) => d.approvals.decideAndReport(String(approvalId), 'accept'),
    [LENS_COMMANDS.acceptForSession]: (approvalId: unknown) => d.approvals.decideAndReport(String(approvalId), 'accept', 'session'),
    [LENS_COMMANDS.decline]: (approvalId: unknown) => d.approvals.decideAndReport(String(approvalId), 'decline'),
    [LENS_COMMANDS.showDiff]: (approvalId: unknown, file: unknown) => d.approvals.showDiffAndReport(String(approvalId), String(file)),
  };
}
