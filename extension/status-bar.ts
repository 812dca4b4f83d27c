import * as vscode from 'vscode';
import { COMMANDS } from './ids';

/** Where the bridge process is (the extension's view), and what the runtime reports. */
export type BridgeState = 'idle' | 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export interface StatusSnapshot {
  bridge: BridgeState;
  /** The runtime's state from getHealth / `runtime_state` events (starting, ready, restarting, failed, stopped). */
  runtime: string | null;
  activeTurns: number;
  pendingApprovals: number;
  /** Why the bridge or runtime failed, for the tooltip. */
  problem: string | null;
}

/**
 * One status bar item: runtime state, a spinner while a turn runs, and the number of
 * approvals waiting. A click focuses the chat.
 */
export class CodexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codexManager.status', vscode.StatusBarAlignment.Right, 100);
  private snapshot: StatusSnapshot = { bridge: 'idle', runtime: null, activeTurns: 0, pendingApprovals: 0, problem: null };

  constructor() {
    this.item.name = 'Codex Manager';
    this.item.command = COMMANDS.showChat;
    this.render();
    this.item.show();
  }

  get state(): Readonly<StatusSnapshot> { return this.snapshot; }

  update(change: Partial<StatusSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.render();
  }

  dispose(): void { this.item.dispose(); }

  private render(): void {
    const { text, tooltip, background } = describe(this.snapshot);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip.replace(/\n+/g, '. '), role: 'button' };
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
  }
}

/** The item's look for a snapshot; exported for tests. */
export function describe(s: StatusSnapshot): { text: string; tooltip: string; background?: string } {
  const approvals = s.pendingApprovals > 0 ? ` $(bell-dot) ${s.pendingApprovals}` : '';
  const approvalsLine = s.pendingApprovals > 0 ? `\n${s.pendingApprovals} approval${s.pendingApprovals === 1 ? '' : 's'} waiting` : '';
  const click = '\nClick to open the Codex chat';
  if (s.bridge === 'idle') return { text: '$(comment-discussion) Codex', tooltip: `Codex Manager: not started yet${click}` };
  if (s.bridge === 'failed' || s.runtime === 'failed') {
    return { text: `$(error) Codex${approvals}`, tooltip: `Codex Manager: ${s.problem ?? 'the runtime failed'}${click}`, background: 'statusBarItem.errorBackground' };
  }
  if (s.bridge === 'stopped') return { text: '$(circle-slash) Codex', tooltip: `Codex Manager: stopped${click}` };
  if (s.bridge === 'starting' || s.bridge === 'restarting' || s.runtime !== 'ready') {
    const what = s.bridge === 'restarting' || s.runtime === 'restarting' ? 'restarting' : 'starting';
    return { text: `$(sync~spin) Codex${approvals}`, tooltip: `Codex Manager: ${what}…${approvalsLine}${click}` };
  }
  if (s.activeTurns > 0) {
    return {
      text: `$(loading~spin) Codex${approvals}`,
      tooltip: `Codex Manager: working (${s.activeTurns} turn${s.activeTurns === 1 ? '' : 's'} running)${approvalsLine}${click}`,
      ...(approvals ? { background: 'statusBarItem.warningBackground' } : {}),
    };
  }
  return {
    text: `$(check) Codex${approvals}`,
    tooltip: `Codex Manager: ready${approvalsLine}${click}`,
    ...(approvals ? { background: 'statusBarItem.warningBackground' } : {}),
  };
}
