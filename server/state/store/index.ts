/** Public API of the bridge's durable store. */
export { Store } from './store';
export type { LogOptions, StoreOptions } from './store';
export { JsonDocument } from './json-document';
export type { JsonDocumentOptions, LoadOutcome } from './json-document';
export { JsonlLog } from './jsonl-log';
export type { AutoCompaction, CompactFn, JsonlLogOptions, OpenOutcome } from './jsonl-log';
export { Quarantine } from './quarantine';
export type { QuarantineOptions, QuarantineReason, QuarantineReport } from './quarantine';
export { DirectorySyncError, removeStaleTemps, writeFileAtomic, writeJsonAtomic } from './atomic-file';
export type { AtomicWriteOptions } from './atomic-file';
export { nodeFs } from './fs-ops';
export type { FileHandleLike, FsOps } from './fs-ops';
