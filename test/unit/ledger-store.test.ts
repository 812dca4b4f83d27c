import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptLedger, type LedgerEntry } from '../../server/domain/transcript-ledger';
import { EventLog } from '../../server/state/event-log';
import { Store } from '../../server/state/store';

const SESSION = '01a200b2-e36b-7410-96a4-ea9329973d17';

function entry(messageId: string, content: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return { messageId, turnId: 'turn-1', role: 'system', type: 'note', content, status: 'streaming', ...extra };
}

describe('TranscriptLedger on a real store', () => {
  let root: string;
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'ledger-')); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('appends one line per upsert and reads back the latest entry per messageId, in first-seen order, after a reopen', async () => {
    const store = await Store.open(root);
    const events = new EventLog();
    const ledger = new TranscriptLedger(store, events);
    await ledger.upsert(SESSION, entry('a', 'one'));
    await ledger.upsert(SESSION, entry('b', 'two'));
    await ledger.upsert(SESSION, entry('a', 'one, finished', { status: 'complete' }));
    const lines = (await readFile(join(root, 'ledger', `${SESSION}.jsonl`), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 3, 'appended, never rewritten per upsert');
    const announced = events.since(0);
    assert.ok(announced.ok);
    assert.deepEqual(announced.events.map((e) => [e.type, e.threadId, (e.payload as { messageId: string }).messageId]), [
      ['transcript_updated', SESSION, 'a'], ['transcript_updated', SESSION, 'b'], ['transcript_updated', SESSION, 'a'],
    ]);
    await store.close();

    const reopened = new TranscriptLedger(await Store.open(root), new EventLog());
    assert.deepEqual((await reopened.entries(SESSION)).map((e) => [e.messageId, e.content, e.status]), [['a', 'one, finished', 'complete'], ['b', 'two', 'streaming']]);
  });

  it('compacts repeated upserts of one entry down to its latest state', async () => {
    const store = await Store.open(root);
    const ledger = new TranscriptLedger(store, new EventLog());
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 40; i++) await ledger.upsert(SESSION, entry('streamed', `${big}${i}`));
    await ledger.upsert(SESSION, entry('other', 'small'));
    await store.close();
    const lines = (await readFile(join(root, 'ledger', `${SESSION}.jsonl`), 'utf8')).trim().split('\n');
    assert.ok(lines.length < 41, `compacted (${lines.length} lines for 41 upserts)`);
    const reopened = new TranscriptLedger(await Store.open(root), new EventLog());
    assert.deepEqual((await reopened.entries(SESSION)).map((e) => [e.messageId, e.content.slice(-2)]), [['streamed', '39'], ['other', 'll']]);
  });

  it('reads a session without a ledger as empty, creating nothing', async () => {
    const store = await Store.open(root);
    const ledger = new TranscriptLedger(store, new EventLog());
    assert.deepEqual(await ledger.entries(SESSION), []);
    assert.deepEqual(await readdir(root), []);
    await store.close();
  });
});
