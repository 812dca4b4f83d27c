import * as vscode from 'vscode';
import { ApprovalActions } from './approvals/approval-actions';
import { ApprovalNotifier } from './approvals/approval-notifier';
import { closeApprovalDiffs } from './approvals/diff-tabs';
import { ProposedDocuments } from './approvals/proposed-documents';
import { BridgeClient, type BridgeEvent } from './bridge/bridge-client';
import { chatRequestHandler } from './chat/chat-requests';
import { ChatView } from './chat/chat-view';
import { createCheckpointFeature } from './checkpoints';
import { SessionPanels } from './chat/session-panels';
import { createCommands, type CommandTable } from './commands';
import { COMMANDS, SETTINGS_SECTION } from './ids';
import { ActiveSession } from './session/active-session';
import { LiveStatus } from './session/live-status';
import { SessionController } from './session/session-controller';
import { SessionControls } from './session/session-controls';
import { affectsSessionList, createSessionCommands, loadSessions } from './sessions/session-actions';
import { chatStateOf, emptySnapshot } from './session/session-snapshot';
import { BRIDGE_SETTINGS } from './settings';
import type { CodexManagerApi, Shell } from './shell';

/** The loaded core: everything that needs the language client or zod. */
export interface Core extends vscode.Disposable {
  chatView: vscode.WebviewViewProvider;
  commands: CommandTable;
  api: Omit<CodexManagerApi, 'activationMs'>;
  /** A session tab VS Code restores after a reload (its webview state names the session). */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): void;
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
  const controls = new SessionControls(bridge, session, context.workspaceState);
  const sessions = new SessionController(bridge, session, live, shell.activity, (id) => controls.effortFor(id));

  const checkpoints = createCheckpointFeature({ bridge, documents: proposed, currentSessionId: () => session.current?.sessionId });
  const loadState = async () => chatStateOf(await sessions.snapshot(), live.runtime);
  const chat = new ChatView({
    extensionUri: context.extensionUri,
    bridge,
    currentSessionId: () => session.current?.sessionId,
    loadState,
    provisionalState: () => chatStateOf(emptySnapshot(bridge.lastSeq, session.current ?? null), live.runtime),
    handle: chatRequestHandler({ sessions, approvals, loadState, controls, checkpoint: (turnId, action) => checkpoints.runOnTurn(turnId, action) }),
    log,
  });
  const revealChat = () => chat.reveal();
  const notifier = new ApprovalNotifier(bridge, approvals, () => chat.visible, revealChat);
  const panels = new SessionPanels({ extensionUri: context.extensionUri, bridge, live, approvals, activity: shell.activity, workspaceState: context.workspaceState, log, runCheckpoint: checkpoints.runOnTurn });
  const commands = {
    ...createCommands({ bridge, sessions, approvals, revealChat, focusComposer: () => chat.focusComposer(), currentSessionId: () => session.current?.sessionId }),
    ...checkpoints.commands,
    ...createSessionCommands({ bridge, session, live, tree: shell.sessions, revealChat }),
    ...controls.commands(),
    [COMMANDS.openInEditor]: async (node?: unknown) => {
      const row = (node as { kind?: string; session?: { sessionId: string; title: string } } | undefined);
      const ref = row?.kind === 'session' && row.session ? { sessionId: row.session.sessionId, title: row.session.title } : session.current ?? await session.create();
      panels.create(ref);
      return ref.sessionId;
    },
  };
  shell.sessions.setSource(() => loadSessions({ bridge, session, live }));

  const reloadViews = () => {
    void chat.refresh();
    void sessions.reloadActivity();
  };
  const updateBadge = () => chat.setBadge(live.pendingFor(session.current?.sessionId));
  const subscriptions: vscode.Disposable[] = [
    bridge.onEvent((e) => {
      shell.activity.apply(e);
      if (affectsSessionList(e)) shell.sessions.refreshSoon();
      const resolvedApproval = e.type === 'approval_resolved' ? (e.payload as { approvalId?: unknown } | null)?.approvalId : undefined;
      if (typeof resolvedApproval === 'string') void closeApprovalDiffs(resolvedApproval);
      const renamed = threadRenamed(e);
      if (renamed && renamed.sessionId === session.current?.sessionId) {
        void session.rename(renamed.sessionId, renamed.title);
        shell.activity.setTitle(renamed.title);
      }
    }),
    live.onDidChange(() => chat.postRuntimeState(live.runtime)),
    bridge.onRestart(reloadViews),
    session.onDidChange(reloadViews),
    session.onDidChange(() => shell.sessions.refresh()),
    bridge.onRestart(() => shell.sessions.refresh()),
    live.onDidChange(updateBadge),
    chat.onDidChangeVisibility(updateBadge),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!BRIDGE_SETTINGS.some((key) => e.affectsConfiguration(`${SETTINGS_SECTION}.${key}`)) || bridge.state === 'idle') return;
      // A new codex binary, or any fix while the bridge is down ("Runtime failed"), is
      // what the user is waiting for: restart at once. Others interrupt nothing unasked.
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.codexPath`) || bridge.state === 'failed' || bridge.state === 'stopped') void restartNow(bridge, log);
      else void offerRestart(bridge);
    }),
  ];

  // A failed start is not remembered: the next view or command tries again, and when the
  // bridge does come up later (Restart after fixing codexPath) the views load then.
  let started: Promise<void> | undefined;
  let startFailed = false;
  subscriptions.push(bridge.onState((state) => {
    if (state === 'running' && startFailed) {
      startFailed = false;
      reloadViews();
    }
  }));
  return {
    chatView: chat,
    commands,
    api: {
      call: (operationId, input) => bridge.call(operationId, input),
      onEvent: (listener) => bridge.onEvent(listener),
      activeSessionId: () => session.current?.sessionId,
    },
    restorePanel(panel, state) {
      const ref = panels.sessionOfRestored(state, panel.title);
      log(`restoring a session tab (${ref?.sessionId ?? 'unknown session: closed'})`);
      if (!ref) {
        panel.dispose();
        return;
      }
      panels.attach(panel, ref);
    },
    start() {
      started ??= bridge.start().then(() => sessions.reloadActivity(), (error: unknown) => {
        started = undefined;
        startFailed = true;
        log(`the bridge did not start: ${String(error)}`);
      });
      return started;
    },
    dispose() {
      for (const s of subscriptions) s.dispose();
      for (const d of [checkpoints.disposable, panels, notifier, chat, proposed, live, session, bridge]) d.dispose();
    },
  };
}

/** The runtime names a thread after its first message (`thread/name/updated`). */
function threadRenamed(e: BridgeEvent): { sessionId: string; title: string } | undefined {
  if (e.type !== 'notification' || !e.threadId) return undefined;
  const { method, params } = (e.payload ?? {}) as { method?: string; params?: { threadName?: unknown } };
  return method === 'thread/name/updated' && typeof params?.threadName === 'string' ? { sessionId: e.threadId, title: params.threadName } : undefined;
}

async function restartNow(bridge: BridgeClient, log: (line: string) => void): Promise<void> {
  // A restart asked meanwhile (Restart Runtime/Bridge) may already run with these settings.
  await bridge.restartSettled();
  if (bridge.state === 'running' && !bridge.settingsChanged()) return;
  log('a bridge setting changed: restarting the bridge');
  await bridge.restart().catch((error: unknown) => log(`the bridge did not start: ${String(error)}`));
}

async function offerRestart(bridge: BridgeClient): Promise<void> {
  const choice = await vscode.window.showInformationMessage('Codex Manager: restart the bridge to use the new settings?', 'Restart');
  if (choice === 'Restart') await bridge.restart();
}
