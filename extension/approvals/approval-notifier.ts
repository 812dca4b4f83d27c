import * as vscode from 'vscode';
import type { BridgeClient, BridgeEvent } from '../bridge/bridge-client';
import { readSettings } from '../settings';
import type { ApprovalActions } from './approval-actions';
import { approvalNotice } from './approval-text';

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
    chatVisible: () => boolean,
    private readonly showChat: () => Promise<void>,
    /** The notification itself (a parameter so the extension-host suite can read what it says). */
    private readonly show: (message: string, ...actions: string[]) => Thenable<string | undefined> = (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
    /** Whether to notify now (the chat is hidden or the window has no focus, and the setting allows it). */
    private readonly wanted: () => boolean = () => !(chatVisible() && vscode.window.state.focused) && readSettings().notifyApprovals,
  ) {
    this.subscription = bridge.onEvent((e) => this.onEvent(e));
  }

  dispose(): void { this.subscription.dispose(); }

  private onEvent(e: BridgeEvent): void {
    if (e.type !== 'approval' || !this.wanted()) return;
    void this.notify(e.payload as Obj);
  }

  private async notify(approval: Obj): Promise<void> {
    const approvalId = String(approval.approvalId ?? '');
    if (!approvalId) return;
    const { message, firstPath, isFileChange } = approvalNotice(approval);
    const actions = isFileChange ? ['Accept', 'Decline', 'Show Diff'] : ['Accept', 'Decline', 'Open Chat'];
    const choice = await this.show(message, ...actions);
    if (choice === 'Accept') await this.approvals.decideAndReport(approvalId, 'accept');
    else if (choice === 'Decline') await this.approvals.decideAndReport(approvalId, 'decline');
    else if (choice === 'Show Diff' && firstPath) await this.approvals.showDiffAndReport(approvalId, firstPath);
    else if (choice === 'Open Chat') await this.showChat();
  }
}
