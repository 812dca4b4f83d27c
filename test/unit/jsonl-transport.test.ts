import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ResponseError } from 'vscode-jsonrpc/node';
import { JsonlMessageReader, JsonlMessageWriter, type InboundRuntimeMessage } from '../../server/appserver/jsonl-transport';
import { mapRuntimeError } from '../../server/appserver/runtime-errors';

describe('JSONL framing', () => {
  function setup() {
    const input = new PassThrough();
    const got = { notifications: [] as [InboundRuntimeMessage, string][], requests: [] as InboundRuntimeMessage[], responses: [] as unknown[], malformed: [] as string[] };
    const reader = new JsonlMessageReader(input, {
      notification: (m, raw) => got.notifications.push([m, raw]),
      serverRequest: (m) => got.requests.push(m),
      malformedLine: (line) => got.malformed.push(line),
    });
    reader.listen((m) => got.responses.push(m));
    return { input, got };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it('splits lines across and within chunks and routes each kind', async () => {
    const { input, got } = setup();
    const n = '{"method":"item/agentMessage/delta","params":{"delta":"é"}}';
    input.write(n.slice(0, 20));
    input.write(n.slice(20) + '\n{"id":1,"result":{}}\n{"id":"r","method":"item/tool/call","params":{}}\n{"meth');
    input.write('od":"x"}\n');
    await tick();
    assert.deepEqual(got.notifications.map(([, raw]) => raw), [n, '{"method":"x"}']);
    assert.equal((got.notifications[0]![0].params as { delta: string }).delta, 'é');
    assert.deepEqual(got.responses, [{ id: 1, result: {} }]);
    assert.deepEqual(got.requests.map((r) => r.id), ['r']);
  });

  it('reports malformed lines without stopping', async () => {
    const { input, got } = setup();
    input.write('not json\n[1,2]\n\n{"method":"ok"}\n');
    await tick();
    assert.deepEqual(got.malformed, ['not json', '[1,2]']);
    assert.equal(got.notifications.length, 1);
  });

  it('writes one JSON object per line', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const writer = new JsonlMessageWriter(out);
    await writer.write({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} } as never);
    await writer.writeLine('{"id":2,"result":null}');
    assert.equal(chunks.join(''), '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n{"id":2,"result":null}\n');
  });
});

describe('runtime error mapping (by code, never by message)', () => {
  const map = (code: number, data?: unknown) => mapRuntimeError(new ResponseError(code, 'whatever the text says: method not found', data), 'x/y');
  it('maps JSON-RPC codes', () => {
    assert.equal(map(-32601).code, 'method_not_supported');
    assert.equal(map(-32602).code, 'invalid_request');
    assert.equal(map(-32600).code, 'invalid_request');
    assert.equal(map(-32001).code, 'runtime_unavailable');
    assert.equal(map(-1).code, 'internal_error');
  });
  it('prefers codexErrorInfo', () => {
    assert.equal(map(-32600, { codexErrorInfo: 'unauthorized' }).code, 'unauthorized');
    assert.equal(map(-32600, { codexErrorInfo: { activeTurnNotSteerable: { turnKind: 'review' } } }).code, 'conflict');
    assert.equal(map(-32603, { codexErrorInfo: 'usageLimitExceeded' }).httpStatus, 429);
  });
});
