import assert from 'node:assert/strict';
import { EventLog, type LoggedEvent } from '../../server/state/event-log';

describe('EventLog', () => {
  it('numbers events from 1 in order and hands them to listeners synchronously', () => {
    const log = new EventLog({ epoch: 'e1' });
    const seen: number[] = [];
    log.subscribe((e) => seen.push(e.seq));
    log.append('a', null, { n: 1 });
    log.append('b', 't1', { n: 2 });
    assert.deepEqual(seen, [1, 2]);
    assert.equal(log.lastSeq, 2);
  });

  it('replays everything after a seq, and nothing when up to date', () => {
    const log = new EventLog();
    for (let i = 0; i < 5; i++) log.append('x', null, i);
    const r = log.since(2);
    assert.ok(r.ok);
    assert.deepEqual(r.events.map((e) => e.seq), [3, 4, 5]);
    assert.deepEqual(log.since(5), { ok: true, events: [] });
    assert.deepEqual(log.since(99), { ok: false, reason: 'resync_required', oldestSeq: 1, lastSeq: 5 }, 'a seq never issued is never an empty replay');
  });

  it('is bounded by count and signals resync when the gap is gone', () => {
    const log = new EventLog({ maxEvents: 3 });
    for (let i = 0; i < 10; i++) log.append('x', null, i);
    assert.equal(log.size.events, 3);
    assert.equal(log.oldestSeq, 8);
    assert.deepEqual(log.since(6), { ok: false, reason: 'resync_required', oldestSeq: 8, lastSeq: 10 });
    const ok = log.since(7);
    assert.ok(ok.ok);
    assert.deepEqual(ok.events.map((e) => e.seq), [8, 9, 10]);
  });

  it('is bounded by bytes', () => {
    const log = new EventLog({ maxBytes: 100 });
    for (let i = 0; i < 10; i++) log.append('x', null, 'y'.repeat(30));
    assert.ok(log.size.bytes <= 100);
    assert.equal(log.size.events, 3); // 32 bytes of JSON each
    assert.equal(log.lastSeq, 10);
  });

  it('keeps a runtime line as the payload text and splices it into one shared frame', () => {
    const log = new EventLog({ epoch: 'E' });
    const raw = '{"method":"item/agentMessage/delta","params":{"threadId":"t","delta":"hi \\"x\\""}}';
    const e = log.append('notification', 't', JSON.parse(raw), raw);
    const frame = log.frame(e);
    assert.equal(frame, `{"type":"notification","threadId":"t","seq":1,"epoch":"E","payload":${raw}}`);
    assert.deepEqual(JSON.parse(frame).payload, JSON.parse(raw));

  });

  it('unsubscribes', () => {
    const log = new EventLog();
    const seen: LoggedEvent[] = [];
    const off = log.subscribe((e) => seen.push(e));
    log.append('a', null, 1);
    off();
    log.append('b', null, 2);
    assert.equal(seen.length, 1);
  });
});
