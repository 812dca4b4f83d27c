import assert from 'node:assert/strict';
import { combine, mergeTranscript, type LedgerEntry } from '../../server/domain/transcript-ledger';
import type { MergeableEntry } from '../../server/domain/transcript-merge';

type Runtime = MergeableEntry & { details: string | null; item: Record<string, unknown> };

function rt(turnId: string, messageId: string, role: Runtime['role'], startedAt?: number, extra: Partial<Runtime> = {}): Runtime {
  return { messageId, turnId, role, type: role === 'user' ? 'userMessage' : 'agentMessage', content: messageId, details: null, status: 'complete', item: { id: messageId }, ...(startedAt !== undefined ? { startedAt } : {}), ...extra };
}

function led(turnId: string, messageId: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return { messageId, turnId, role: 'system', type: 'note', content: messageId, status: 'complete', ...extra };
}

const ids = (entries: readonly { messageId: string }[]) => entries.map((e) => e.messageId);

describe('mergeTranscript', () => {
  const runtime = [rt('t1', 'u1', 'user', 100), rt('t1', 'a1', 'assistant', 110), rt('t2', 'u2', 'user', 200), rt('t2', 'a2', 'assistant', 210)];

  it('keeps the runtime transcript as is when the ledger is empty', () => {
    assert.deepEqual(mergeTranscript(runtime, []), runtime);
  });

  it('puts an entry of a known turn before that turn\'s final answer, or after its anchor', () => {
    const merged = mergeTranscript(runtime, [led('t1', 'n1'), led('t2', 'n2', { details: JSON.stringify({ anchorItemId: 'a2' }) })]);
    assert.deepEqual(ids(merged), ['u1', 'n1', 'a1', 'u2', 'a2', 'n2']);
  });

  it('places entries of unknown turns between runtime turns by time, and untimed ones at the end', () => {
    const merged = mergeTranscript(runtime, [led('audit', 'late'), led('audit', 'between', { startedAt: 150 }), led('audit', 'first', { startedAt: 50 })]);
    assert.deepEqual(ids(merged), ['first', 'u1', 'a1', 'between', 'u2', 'a2', 'late']);
  });

  it('enriches the runtime entry with the same messageId instead of adding one', () => {
    const merged = mergeTranscript(runtime, [led('t1', 'a1', { role: 'assistant', content: 'a much longer answer', status: 'error', details: 'why', startedAt: 90, completedAt: 130 })]);
    assert.equal(merged.length, runtime.length);
    const a1 = merged[1] as Runtime;
    assert.deepEqual([a1.content, a1.status, a1.details, a1.startedAt, a1.completedAt, a1.type], ['a much longer answer', 'error', 'why', 90, 130, 'agentMessage']);
    assert.deepEqual(a1.item, { id: 'a1' }, 'the runtime item stays');
  });

  it('never lets a ledger entry downgrade a finished runtime entry', () => {
    const merged = mergeTranscript(runtime, [led('t1', 'a1', { status: 'streaming', content: '' })]);
    assert.deepEqual([merged[1]!.status, merged[1]!.content], ['complete', 'a1']);
  });
});

describe('ledger upsert merging (combine)', () => {
  it('takes the new fields and widens the time span', () => {
    const merged = combine(led('t', 'm', { content: 'old', startedAt: 100, completedAt: 200 }), led('t', 'm', { content: 'new', startedAt: 150, completedAt: 300 }));
    assert.deepEqual([merged.content, merged.startedAt, merged.completedAt], ['new', 100, 300]);
  });

  it('does not bring a finished entry back to streaming', () => {
    const merged = combine(led('t', 'm', { content: 'done', status: 'complete', details: 'd' }), led('t', 'm', { content: 'partial', status: 'streaming' }));
    assert.deepEqual([merged.status, merged.content, merged.details], ['complete', 'done', 'd']);
  });

  it('lets a streaming entry finish', () => {
    const merged = combine(led('t', 'm', { content: 'par', status: 'streaming' }), led('t', 'm', { content: 'partial done', status: 'complete' }));
    assert.deepEqual([merged.status, merged.content], ['complete', 'partial done']);
  });
});
