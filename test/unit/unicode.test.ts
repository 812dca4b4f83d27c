import assert from 'node:assert/strict';
import { illFormedStringPath, isWellFormedText } from '../../protocol/unicode';
import { OperationTable, type HandlerMap } from '../../server/operations/table';

describe('ill-formed Unicode', () => {
  it('tells lone surrogates from pairs', () => {
    assert.equal(isWellFormedText('plain é 😀'), true);
    assert.equal(isWellFormedText('\ud800'), false);
    assert.equal(isWellFormedText('a\udc00b'), false);
    assert.equal(isWellFormedText('\ud83d\ude00'), true);
  });

  it('names the path of the first bad string, keys included', () => {
    assert.equal(illFormedStringPath({ a: ['ok', { b: 1 }] }), undefined);
    assert.deepEqual(illFormedStringPath({ a: ['ok', { b: 'x\ud800' }] }), ['a', 1, 'b']);
    assert.deepEqual(illFormedStringPath({ ['k\udfff']: 1 }), ['k\udfff']);
  });

  it('is refused at the operation boundary with a 400 naming the field, before any handler runs', async () => {
    let ran = false;
    const table = new OperationTable({ sendSessionMessage: async () => { ran = true; return { status: 202, body: {} }; } } as unknown as HandlerMap);
    const reply = await table.invoke('sendSessionMessage', { params: { sessionId: 'abc' }, body: { text: 'hi \ud800' } }, { actor: 'test' });
    assert.equal(reply.status, 400);
    const body = reply.body as { code: string; message: string; issues: { path: unknown[]; code: string }[] };
    assert.equal(body.code, 'invalid_request');
    assert.deepEqual(body.issues[0]!.path, ['body', 'text']);
    assert.equal(body.issues[0]!.code, 'ill_formed_unicode');
    assert.match(body.message, /body\.text/);
    assert.equal(ran, false);
  });
});
