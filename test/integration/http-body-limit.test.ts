import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HttpServer } from '../../server/transports/http/http-server';
import { OperationTable, type HandlerMap } from '../../server/operations/table';

const run = promisify(execFile);
const TOKEN = 'body-limit-test-token';
const BIG = 20 * 1024 * 1024;

/**
 * Issue 12 §2.2: a body over the limit gets a 413 that ordinary clients actually read,
 * rather than EPIPE/ECONNRESET because the socket closed while they were still sending.
 */
describe('an oversized request body gets a 413 that plain clients read', function () {
  let server: HttpServer;
  let url: string;
  before(async () => {
    // No handler runs: the limit is enforced before the operation is invoked.
    server = new HttpServer(new OperationTable({} as HandlerMap), { host: '127.0.0.1', port: 0, token: TOKEN });
    ({ url } = await server.listen());
  });
  after(async () => { await server?.close(); });

  it('Node fetch, 20 MB, five times in a row', async () => {
    const body = Buffer.alloc(BIG, 0x61);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 413, `try ${i}`);
      assert.equal(((await res.json()) as { code: string }).code, 'payload_too_large');
    }
  });

  it('Python http.client, 20 MB with Content-Length and chunked, five times each', async () => {
    const script = `
import http.client, json, sys
u = sys.argv[1].split('//')[1]
host, port = u.split(':')
out = []
for chunked in (False, True):
    for i in range(5):
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        body = b'a' * ${BIG}
        if chunked:
            c.request('POST', '/api/sessions', body=iter([body[j:j+65536] for j in range(0, len(body), 65536)]), headers={'Authorization': 'Bearer ${TOKEN}', 'Content-Type': 'application/json'}, encode_chunked=True)
        else:
            c.request('POST', '/api/sessions', body=body, headers={'Authorization': 'Bearer ${TOKEN}', 'Content-Type': 'application/json'})
        r = c.getresponse()
        out.append([r.status, json.loads(r.read())['code']])
        c.close()
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script, url], { maxBuffer: 1 << 20 });
    const results = JSON.parse(stdout) as [number, string][];
    assert.equal(results.length, 10);
    for (const [status, code] of results) {
      assert.equal(status, 413);
      assert.equal(code, 'payload_too_large');
    }
  });
});
