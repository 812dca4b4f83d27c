import type { ChatState, WebviewRequest } from '../../protocol/webview';
import type { ApprovalActions } from '../approvals/approval-actions';
import type { SessionController } from '../session/session-controller';
import type { SessionControls } from '../session/session-controls';
import { copyText, insertCode, openFile } from './editor-actions';

export interface ChatRequestDeps {
  sessions: SessionController;
  approvals: ApprovalActions;
  loadState: () => Promise<ChatState>;
  /** Runs a checkpoint command on a turn of the current session. */
  checkpoint: (turnId: string, action: 'undoTurn' | 'restoreToHere' | 'reviewChanges') => Promise<unknown>;
  controls: SessionControls;
}

/** The chat's requests (already validated by the view), answered from the bridge and the editor. */
export function chatRequestHandler(d: ChatRequestDeps): (request: WebviewRequest) => Promise<unknown> {
  return async (request) => {
    switch (request.method) {
      case 'getState':
        return d.loadState();
      case 'newSession': {
        const ref = await d.sessions.newSession();
        return { sessionId: ref.sessionId, title: ref.title };
      }
      case 'sendMessage':
        return d.sessions.sendMessage(request.params.text);
      case 'steer':
        return d.sessions.steer(request.params.text);
      case 'suggestReply':
        return d.sessions.suggestReply();
      case 'interrupt':
        return { interrupted: await d.sessions.interrupt() };
      case 'decideApproval': {
        const { approvalId, decision, scope } = request.params;
        return d.approvals.decide(approvalId, decision, scope);
      }
      case 'openDiff':
        return d.approvals.showDiff(request.params.approvalId, request.params.path);
      case 'openItemDiff':
        return d.approvals.showItemDiff(request.params.itemId, request.params.path, request.params.diff);
      case 'openFile':
        return openFile(request.params.path);
      case 'checkpoint':
        return d.checkpoint(request.params.turnId, request.params.action);
      case 'insertCode':
        return insertCode(request.params.code);
      case 'copyText':
        return copyText(request.params.text);
      case 'getControls':
        return d.controls.view();
      case 'setControl':
        return d.controls.set(request.params.key, request.params.value);
      default: {
        // A request added to protocol/webview.ts without a handler here fails to compile.
        const unhandled: never = request;
        throw new Error(`unknown request ${(unhandled as { method: string }).method}`);
      }
    }
  };
}
