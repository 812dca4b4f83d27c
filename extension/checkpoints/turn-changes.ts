import * as vscode from 'vscode';
import type { BridgeClient } from '../bridge/bridge-client';

/** One hunk of a turn's change to a file, as `diffSessionCheckpoint` lists it. */
export interface Hunk { index: number; beforeStart: number; beforeLines: number; afterStart: number; afterLines: number; lines: string[] }
export interface FileDiff { path: string; change: string; state: 'as-left' | 'changed-since' | 'restored'; before: string | null; current: string | null; hunks: Hunk[] }

/** A hunk still waiting for Keep or Undo. */
interface OpenHunk { hunk: Hunk; done: 'kept' | 'undone' | null }

export interface FileReview { sessionId: string; turnId: string; file: FileDiff; hunks: OpenHunk[] }

/**
 * The changes of the latest turn that applied any, per file, with each hunk's Keep/Undo
 * state: what the hunk lenses show. Filled from the bridge's checkpoint diff when a turn
 * with a checkpoint completes; a hunk leaves once kept or undone, a file once all its
 * hunks have.
 */
export class TurnChanges implements vscode.Disposable {
  private readonly files = new Map<string, FileReview>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly bridge: BridgeClient) {}

  /** Loads a turn's changes (replacing the previous turn's). Returns the files. */
  async load(sessionId: string, turnId: string): Promise<FileDiff[]> {
    const diff = await this.bridge.call<{ files: FileDiff[] }>('diffSessionCheckpoint', { params: { sessionId, turnId } });
    this.files.clear();
    for (const file of diff.files) {
      if (file.state !== 'as-left' || file.hunks.length === 0) continue;
      this.files.set(vscode.Uri.file(file.path).toString(), { sessionId, turnId, file, hunks: file.hunks.map((hunk) => ({ hunk, done: null })) });
    }
    this.changed.fire();
    return diff.files;
  }

  review(uri: vscode.Uri): FileReview | undefined {
    return this.files.get(uri.toString());
  }

  all(): FileReview[] {
    return [...this.files.values()];
  }

  /**
   * Where hunk `index` starts in the file now (0-based line): its after-position, moved by
   * the line-count change of every earlier hunk already undone.
   */
  lineOf(review: FileReview, index: number): number {
    let shift = 0;
    for (const open of review.hunks) {
      if (open.hunk.index >= index) break;
      if (open.done === 'undone') shift += open.hunk.beforeLines - open.hunk.afterLines;
    }
    const hunk = review.hunks[index]!.hunk;
    return Math.max(0, hunk.afterStart - 1 + shift);
  }

  mark(uri: vscode.Uri, index: number | 'all', done: 'kept' | 'undone'): void {
    const review = this.files.get(uri.toString());
    if (!review) return;
    for (const open of review.hunks) if ((index === 'all' || open.hunk.index === index) && !open.done) open.done = done;
    if (review.hunks.every((h) => h.done)) this.files.delete(uri.toString());
    this.changed.fire();
  }

  forget(uri?: vscode.Uri): void {
    if (uri) this.files.delete(uri.toString());
    else this.files.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.files.clear();
  }
}
