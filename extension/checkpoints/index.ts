import * as vscode from 'vscode';
import type { ProposedDocuments } from '../approvals/proposed-documents';
import type { BridgeClient, BridgeEvent } from '../bridge/bridge-client';
import { CHECKPOINT_COMMANDS } from '../ids';
import { CheckpointActions } from './checkpoint-actions';
import { HunkLenses } from './hunk-lenses';
import { TurnChanges } from './turn-changes';

export interface CheckpointFeatureDeps {
  bridge: BridgeClient;
  documents: ProposedDocuments;
  /** The session the chat and Tool Activity show. */
  currentSessionId: () => string | undefined;
}

/**
 * Checkpoints in the editor: when a turn of the current session that changed files ends,
 * its hunks get Keep/Undo lenses; commands undo a turn, restore to before one, review a
 * turn's changes. Turn commands take `(sessionId, turnId)` (chat) or a Tool Activity turn node.
 */
export interface CheckpointFeature {
  commands: Record<string, (...args: unknown[]) => unknown>;
  /** A turn's action from a chat, on its session (default: the current session). */
  runOnTurn(turnId: string, action: 'undoTurn' | 'restoreToHere' | 'reviewChanges', sessionId?: string): Promise<unknown>;
  disposable: vscode.Disposable;
}

export function createCheckpointFeature(d: CheckpointFeatureDeps): CheckpointFeature {
  const changes = new TurnChanges(d.bridge);
  const lenses = new HunkLenses(changes);
  const actions = new CheckpointActions(d.bridge, changes, d.documents);
  // A turn's hunk lenses need both its checkpoint and its end. The two events race: the
  // checkpoint is announced once its blobs are written, which on a busy disk can be after
  // the turn completed. Whichever comes second loads the changes.
  const withCheckpoint = new Set<string>();
  const endedTurns = new Map<string, string>(); // turnId -> threadId, ended before their checkpoint
  const loadIfCurrent = (threadId: string, turnId: string) => {
    if (threadId === d.currentSessionId()) void changes.load(threadId, turnId).catch(() => undefined);
  };

  const onEvent = d.bridge.onEvent((e: BridgeEvent) => {
    if (e.type === 'checkpoint_created') {
      const turnId = String((e.payload as { turnId?: unknown }).turnId);
      const threadId = endedTurns.get(turnId);
      if (threadId === undefined) withCheckpoint.add(turnId);
      else { endedTurns.delete(turnId); loadIfCurrent(threadId, turnId); }
      return;
    }
    const ended = turnCompleted(e);
    if (!ended) return;
    if (withCheckpoint.delete(ended.turnId)) { loadIfCurrent(ended.threadId, ended.turnId); return; }
    endedTurns.set(ended.turnId, ended.threadId);
    // Most turns change no file and never get a checkpoint: remember only the latest few.
    if (endedTurns.size > 32) endedTurns.delete(endedTurns.keys().next().value!);
  });

  const turnOf = (args: unknown[]): { sessionId: string; turnId: string } | undefined => {
    const [first, second] = args;
    if (typeof first === 'string' && typeof second === 'string') return { sessionId: first, turnId: second };
    const node = first as { turn?: { id?: unknown } } | undefined;
    const sessionId = d.currentSessionId();
    return typeof node?.turn?.id === 'string' && sessionId ? { sessionId, turnId: node.turn.id } : undefined;
  };
  const uriOf = (value: unknown) => (value instanceof vscode.Uri ? value : vscode.Uri.parse(String(value)));
  const restore = (scope: 'turn' | 'toBefore', what: string) => (...args: unknown[]) => {
    const turn = turnOf(args);
    return turn ? actions.report(what, () => actions.restore(turn.sessionId, turn.turnId, scope)) : undefined;
  };

  const commands = {
    [CHECKPOINT_COMMANDS.undoTurn]: restore('turn', 'undoing the turn'),
    [CHECKPOINT_COMMANDS.restoreToHere]: restore('toBefore', 'restoring to before the turn'),
    [CHECKPOINT_COMMANDS.reviewChanges]: (...args: unknown[]) => {
      const turn = turnOf(args);
      return turn ? actions.report('reviewing the changes', () => actions.review(turn.sessionId, turn.turnId)) : undefined;
    },
    [CHECKPOINT_COMMANDS.keepHunk]: (uri: unknown, index: unknown) => actions.keepHunk(uriOf(uri), Number(index)),
    [CHECKPOINT_COMMANDS.undoHunk]: (uri: unknown, index: unknown) => actions.report('undoing the change', () => actions.undoHunk(uriOf(uri), Number(index))),
    [CHECKPOINT_COMMANDS.keepAll]: (uri: unknown) => actions.keepAll(uriOf(uri)),
    [CHECKPOINT_COMMANDS.undoAll]: (uri: unknown) => actions.report('undoing the changes', () => actions.undoAll(uriOf(uri))),
  };
  const runOnTurn: CheckpointFeature['runOnTurn'] = async (turnId, action, of) => {
    const sessionId = of ?? d.currentSessionId();
    return sessionId ? commands[CHECKPOINT_COMMANDS[action]](sessionId, turnId) : undefined;
  };
  return { commands, runOnTurn, disposable: vscode.Disposable.from(onEvent, lenses, changes) };
}

function turnCompleted(e: BridgeEvent): { threadId: string; turnId: string } | undefined {
  if (e.type !== 'notification' || !e.threadId) return undefined;
  const { method, params } = (e.payload ?? {}) as { method?: string; params?: { turn?: { id?: unknown } } };
  return method === 'turn/completed' && typeof params?.turn?.id === 'string' ? { threadId: e.threadId, turnId: params.turn.id } : undefined;
}
