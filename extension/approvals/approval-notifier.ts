import path from 'node:path';
import * as vscode from 'vscode';
import { displayCommand } from '../activity/activity-model';
import type { BridgeClient, BridgeEvent } from '../bridge/bridge-client';
import { readSettings } from '../settings';
import type { ApprovalActions } from './approval-actions';

type Obj = Record<string, unknown>;

/**
 * An approval nobody can see is a turn that hangs. When the chat is hidden or the window
 * is not focused, each new approval also becomes a notification with its actions.
 */
export class ApprovalNotifier implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    bridge: BridgeClient,
    private readonly approvals: ApprovalActions,
    private readonly chatVisible: () => boolean,
    private readonly showChat: () => Promise<void>,
  ) {
    this.subscription = bridge.onEvent((e) => this.onEvent(e));
  }

  dispose(): void { this.subscription.dispose(); }

  private onEvent(e: BridgeEvent): void {
    if (e.type !== 'approval') return;
    if (this.chatVisible() && vscode.window.state.focused) return;
    if (!readSettings().notifyApprovals) return;
    void this.notify(e.payload as Obj);
  }

  private async notify(approval: Obj): Promise<void> {
    const approvalId = String(approval.approvalId ?? '');
    if (!approvalId) return;
    const details = (approval.details ?? {}) as Obj;
    const changes = Array.isArray(details.changes) ? (details.changes as Obj[]) : [];
    const firstPath = typeof changes[0]?.path === 'string' ? changes[0].path : undefined;
    const isFileChange = String(approval.method ?? '').includes('fileChange') || String(approval.method) === 'applyPatchApproval';
    const command = typeof details.command === 'string' ? displayCommand(details.command) : undefined;
    const reason = typeof details.reason === 'string' && details.reason.length <= 200 ? ` (${details.reason})` : '';
    const message = isFileChange && firstPath ? `Codex wants to change ${changes.map((c) => path.basename(String(c.path))).join(', ')}.`
      : command ? `Codex wants to run: ${command}${reason}`
        : `Codex asks: ${String(approval.summary ?? 'approve an action')}${reason}`;
    const actions = isFileChange && firstPath ? ['Accept', 'Decline', 'Show Diff'] : ['Accept', 'Decline', 'Open Chat'];
    const choice = await vscode.window.showWarningMessage(message, ...actions);
    if (choice === 'Accept') await this.approvals.decideAndReport(approvalId, 'accept');
    else if (choice === 'Decline') await this.approvals.decideAndReport(approvalId, 'decline');
    else if (choice === 'Show Diff' && firstPath) await this.approvals.showDiffAndReport(approvalId, firstPath);
    else if (choice === 'Open Chat') await this.showChat();
  }
}
