/**
 * What is running right now, read from runtime notifications: the active turn of each
 * thread, and the items in flight (a file-change approval request carries only an
 * itemId; its paths and diff come from the item announced by `item/started`).
 */
export interface TurnEnded {
  threadId: string;
  turnId: string;
  status: string;
}

const MAX_ITEMS = 2000;

export class TurnTracker {
  private readonly activeTurns = new Map<string, string>();
  private readonly items = new Map<string, Record<string, unknown>>();

  constructor(private readonly onTurnEnded: (ended: TurnEnded) => void) {}

  activeTurn(threadId: string): string | undefined {
    return this.activeTurns.get(threadId);
  }

  /** The latest known state of an item (from item/started or item/completed). */
  item(itemId: string): Record<string, unknown> | undefined {
    return this.items.get(itemId);
  }

  turnStarted(threadId: string, turnId: string): void {
    this.activeTurns.set(threadId, turnId);
  }

  /** Feeds one runtime notification. Only turn and item lifecycle methods matter here. */
  observe(method: string, params: Record<string, unknown> | undefined): void {
    if (!params) return;
    switch (method) {
      case 'turn/started': {
        const turn = params.turn as { id?: string } | undefined;
        if (typeof params.threadId === 'string' && turn?.id) this.activeTurns.set(params.threadId, turn.id);
        break;
      }
      case 'turn/completed': {
        const turn = params.turn as { id?: string; status?: string } | undefined;
        const threadId = params.threadId;
        if (typeof threadId === 'string' && turn?.id) {
          // Any completion ends the thread's active turn: codex 0.169 announces a review
          // turn under one id and completes it under another.
          this.activeTurns.delete(threadId);
          this.onTurnEnded({ threadId, turnId: turn.id, status: turn.status ?? 'completed' });
        }
        break;
      }
      case 'item/started':
      case 'item/completed': {
        const item = params.item as Record<string, unknown> | undefined;
        if (item && typeof item.id === 'string' && (item.type === 'fileChange' || item.type === 'commandExecution' || item.type === 'dynamicToolCall')) {
          this.items.delete(item.id);
          this.items.set(item.id, item);
          if (this.items.size > MAX_ITEMS) this.items.delete(this.items.keys().next().value!);
        }
        break;
      }
      default:
        break;
    }
  }

  /** The runtime went away: nothing it was running is running any more. */
  reset(): TurnEnded[] {
    const ended = [...this.activeTurns].map(([threadId, turnId]) => ({ threadId, turnId, status: 'interrupted' }));
    this.activeTurns.clear();
    return ended;
  }
}
