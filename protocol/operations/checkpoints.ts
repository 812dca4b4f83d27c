import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema, NotFoundSessionSchema, SessionIdParams } from '../schemas/common';
import { sessionGoneResponse } from './sessions';

/**
 * Checkpoints: before a turn's first change to a file the bridge keeps the file as it
 * was (content-addressed, in its data dir, independent of git), and records every
 * change the turn applied. Clients list them, diff one against the working tree, and
 * restore a turn, one file, one hunk, or everything back to before a turn.
 */
const FileChangeKindSchema = z.enum(['added', 'deleted', 'modified', 'moved-from', 'moved-to']);

export const CheckpointFileSchema = z.looseObject({
  path: z.string().describe('Absolute path'),
  change: FileChangeKindSchema.describe('What the turn did to the file'),
  restorable: z.boolean().describe('False when the file was over the size cap, so its content was not kept'),
}).meta({ id: 'CheckpointFile' });

export const CheckpointSchema = z.looseObject({
  turnId: z.string(),
  ordinal: z.number().int().describe('1-based position among the session\'s checkpoints'),
  createdAt: z.string().describe('ISO 8601: when the turn\'s first change was announced'),
  completedAt: z.string().nullable().describe('When the turn ended (null while it runs)'),
  restoredAt: z.string().nullable().describe('When files were last restored from this checkpoint'),
  files: z.array(CheckpointFileSchema),
}).meta({ id: 'Checkpoint' });

export const CheckpointHunkSchema = z.looseObject({
  index: z.number().int(),
  beforeStart: z.number().int(),
  beforeLines: z.number().int(),
  afterStart: z.number().int().describe('1-based first line of the change in the file as the turn left it'),
  afterLines: z.number().int(),
  lines: z.array(z.string()).describe('Unified-diff lines: "-" before, "+" after'),
}).meta({ id: 'CheckpointHunk' });

export const CheckpointFileDiffSchema = z.looseObject({
  path: z.string(),
  change: FileChangeKindSchema,
  state: z.enum(['as-left', 'changed-since', 'restored']).describe('The working tree vs what the turn left: untouched since, changed since by something else, or back to the checkpoint'),
  before: z.string().nullable().describe('The file before the turn (null: did not exist, or over the size cap)'),
  current: z.string().nullable().describe('The file in the working tree now (null: does not exist)'),
  diff: z.string().describe('Unified diff from the checkpoint to the working tree'),
  hunks: z.array(CheckpointHunkSchema).describe('The turn\'s own change (before → after), hunk by hunk'),
}).meta({ id: 'CheckpointFileDiff' });

export const CheckpointConflictSchema = z.looseObject({
  status: z.literal('error'),
  code: z.literal('checkpoint_conflict'),
  message: z.string(),
  files: z.array(z.looseObject({ path: z.string(), reason: z.string() })).describe('Each file that changed since, and why it blocks the restore'),
}).meta({ id: 'CheckpointConflict' });

export const CheckpointRestoreResultSchema = z.looseObject({
  status: z.literal('restored'),
  turnIds: z.array(z.string()).describe('The checkpoints restored from'),
  files: z.array(z.looseObject({ path: z.string(), action: z.enum(['written', 'removed', 'unchanged']) })),
  forced: z.boolean(),
}).meta({ id: 'CheckpointRestoreResult' });

const CheckpointParams = SessionIdParams.extend({ turnId: z.string().min(1).max(200).describe('The turn whose checkpoint this is') });

const common = {
  400: { description: 'Invalid request', schema: ErrorBodySchema },
  404: { description: 'Session or checkpoint not found', schema: z.union([NotFoundSessionSchema, ErrorBodySchema]) },
  410: sessionGoneResponse,
};

export const listSessionCheckpoints = defineOperation({
  id: 'listSessionCheckpoints', domain: 'sessions', name: 'checkpoints_list', method: 'GET',
  path: '/api/sessions/{sessionId}/checkpoints', summary: "List a session's checkpoints (one per turn that changed files), oldest first",
  idempotent: true, params: SessionIdParams,
  responses: { 200: { description: 'Checkpoints', schema: z.looseObject({ data: z.array(CheckpointSchema) }) }, ...common },
});

export const diffSessionCheckpoint = defineOperation({
  id: 'diffSessionCheckpoint', domain: 'sessions', name: 'checkpoints_diff', method: 'GET',
  path: '/api/sessions/{sessionId}/checkpoints/{turnId}/diff', summary: 'Diff a checkpoint against the working tree',
  description: 'For each file the turn changed (or only `path`): the file before the turn, now, the diff between them, and the turn\'s own hunks.',
  idempotent: true, params: CheckpointParams,
  query: z.object({ path: z.string().min(1).max(4096).optional().describe('Only this file (absolute path)') }),
  responses: { 200: { description: 'Diff', schema: z.looseObject({ turnId: z.string(), files: z.array(CheckpointFileDiffSchema) }) }, ...common },
});

export const restoreSessionCheckpoint = defineOperation({
  id: 'restoreSessionCheckpoint', domain: 'sessions', name: 'checkpoints_restore', method: 'POST',
  path: '/api/sessions/{sessionId}/checkpoints/{turnId}/restore', summary: 'Restore files from a checkpoint',
  description: 'scope `turn` (default): every file the turn changed, back to before it; `file`: only `path`; `toBefore`: '
    + 'every file changed by this turn or any later one, back to before this turn. Refuses with 409 `checkpoint_conflict`, '
    + 'naming the files, when a file changed since (by something else or a later turn), unless `force`. Emits `checkpoint_restored`.',
  params: CheckpointParams,
  body: z.object({
    scope: z.enum(['turn', 'file', 'toBefore']).optional().describe('What to restore (default turn)'),
    path: z.string().min(1).max(4096).optional().describe('The file, for scope file (absolute path)'),
    force: z.boolean().optional().describe('Restore even over changes made since'),
  }).meta({ id: 'CheckpointRestoreBody' }),
  bodyRequired: false,
  responses: {
    200: { description: 'Restored', schema: CheckpointRestoreResultSchema },
    ...common,
    409: { description: 'Files changed since the checkpoint', schema: CheckpointConflictSchema },
  },
});

export const restoreSessionCheckpointHunk = defineOperation({
  id: 'restoreSessionCheckpointHunk', domain: 'sessions', name: 'checkpoints_restore_hunk', method: 'POST',
  path: '/api/sessions/{sessionId}/checkpoints/{turnId}/hunks/restore', summary: 'Undo one hunk of a turn\'s change to a file',
  description: 'Puts the before-lines of hunk `hunk` (as listed by the diff operation) back in place of its after-lines, '
    + 'leaving the rest of the file as it is. 409 `checkpoint_conflict` when the hunk\'s lines are no longer in the file.',
  params: CheckpointParams,
  body: z.object({
    path: z.string().min(1).max(4096).describe('The file (absolute path)'),
    hunk: z.number().int().nonnegative().describe('Hunk index from the diff'),
  }).meta({ id: 'CheckpointHunkRestoreBody' }),
  bodyRequired: true,
  responses: {
    200: { description: 'Restored', schema: CheckpointRestoreResultSchema },
    ...common,
    409: { description: 'The hunk is no longer in the file', schema: CheckpointConflictSchema },
  },
});

export const CHECKPOINT_OPERATIONS = {
  listSessionCheckpoints, diffSessionCheckpoint, restoreSessionCheckpoint, restoreSessionCheckpointHunk,
} as const;
