import * as vscode from 'vscode';
import { FromWebviewSchema, ToWebviewSchema, type ChatState, type ToWebview, type WebviewRequest } from '../../protocol/webview';
import type { BridgeClient, BridgeEvent } from '../bridge/bridge-client';
import { describeError } from '../bridge/errors';
import { chatHtml } from './chat-html';
import { EventBatcher } from './event-batcher';

/** What the chat's requests do; implemented by the core on top of the bridge and the editor. */
export type ChatRequestHandler = (request: WebviewRequest) => Promise<unknown>;

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  bridge: BridgeClient;
  /** The session the chat shows (events of other sessions are not forwarded). */
  currentSessionId: () => string | undefined;
  /** A fresh state of the current session (reads the bridge). */
  loadState: () => Promise<ChatState>;
  /** What to show at once while the bridge is still starting (never waits on the runtime). */
  provisionalState: () => ChatState;
  handle: ChatRequestHandler;
  log: (line: string) => void;
}

/** How long the first paint may wait for the bridge before a provisional state is shown. */
const PROVISIONAL_AFTER_MS = 150;

/**
 * The chat webview's host side. No retainContextWhenHidden: a hidden chat costs nothing,
 * and when it is shown again its document reloads and says `ready`, and gets a state
 * built from the bridge (the source of truth) plus the events that follow, batched per
 * frame. Every message in either direction is checked against protocol/webview.ts.
 */
export class ChatView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The shown document has its state; events may flow. */
  private live = false;
  /** Events that arrived while a state was being read; replayed after it if newer. */
  private held: BridgeEvent[] = [];
  private stateVersion = 0;
  /** The runtime state the shown document last got (in its state or a `runtime` message). */
  private shownRuntime: string | undefined;
  /** "Open Chat" asked for the caret in the composer before the document was live. */
  private focusWanted = false;
  private readonly batcher = new EventBatcher<BridgeEvent>((events) => this.post({ type: 'events', events }));
  private readonly visibility = new vscode.EventEmitter<boolean>();
  readonly onDidChangeVisibility = this.visibility.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Listeners on the current view; VS Code may resolve the view again (moved, re-shown). */
  private viewSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: ChatViewDeps) {
    this.subscriptions.push(deps.bridge.onEvent((e) => this.forward(e)));
  }

  get visible(): boolean { return this.view?.visible ?? false; }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeViewListeners();
    this.view = view;
    this.live = false;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')] };
    view.webview.html = chatHtml(view.webview, this.deps.extensionUri);
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        // A hidden webview loses its document; it says `ready` again when shown.
        if (!view.visible) this.live = false;
        this.visibility.fire(view.visible);
      }),
      view.onDidDispose(() => {
        if (this.view !== view) return; // an older view going away after a newer one was resolved
        this.disposeViewListeners();
        this.view = undefined;
        this.live = false;
        this.visibility.fire(false);
      }),
    ];
    this.visibility.fire(view.visible);
  }

  /** Re-read the current session and send it (after a session switch or a bridge restart). */
  async refresh(): Promise<void> {
    if (this.view) await this.sendState();
  }

  /** Show and focus the chat. */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(false);
    else await vscode.commands.executeCommand('codexManager.chat.focus');
  }

  /**
   * Put the caret in the composer (revealing a view focuses only the webview's body, so
   * typed text went nowhere). Sent at once when the document is live, else after its state.
   */
  focusComposer(): void {
    this.focusWanted = true;
    if (this.live) this.sendFocus();
  }

  /** Approvals waiting in the shown session, on the view (and so on the activity bar icon). */
  setBadge(pending: number): void {
    if (!this.view) return;
    this.view.badge = pending > 0 ? { value: pending, tooltip: `${pending} approval${pending === 1 ? '' : 's'} waiting` } : undefined;
  }

  postRuntimeState(state: string): void {
    if (!this.live || state === this.shownRuntime) return;
    this.shownRuntime = state;
    this.post({ type: 'runtime', state });
  }

  dispose(): void {
    this.batcher.dispose();
    this.visibility.dispose();
    this.disposeViewListeners();
    for (const s of this.subscriptions) s.dispose();
  }

  private disposeViewListeners(): void {
    for (const s of this.viewSubscriptions) s.dispose();
    this.viewSubscriptions = [];
  }

  private receive(message: unknown): void {
    const parsed = FromWebviewSchema.safeParse(message);
    if (!parsed.success) {
      this.deps.log(`chat: ignored an invalid message from the webview: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isInteger(id)) this.post({ type: 'response', id, ok: false, error: 'invalid request' });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'ready') {
      void this.sendState();
      return;
    }
    void this.deps.handle(msg.request).then(
      (result) => this.post({ type: 'response', id: msg.id, ok: true, ...(result !== undefined ? { result } : {}) }),
      (error: unknown) => this.post({ type: 'response', id: msg.id, ok: false, error: describeError(error) }),
    );
  }

  private async sendState(): Promise<void> {
    const version = ++this.stateVersion;
    this.live = false;
    this.held = [];
    this.batcher.dispose();
    // First paint never waits on the runtime: if the bridge is slow, paint what we know.
    const timer = setTimeout(() => {
      if (version === this.stateVersion) this.post({ type: 'state', state: this.deps.provisionalState() });
    }, PROVISIONAL_AFTER_MS);
    let state: ChatState;
    try {
      state = await this.deps.loadState();
    } catch (error) {
      this.deps.log(`chat: reading the session failed: ${describeError(error)}`);
      state = this.deps.provisionalState();
    } finally {
      clearTimeout(timer);
    }
    if (version !== this.stateVersion) return; // a newer read superseded this one
    this.post({ type: 'state', state });
    this.shownRuntime = state.runtimeState;
    this.live = true;
    if (this.focusWanted) this.sendFocus();
    for (const e of this.held) if (e.seq > state.lastSeq) this.batcher.push(e);
    this.held = [];
  }

  private sendFocus(): void {
    this.focusWanted = false;
    this.post({ type: 'focusComposer' });
  }

  private forward(event: BridgeEvent): void {
    if (!this.view?.visible) return;
    const sessionEvent = event.threadId !== null && event.threadId === this.deps.currentSessionId();
    const globalEvent = event.threadId === null && event.type === 'runtime_state';
    if (!sessionEvent && !globalEvent) return;
    if (this.live) this.batcher.push(event);
    else if (this.held.length < 10_000) this.held.push(event);
  }

  private post(message: ToWebview): void {
    if (!this.view) return;
    const checked = ToWebviewSchema.safeParse(message);
    if (!checked.success) {
      this.deps.log(`chat: not sending an invalid ${message.type} message: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    void this.view.webview.postMessage(message);
  }
}
