import assert from 'node:assert/strict';
import { HttpServer } from '../../server/transports/http/http-server';
import { OperationTable, type HandlerMap } from '../../server/operations/table';
import { rawRequest } from '../support/raw-http';

const TOKEN = 'unparsable-head-test-token-0123456789abcdef';

/**
 * Found by the reliability suite's fuzzing: a HEAD request over node's header limit got
 * its 400 with a body, which a HEAD response must not have, so the client's parser saw
 * garbage after the response and reported a dropped connection.
 */
describe('a HEAD request the HTTP parser refuses gets a bodiless 400', function () {
  let server: HttpServer;
  let url: string;
  before(async () => {
    server = new HttpServer(new OperationTable({} as HandlerMap), { host: '127.0.0.1', port: 0, token: TOKEN });
    ({ url } = await server.listen());
  });
  after(async () => { await server?.close(); });

  for (const method of ['HEAD', 'GET']) {
    it(`${method} with a 30 KB path`, async () => {
      const answer = await rawRequest(url, TOKEN, { method, path: `/api/projects/${'%C3%A9'.repeat(5000)}` });
      assert.equal(answer.kind, 'answer', JSON.stringify(answer));
      if (answer.kind !== 'answer') return;
      assert.equal(answer.status, 400);
      if (method === 'HEAD') assert.equal(answer.text, '');
      else assert.equal((answer.json as { code: string }).code, 'invalid_request');
    });
  }
});
