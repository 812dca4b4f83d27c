import * as vscode from 'vscode';
import type { BridgeClient, BridgeEvent } from '../bridge/bridge-client';
import { CONTEXT_KEYS } from '../ids';
import type { CodexStatusBar } from '../status-bar';
import type { ActiveSession } from './active-session';

type Obj = Record<string, unknown>;

/**
 * What is going on right now across all sessions of this bridge, followed from its
 * events: the runtime state, the turns in progress and the approvals waiting. Drives the
 * status bar and the `codexManager.turnActive` context key (the Interrupt button).
 */
export class LiveStatus implements vscode.Disposable {
  /** threadId → the turn in progress. */
  private readonly activeTurns = new Map<string, string>();
  /** approvalId → the session it belongs to. */
  private readonly pendingApprovals = new Map<string, string | null>();
  private runtimeState: string | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly bridge: BridgeClient, private readonly statusBar: CodexStatusBar, private readonly session: ActiveSession) {
    this.subscriptions = [
      bridge.onEvent((e) => this.apply(e)),
      bridge.onState((state) => {
        // A bridge that went away took its turns and pending requests with it.
        if (state !== 'running') this.clear();
        if (state === 'running') void this.refreshHealth();
        this.render();
      }),
      session.onDidChange(() => this.render()),
    ];
    this.render();
  }

  /** One word for the chat: starting, ready, restarting, failed or stopped. */
  get runtime(): string {
    if (this.bridge.state === 'running') return this.runtimeState ?? 'starting';
    // The core starts the bridge as soon as it loads: "idle" is about to be "starting".
    return this.bridge.state === 'idle' ? 'starting' : this.bridge.state;
  }

  activeTurn(sessionId: string | undefined): string | undefined {
    return sessionId ? this.activeTurns.get(sessionId) : undefined;
  }

  /** Approvals waiting in one session. */
  pendingFor(sessionId: string | undefined): number {
    let n = 0;
    for (const owner of this.pendingApprovals.values()) if (owner === sessionId) n++;
    return n;
  }

  /** Seed from a session read (a turn that started before we were listening). */
  noteSession(sessionId: string, activeTurnId: string | null, approvals: readonly Obj[]): void {
    if (activeTurnId) this.activeTurns.set(sessionId, activeTurnId);
    for (const a of approvals) if (typeof a.approvalId === 'string') this.pendingApprovals.set(a.approvalId, sessionId);
    this.render();
  }

  async refreshHealth(): Promise<void> {
    try {
      const health = await this.bridge.call<{ runtime: { state: string; failureReason?: string | null } }>('getHealth');
      this.runtimeState = health.runtime.state;
      this.statusBar.update({ problem: health.runtime.failureReason ?? null });
    } catch (error) {
      this.runtimeState = 'failed';
      this.statusBar.update({ problem: error instanceof Error ? error.message : String(error) });
    }
    this.render();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private apply(e: BridgeEvent): void {
    const p = (e.payload ?? {}) as Obj;
    let changed = true;
    if (e.type === 'notification' && e.threadId) {
      const params = (p.params ?? {}) as Obj;
      const turnId = ((params.turn ?? {}) as Obj).id;
      if (p.method === 'turn/started' && typeof turnId === 'string') this.activeTurns.set(e.threadId, turnId);
      else if (p.method === 'turn/completed') this.activeTurns.delete(e.threadId);
      else changed = false;
    } else if (e.type === 'turn_aborted' && e.threadId) {
      this.activeTurns.delete(e.threadId);
    } else if (e.type === 'approval' && typeof p.approvalId === 'string') {
      this.pendingApprovals.set(p.approvalId, e.threadId);
    } else if (e.type === 'approval_resolved' && typeof p.approvalId === 'string') {
      this.pendingApprovals.delete(p.approvalId);
    } else if (e.type === 'runtime_state' && typeof p.state === 'string') {
      this.runtimeState = p.state;
      const health = (p.health ?? {}) as Obj;
      this.statusBar.update({ problem: typeof health.failureReason === 'string' ? health.failureReason : null });
    } else {
      changed = false;
    }
    if (changed) this.render();
  }

  private clear(): void {
    this.activeTurns.clear();
    this.pendingApprovals.clear();
    this.runtimeState = null;
  }

  private render(): void {
    this.statusBar.update({
      bridge: this.bridge.state,
      runtime: this.bridge.state === 'running' ? this.runtimeState : null,
      activeTurns: this.activeTurns.size,
      pendingApprovals: this.pendingApprovals.size,
      ...(this.bridge.problem ? { problem: this.bridge.problem } : {}),
    });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.turnActive, Boolean(this.activeTurn(this.session.current?.sessionId)));
    this.changed.fire();
  }
}
