import fs from 'node:fs';
import type { EventLog, LoggedEvent } from '../state/event-log';
import { beforeOfChange, beforeOfMovedSource, type BeforeContent } from './before-state';
import type { CheckpointDocs } from './docs';
import type { CheckpointRecord, FileChange, FileRecord, FileState } from './model';

export interface RecorderLimits {
  /** Files larger than this are recorded but not kept (their restore is refused). */
  maxFileBytes: number;
}

interface PendingFile {
  path: string;
  kind: string;
  before?: BeforeContent;
  /** The bytes read, kept as they are when the before-state is the read itself (not only UTF-8 text). */
  bytes?: Buffer | null;
  tooLarge?: number;
}

/**
 * Turns runtime notifications into checkpoints. On `item/started` of a fileChange item
 * (which codex sends before it writes, approval or not) it reads the files the change
 * will touch synchronously, so nothing the runtime does afterwards can get in first;
 * the blobs and the record are then written asynchronously, in order, per thread.
 * `item/completed` and `turn/completed` record the after-state.
 */
export class CheckpointRecorder {
  private readonly seenItems = new Set<string>();

  constructor(
    private readonly docs: CheckpointDocs,
    private readonly events: EventLog,
    private readonly limits: RecorderLimits,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Feeds one logged event; only fileChange items and turn completion matter. */
  observe(event: LoggedEvent): void {
    if (event.type !== 'notification') return;
    const message = event.payload as { method?: string; params?: Record<string, unknown> };
    const method = message.method;
    if (method !== 'item/started' && method !== 'item/completed' && method !== 'turn/completed') return;
    const params = message.params ?? {};
    const threadId = typeof params.threadId === 'string' ? params.threadId : undefined;
    if (!threadId) return;
    if (method === 'turn/completed') {
      const turnId = (params.turn as { id?: unknown } | undefined)?.id;
      if (typeof turnId === 'string') this.track(threadId, () => this.turnCompleted(threadId, turnId));
      return;
    }
    const item = params.item as { type?: unknown; id?: unknown; changes?: unknown } | undefined;
    const turnId = params.turnId;
    if (item?.type !== 'fileChange' || typeof item.id !== 'string' || typeof turnId !== 'string' || !Array.isArray(item.changes)) return;
    const changes = (item.changes as FileChange[]).filter((c) => typeof c?.path === 'string' && c.kind && typeof c.diff === 'string');
    if (method === 'item/started') {
      const itemId = item.id;
      if (this.seenItems.has(itemId)) return;
      this.seenItems.add(itemId);
      if (this.seenItems.size > 10_000) this.seenItems.delete(this.seenItems.values().next().value!);
      const files = this.readBefore(changes);
      this.track(threadId, () => this.snapshot(threadId, turnId, itemId, files));
    } else {
      this.track(threadId, () => this.recordAfter(threadId, turnId, changes.flatMap(pathsOf)));
    }
  }

  /** Resolves when every write started so far is durable (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.allSettled([...this.chains.values()]);
  }

  /**
   * Resolves when what the thread's notifications so far started is recorded: a client that
   * heard `turn/completed` and asks for the turn's diff at once must see its after-state.
   */
  async settled(threadId: string): Promise<void> {
    for (let chain = this.chains.get(threadId); chain; chain = this.chains.get(threadId)) await chain;
  }

  /** Per thread, one write at a time in notification order (a completion never overtakes its snapshot). */
  private readonly chains = new Map<string, Promise<void>>();

  private track(threadId: string, work: () => Promise<void>): void {
    const next: Promise<void> = (this.chains.get(threadId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.onError(error))
      .finally(() => { if (this.chains.get(threadId) === next) this.chains.delete(threadId); });
    this.chains.set(threadId, next);
  }

  /** Synchronous on purpose: runs in the same tick as the notification. */
  private readBefore(changes: FileChange[]): PendingFile[] {
    const files: PendingFile[] = [];
    for (const change of changes) {
      const read = this.readSync(change.path);
      if (typeof read === 'number') { files.push({ path: change.path, kind: change.kind.type, tooLarge: read }); continue; }
      const move = change.kind.type === 'update' ? change.kind.move_path : null;
      let before = beforeOfChange(change, read?.toString('utf8') ?? null);
      let bytes = read;
      if (move && read === null) {
        // The move already happened: the source's content comes from the destination.
        const destination = this.readSync(move);
        const moved = destination instanceof Buffer ? beforeOfMovedSource(change.diff, destination.toString('utf8')) : undefined;
        if (moved) { before = moved; bytes = null; }
      }
      files.push({ path: change.path, kind: move ? 'move-from' : change.kind.type, before, bytes: before.derived ? null : bytes });
      if (move) {
        const destination = this.readSync(move);
        if (typeof destination === 'number') files.push({ path: move, kind: 'move-to', tooLarge: destination });
        else if (read === null) files.push({ path: move, kind: 'move-to', before: { text: null, derived: true } });
        else files.push({ path: move, kind: 'move-to', before: { text: destination?.toString('utf8') ?? null, derived: false }, bytes: destination });
      }
    }
    return files;
  }

  /** The file's bytes, null when absent, or its size when over the cap. */
  private readSync(file: string): Buffer | null | number {
    try {
      const size = fs.statSync(file).size;
      if (size > this.limits.maxFileBytes) return size;
      return fs.readFileSync(file);
    } catch {
      return null;
    }
  }

  private async snapshot(threadId: string, turnId: string, itemId: string, files: PendingFile[]): Promise<void> {
    const states = await Promise.all(files.map(async (f) => ({ f, state: await this.stateOf(f) })));
    let created: CheckpointRecord | undefined;
    await this.docs.update(threadId, (doc) => {
      let checkpoint = doc.checkpoints.find((c) => c.turnId === turnId);
      if (!checkpoint) {
        const ordinal = (doc.checkpoints.at(-1)?.ordinal ?? 0) + 1;
        checkpoint = { turnId, ordinal, createdAt: new Date().toISOString(), completedAt: null, files: [], restoredAt: null };
        doc.checkpoints.push(checkpoint);
        created = checkpoint;
      }
      for (const { f, state } of states) {
        const existing = checkpoint.files.find((r) => r.path === f.path);
        if (existing) {
          // The turn's first change to a file holds its before-state; later ones only add their kind.
          existing.kinds.push(f.kind);
          if (!existing.itemIds.includes(itemId)) existing.itemIds.push(itemId);
          continue;
        }
        const record: FileRecord = { path: f.path, before: state, after: null, kinds: [f.kind], itemIds: [itemId] };
        if (f.before?.derived) record.derived = true;
        checkpoint.files.push(record);
      }
      return doc;
    });
    if (created) {
      this.events.append('checkpoint_created', threadId, {
        threadId, turnId, ordinal: created.ordinal, createdAt: created.createdAt, files: files.map((f) => f.path),
      });
    }
  }

  private async stateOf(f: PendingFile): Promise<FileState> {
    if (f.tooLarge !== undefined) return { exists: true, size: f.tooLarge, tooLarge: true };
    const text = f.before?.text ?? null;
    if (text === null) return { exists: false };
    const bytes = f.bytes ?? Buffer.from(text, 'utf8');
    return { exists: true, blob: await this.docs.blobs.put(bytes), size: bytes.length };
  }

  private async recordAfter(threadId: string, turnId: string, paths: string[]): Promise<void> {
    const states = new Map<string, FileState>();
    for (const file of new Set(paths)) {
      const read = this.readSync(file);
      const pending: PendingFile = typeof read === 'number'
        ? { path: file, kind: 'after', tooLarge: read }
        : { path: file, kind: 'after', before: { text: read === null ? null : '', derived: false }, bytes: read };
      states.set(file, await this.stateOf(pending));
    }
    await this.docs.update(threadId, (doc) => {
      const checkpoint = doc.checkpoints.find((c) => c.turnId === turnId);
      for (const record of checkpoint?.files ?? []) {
        const state = states.get(record.path);
        if (state) record.after = state;
      }
      return doc;
    });
  }

  /** The turn's final state of every file it changed (a later item may have changed one again). */
  private async turnCompleted(threadId: string, turnId: string): Promise<void> {
    const checkpoint = this.docs.turn(threadId, turnId);
    if (!checkpoint) return;
    await this.recordAfter(threadId, turnId, checkpoint.files.map((f) => f.path));
    await this.docs.update(threadId, (doc) => {
      const c = doc.checkpoints.find((x) => x.turnId === turnId);
      if (c) c.completedAt = new Date().toISOString();
      return doc;
    });
  }
}

function pathsOf(change: FileChange): string[] {
  const move = change.kind.type === 'update' ? change.kind.move_path : null;
  return move ? [change.path, move] : [change.path];
}
