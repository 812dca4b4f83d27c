import type { EventLog } from '../state/event-log';
import type { Store } from '../state/store';
import { CheckpointDocs, type RetentionLimits } from './docs';
import { CheckpointRecorder, type RecorderLimits } from './recorder';
import { CheckpointService } from './service';

export { CheckpointConflict, CheckpointService } from './service';
export type { CheckpointRecorder } from './recorder';

export type CheckpointOptions = RecorderLimits & RetentionLimits;

export const DEFAULT_CHECKPOINT_OPTIONS: CheckpointOptions = {
  maxFileBytes: 2 * 1024 * 1024,
  maxPerThread: 100,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** Opens the checkpoint documents and starts recording from the event log's runtime notifications. */
export async function openCheckpoints(store: Store, events: EventLog, options: Partial<CheckpointOptions> = {}): Promise<{ service: CheckpointService; recorder: CheckpointRecorder }> {
  const opts = { ...DEFAULT_CHECKPOINT_OPTIONS, ...options };
  const docs = new CheckpointDocs(store, opts);
  await docs.open();
  const recorder = new CheckpointRecorder(docs, events, opts, (error) => {
    events.append('checkpoint_failed', null, { message: error instanceof Error ? error.message : String(error) });
  });
  events.subscribe((event) => recorder.observe(event));
  return { service: new CheckpointService(docs, events, (threadId) => recorder.settled(threadId)), recorder };
}
