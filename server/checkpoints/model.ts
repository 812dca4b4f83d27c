import { z } from 'zod';

/**
 * What the bridge keeps per thread about the files its turns changed, one JSON document
 * per thread (`checkpoints/<threadId>.json`). File contents live in the blob store,
 * named by their sha256, so a file touched by many turns is stored once per version.
 */
export const FileStateSchema = z.object({
  exists: z.boolean(),
  /** sha256 of the content (hex); absent when the file did not exist or was too large to keep. */
  blob: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  size: z.number().int().nonnegative().optional(),
  /** Larger than the per-file cap: recorded, but the content was not kept (cannot be restored). */
  tooLarge: z.boolean().optional(),
});
export type FileState = z.infer<typeof FileStateSchema>;

export const FileRecordSchema = z.object({
  /** Absolute path. */
  path: z.string(),
  /** The file before the turn's first change to it. */
  before: FileStateSchema,
  /** The file after the turn's last change to it (null until a change to it completes). */
  after: FileStateSchema.nullable(),
  /** add | delete | update | move-from | move-to, in the order the turn applied them. */
  /**
   * What the bridge itself last wrote there (undoing some hunks): the state a later restore
   * expects instead of `after`, which keeps describing the turn's own change.
   */
  current: FileStateSchema.optional(),
  kinds: z.array(z.string()),
  itemIds: z.array(z.string()),
  /** The before-state was derived from the change's diff (the runtime had already written). */
  derived: z.boolean().optional(),
});
export type FileRecord = z.infer<typeof FileRecordSchema>;

export const CheckpointRecordSchema = z.object({
  turnId: z.string(),
  /** 1-based position among the thread's checkpoints ("turn N" for a person). */
  ordinal: z.number().int().positive(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  files: z.array(FileRecordSchema),
  restoredAt: z.string().nullable(),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;

export const CheckpointDocSchema = z.object({
  threadId: z.string(),
  checkpoints: z.array(CheckpointRecordSchema),
});
export type CheckpointDoc = z.infer<typeof CheckpointDocSchema>;

/** The change kinds codex reports on fileChange items. */
export type PatchKind = { type: 'add' } | { type: 'delete' } | { type: 'update'; move_path: string | null };
export interface FileChange { path: string; kind: PatchKind; diff: string }
