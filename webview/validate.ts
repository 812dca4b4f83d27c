import { ToWebviewSchema, type ToWebview } from '../protocol/webview';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRecordArray = (v: unknown): v is Rec[] => Array.isArray(v) && v.every(isRecord);

/**
 * Validates a host message with the shared zod schemas (protocol/webview.ts). One
 * exception, for speed: a state's `transcript` and `approvals` (10,000 entries in a long
 * session) are checked by hand against what their schema says, `z.array(z.record(
 * z.string(), z.unknown()))`, i.e. an array of plain objects, because zod would copy
 * every entry (~40 ms and a GC at 10k) to check exactly that. The rest of the state
 * goes through the schema as usual.
 */
export function parseHostMessage(data: unknown): ToWebview | null {
  if (isRecord(data) && data.type === 'state' && isRecord(data.state)) {
    const { transcript, approvals, ...rest } = data.state;
    if (!isRecordArray(transcript) || !isRecordArray(approvals)) return null;
    const envelope = ToWebviewSchema.safeParse({ type: 'state', state: { ...rest, transcript: [], approvals: [] } });
    if (!envelope.success || envelope.data.type !== 'state') return null;
    return { type: 'state', state: { ...envelope.data.state, transcript, approvals } };
  }
  const parsed = ToWebviewSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
