/**
 * Every reload attempt (including refused ones) is appended to the store's
 * `extensions-audit.jsonl`: who, from where, what changed, and why it failed.
 */
import { z } from 'zod';
import type { JsonlLog, Store } from '../state/store';

export const AuditRecordSchema = z.object({
  reloadId: z.string(),
  recordedAt: z.string(),
  actorRole: z.string(),
  actorId: z.string().nullable(),
  requestOrigin: z.object({ ip: z.string().nullable(), userAgent: z.string().nullable() }),
  result: z.enum(['success', 'failed', 'forbidden', 'in_progress']),
  snapshotBefore: z.string(),
  snapshotAfter: z.string().nullable(),
  trustMode: z.string(),
  errorSummary: z.string().nullable(),
  impactedExtensions: z.array(z.string()),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export class ExtensionAudit {
  private constructor(private readonly log: JsonlLog<AuditRecord>) {}

  static async open(store: Store): Promise<ExtensionAudit> {
    return new ExtensionAudit(await store.log('extensions-audit', AuditRecordSchema));
  }

  append(record: AuditRecord): Promise<void> {
    return this.log.append(record).then(() => undefined);
  }
}
