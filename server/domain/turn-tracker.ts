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
  /** Completions seen per thread: a turn/start answered after its turn completed must not revive it. */
  private readonly completions = new Map<string, number>();
  /** Sessions with a turn being started right now (between the check and the runtime's answer). */
  private readonly starting = new Set<string>();

  constructor(private readonly onTurnEnded: (ended: TurnEnded) => void) {}

  /** Whether any thread has a turn running (or being started). */
  get busy(): boolean {
    return this.activeTurns.size > 0 || this.starting.size > 0;
  }

  activeTurn(threadId: string): string | undefined {
    return this.activeTurns.get(threadId);
  }

  /** The latest known state of an item (from item/started or item/completed). */
  item(itemId: string): Record<string, unknown> | undefined {
    return this.items.get(itemId);
  }

  /** How many turns of this thread completed so far; pass it back to turnStarted. */
  completionMark(threadId: string): number {
    return this.completions.get(threadId) ?? 0;
  }

  /**
   * The runtime answered turn/start. Its notifications travel on the same pipe and can be
   * processed first: when a completion arrived since `mark` (taken before the request),
   * the turn is already over and stays so.
   */
  turnStarted(threadId: string, turnId: string, mark?: number): void {
    if (mark !== undefined && this.completionMark(threadId) !== mark) return;
    this.activeTurns.set(threadId, turnId);
  }

  /**
   * Claims the right to start a turn in `key` (a session id) synchronously, so two
   * concurrent sends cannot both pass the active-turn check while the first waits for the
   * runtime. Returns the release, or undefined when a start is already under way.
   */
  reserveStart(key: string): (() => void) | undefined {
    if (this.starting.has(key)) return undefined;
    this.starting.add(key);
    return () => { this.starting.delete(key); };
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
          this.completions.set(threadId, this.completionMark(threadId) + 1);
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
