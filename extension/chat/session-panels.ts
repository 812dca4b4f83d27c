import * as vscode from 'vscode';
import type { ActivityTree } from '../activity/activity-tree';
import type { ApprovalActions } from '../approvals/approval-actions';
import type { BridgeClient } from '../bridge/bridge-client';
import { ACTIVE_SESSION_KEY, SESSION_PANEL } from '../ids';
import { ActiveSession, type SessionRef } from '../session/active-session';
import type { LiveStatus } from '../session/live-status';
import { SessionController } from '../session/session-controller';
import { SessionControls } from '../session/session-controls';
import { chatStateOf, emptySnapshot } from '../session/session-snapshot';
import { chatRequestHandler } from './chat-requests';
import { ChatView } from './chat-view';

export interface SessionPanelDeps {
  extensionUri: vscode.Uri;
  bridge: BridgeClient;
  live: LiveStatus;
  approvals: ApprovalActions;
  activity: ActivityTree;
  workspaceState: vscode.Memento;
  log: (line: string) => void;
  /** Runs a checkpoint action on a turn of the given session. */
  runCheckpoint: (turnId: string, action: 'undoTurn' | 'restoreToHere' | 'reviewChanges', sessionId: string) => Promise<unknown>;
}

/** workspaceState: the sessions opened in tabs, newest first (a fallback for restoring them). */
const OPENED_KEY = 'codexManager.sessionTabs';

/** A memento in memory: each panel's own "active session", so it does not follow the side bar's. */
class PanelMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] { return [...this.values.keys()]; }
  get<T>(key: string, fallback?: T): T | undefined { return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined; }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

/**
 * Sessions in editor tabs ("Open in Editor"): each panel is the same chat webview and host
 * (ChatView) bound to its own session, so several sit beside the side-bar chat. VS Code
 * restores them after a reload through the serializer; the webview keeps its session id
 * in its view state for that.
 */
export class SessionPanels implements vscode.Disposable {
  private readonly open = new Set<vscode.Disposable>();

  constructor(private readonly d: SessionPanelDeps) {}

  /**
   * The session a restored tab showed. Its webview state names it; a tab reloaded before its
   * webview saved that state is matched by title against the tabs this workspace opened.
   */
  sessionOfRestored(state: unknown, title: string): SessionRef | undefined {
    const saved = (state ?? {}) as { sessionId?: unknown; title?: unknown };
    if (typeof saved.sessionId === 'string') return { sessionId: saved.sessionId, title: typeof saved.title === 'string' ? saved.title : title };
    const opened = this.d.workspaceState.get<SessionRef[]>(OPENED_KEY) ?? [];
    return opened.find((r) => r.title === title);
  }

  /** A new tab showing `ref`. */
  create(ref: SessionRef): vscode.WebviewPanel {
    const opened = (this.d.workspaceState.get<SessionRef[]>(OPENED_KEY) ?? []).filter((r) => r.sessionId !== ref.sessionId);
    void this.d.workspaceState.update(OPENED_KEY, [ref, ...opened].slice(0, 50));
    const panel = vscode.window.createWebviewPanel(SESSION_PANEL, ref.title || 'Codex session', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.d.extensionUri, 'dist')],
    });
    this.attach(panel, ref);
    return panel;
  }

  /** Bring a panel back after a reload (the serializer), or make a new one live. */
  attach(panel: vscode.WebviewPanel, ref: SessionRef): void {
    const memento = new PanelMemento();
    void memento.update(ACTIVE_SESSION_KEY, ref);
    const session = new ActiveSession(memento, this.d.bridge);
    const sessions = new SessionController(this.d.bridge, session, this.d.live, this.d.activity);
    const controls = new SessionControls(this.d.bridge, session, this.d.workspaceState);
    const loadState = async () => chatStateOf(await sessions.snapshot(), this.d.live.runtime);
    const chat = new ChatView({
      extensionUri: this.d.extensionUri,
      bridge: this.d.bridge,
      currentSessionId: () => session.current?.sessionId,
      loadState,
      provisionalState: () => chatStateOf(emptySnapshot(this.d.bridge.lastSeq, session.current ?? null), this.d.live.runtime),
      handle: chatRequestHandler({
        sessions, approvals: this.d.approvals, loadState, controls,
        checkpoint: async (turnId, action) => (session.current ? this.d.runCheckpoint(turnId, action, session.current.sessionId) : undefined),
      }),
      log: this.d.log,
    });
    panel.iconPath = vscode.Uri.joinPath(this.d.extensionUri, 'media', 'codex.svg');
    chat.resolveWebviewView(asWebviewView(panel));
    const subscriptions = [
      session.onDidChange((next) => {
        panel.title = next?.title || 'Codex session';
        void chat.refresh();
      }),
      this.d.bridge.onRestart(() => void chat.refresh()),
      this.d.bridge.onEvent((e) => {
        const p = (e.payload ?? {}) as { method?: string; params?: { threadName?: unknown } };
        if (e.threadId === session.current?.sessionId && p.method === 'thread/name/updated' && typeof p.params?.threadName === 'string') panel.title = p.params.threadName;
      }),
    ];
    const entry = {
      dispose: () => {
        for (const s of subscriptions) s.dispose();
        chat.dispose();
        session.dispose();
        this.open.delete(entry);
      },
    };
    this.open.add(entry);
    panel.onDidDispose(() => entry.dispose());
  }

  get count(): number { return this.open.size; }

  dispose(): void {
    for (const e of [...this.open]) e.dispose();
  }
}

/** A panel seen as the WebviewView ChatView was written for (same webview, visibility and disposal). */
function asWebviewView(panel: vscode.WebviewPanel): vscode.WebviewView {
  const visibility = new vscode.EventEmitter<void>();
  panel.onDidChangeViewState(() => visibility.fire());
  panel.onDidDispose(() => visibility.dispose());
  return {
    viewType: panel.viewType,
    webview: panel.webview,
    get title() { return panel.title; },
    set title(value: string | undefined) { panel.title = value ?? panel.title; },
    description: undefined,
    badge: undefined,
    get visible() { return panel.visible; },
    onDidDispose: panel.onDidDispose,
    onDidChangeVisibility: visibility.event,
    show: (preserveFocus?: boolean) => panel.reveal(undefined, preserveFocus),
  };
}
