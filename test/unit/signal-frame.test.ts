import assert from 'node:assert/strict';
import { EventLog } from '../../server/state/event-log';
import { FrameBuilder } from '../../server/transports/ws/families';
import { rawParamsText } from '../../server/transports/ws/signal-frame';

describe('app_server signal frames spliced from the runtime line', () => {
  const session = { id: 't1', title: 'Title "quoted"', projectId: null };
  const log = new EventLog({ epoch: 'E' });
  const frames = new FrameBuilder(log, (id) => (id === 't1' ? session : null));

  function logged(line: string, threadId: string | null = 't1') {
    return log.append('notification', threadId, JSON.parse(line), line);
  }

  it('equals the payload built as an object, and cuts params out of the line', () => {
    // What codex writes: `emittedAtMs` follows params.
    const line = '{"method":"item/agentMessage/delta","params":{"threadId":"t1","turnId":"u1","itemId":"i","delta":"h\\u00e9 \\"x\\""},"emittedAtMs":1796310336804}';
    const event = logged(line);
    const message = JSON.parse(line);
    assert.equal(rawParamsText(event, message), '{"threadId":"t1","turnId":"u1","itemId":"i","delta":"h\\u00e9 \\"x\\""}', 'the runtime text itself');
    const frame = JSON.parse(frames.frame(event, 'app_server'));
    assert.deepEqual(frame, {
      type: 'app_server.item.agent_message.delta', threadId: 't1', seq: event.seq, epoch: 'E',
      payload: {
        source: 'app_server', signalType: 'notification', eventType: 'app_server.item.agent_message.delta', method: 'item/agentMessage/delta',
        receivedAt: new Date(event.at).toISOString(), context: { threadId: 't1', turnId: 'u1' }, params: message.params, session,
      },
    });
    const compact = JSON.parse(frames.frame(event, 'app_server', true));
    assert.equal(compact.epoch, undefined, 'compact frames leave the epoch to ready/subscribed');
  });

  it('falls back to serializing params when the line has another shape', () => {
    for (const line of [
      '{"params":{"turn":{"id":"u2"}},"method":"turn/started"}',
      '{"jsonrpc":"2.0","method":"turn/started","params":{"turn":{"id":"u2"}}}',
      '{"method":"turn\\/started","params":{"turn":{"id":"u2"}}}',
      '{ "method": "turn/started", "params": {"turn":{"id":"u2"}} }',
      '{"method":"turn/started","params":{"turn":{"id":"u2"}},"extra":{"nested":1}}',
      '{"method":"turn/started","params":{"turn":{"id":"u2"}},"at":1.50}',
    ]) {
      const event = logged(line, null);
      const frame = JSON.parse(frames.frame(event, 'app_server'));
      assert.deepEqual(frame.payload.params, { turn: { id: 'u2' } }, line);
      assert.equal(frame.payload.context.turnId, 'u2');
      assert.equal(frame.payload.session, null);
    }
  });

  it('keeps the raw notification frame byte-identical to the line', () => {
    const line = '{"method":"turn/plan/updated","params":{"threadId":"t1","plan":[]}}';
    const event = logged(line);
    assert.equal(frames.frame(event, 'notification'), `{"type":"notification","threadId":"t1","seq":${event.seq},"epoch":"E","payload":${line}}`);
    assert.equal(JSON.parse(frames.frame(event, 'alias')).type, 'turn_plan_updated');
  });
});
