import * as vscode from 'vscode';
import { ApprovalActions } from './approvals/approval-actions';
import { ApprovalNotifier } from './approvals/approval-notifier';
import { ProposedDocuments } from './approvals/proposed-documents';
import { BridgeClient, type BridgeEvent } from './bridge/bridge-client';
import { chatRequestHandler } from './chat/chat-requests';
import { ChatView } from './chat/chat-view';
import { createCommands, type CommandTable } from './commands';
import { SETTINGS_SECTION } from './ids';
import { ActiveSession } from './session/active-session';
import { LiveStatus } from './session/live-status';
import { SessionController } from './session/session-controller';
import { chatStateOf, emptySnapshot } from './session/session-snapshot';
import { BRIDGE_SETTINGS } from './settings';
import type { CodexManagerApi, Shell } from './shell';

/** The loaded core: everything that needs the language client or zod. */
export interface Core extends vscode.Disposable {
  chatView: vscode.WebviewViewProvider;
  commands: CommandTable;
  api: Omit<CodexManagerApi, 'activationMs'>;
  /** Start the bridge and fill the views (idempotent). */
  start(): Promise<void>;
}

/**
 * The composition root of the extension's heavy half, bundled apart as
 * dist/extension-core.js and loaded on first use, so activation stays a few milliseconds.
 */
export function createCore(context: vscode.ExtensionContext, shell: Shell): Core {
  const log = (line: string) => shell.output.info(line);
  const bridge = new BridgeClient(context, shell.output);
  const session = new ActiveSession(context.workspaceState, bridge);
  const live = new LiveStatus(bridge, shell.statusBar, session);
  const proposed = new ProposedDocuments();
  const approvals = new ApprovalActions(bridge, proposed);
  const sessions = new SessionController(bridge, session, live, shell.activity);

  const loadState = async () => chatStateOf(await sessions.snapshot(), live.runtime);
  const chat = new ChatView({
    extensionUri: context.extensionUri,
    bridge,
    currentSessionId: () => session.current?.sessionId,
    loadState,
    provisionalState: () => chatStateOf(emptySnapshot(bridge.lastSeq, session.current ?? null), live.runtime),
    handle: chatRequestHandler({ sessions, approvals, loadState }),
    log,
  });
  const revealChat = () => chat.reveal();
  const notifier = new ApprovalNotifier(bridge, approvals, () => chat.visible, revealChat);
  const commands = createCommands({ bridge, sessions, approvals, revealChat, currentSessionId: () => session.current?.sessionId });

  const reloadViews = () => {
    void chat.refresh();
    void sessions.reloadActivity();
  };
  const updateBadge = () => chat.setBadge(live.pendingFor(session.current?.sessionId));
  const subscriptions: vscode.Disposable[] = [
    bridge.onEvent((e) => {
      shell.activity.apply(e);
      const renamed = threadRenamed(e);
      if (renamed && renamed.sessionId === session.current?.sessionId) {
        void session.rename(renamed.sessionId, renamed.title);
        shell.activity.setTitle(renamed.title);
      }
    }),
    live.onDidChange(() => chat.postRuntimeState(live.runtime)),
    bridge.onRestart(reloadViews),
    session.onDidChange(reloadViews),
    live.onDidChange(updateBadge),
    chat.onDidChangeVisibility(updateBadge),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (BRIDGE_SETTINGS.some((key) => e.affectsConfiguration(`${SETTINGS_SECTION}.${key}`)) && bridge.state !== 'idle') void offerRestart(bridge);
    }),
  ];

  let started: Promise<void> | undefined;
  return {
    chatView: chat,
    commands,
    api: {
      call: (operationId, input) => bridge.call(operationId, input),
      onEvent: (listener) => bridge.onEvent(listener),
      activeSessionId: () => session.current?.sessionId,
    },
    start() {
      started ??= bridge.start().then(() => sessions.reloadActivity(), (error: unknown) => log(`the bridge did not start: ${String(error)}`));
      return started;
    },
    dispose() {
      for (const s of subscriptions) s.dispose();
      for (const d of [notifier, chat, proposed, live, session, bridge]) d.dispose();
    },
  };
}

/** The runtime names a thread after its first message (`thread/name/updated`). */
function threadRenamed(e: BridgeEvent): { sessionId: string; title: string } | undefined {
  if (e.type !== 'notification' || !e.threadId) return undefined;
  const { method, params } = (e.payload ?? {}) as { method?: string; params?: { threadName?: unknown } };
  return method === 'thread/name/updated' && typeof params?.threadName === 'string' ? { sessionId: e.threadId, title: params.threadName } : undefined;
}

async function offerRestart(bridge: BridgeClient): Promise<void> {
  const choice = await vscode.window.showInformationMessage('Codex Manager: restart the bridge to use the new settings?', 'Restart');
  if (choice === 'Restart') await bridge.restart();
}
