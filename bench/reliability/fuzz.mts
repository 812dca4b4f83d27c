// Row: fuzzed requests spread over every operation (the fuzz test's generators, many more
// runs): no 5xx beyond the runtime statuses an operation declares (501, 503), no dropped
// connection, healthy afterwards.
import path from 'node:path';
import fc from 'fast-check';
import type { OperationSpec } from '../../protocol/operation.ts';
import { OPERATIONS } from '../../protocol/operations/index.ts';
import { RouteTable } from '../../server/transports/http/routes.ts';
import { CodexManagerContract } from '../../test/support/codex-manager-contract.ts';
import { guardReason, parseBody, queryObject, type Fixture } from '../../test/support/fuzz-guard.ts';
import { requestsFor } from '../../test/support/fuzz-inputs.ts';
import { rawRequest } from '../../test/support/raw-http.ts';
import { arbitraryFor } from '../../test/support/schema-arbitrary.ts';
import { startApi, TEST_TOKEN } from '../../test/integration/support/api-client.ts';
import { startTestBridge } from '../../test/integration/support/harness.ts';
import { row, type Row } from './common.mts';

export async function fuzzRequests(n: number, seed = 20_261_203): Promise<Row> {
  const r = row('fuzzed requests over every operation', 'latency per request');
  const t = await startTestBridge({ validateReplies: false, onReply: () => undefined });
  const api = await startApi(t);
  const routes = new RouteTable(Object.values(OPERATIONS));
  // The contract lives beside the repository (../shared/contracts), as the tests find it.
  const contract = new CodexManagerContract(path.resolve('..', 'shared', 'contracts', 'codex-manager-openapi.json'));
  const statuses = new Map<number, number>();
  let held = 0;
  let dropped = 0;
  try {
    const session = await t.bridge.call('createSession', { body: {} });
    const project = await t.bridge.call('createProject', { body: { name: 'fuzz fixture' } });
    const fixture: Fixture = {
      sessionId: (session.body as { session: { sessionId: string } }).session.sessionId,
      projectId: (project.body as { project: { projectId: string } }).project.projectId,
    };
    const specs = Object.values(OPERATIONS) as OperationSpec[];
    // A few more than n / operations each: some are held back by the guards.
    const perOp = Math.ceil((n * 1.1) / specs.length);
    for (const [i, spec] of specs.entries()) {
      const schema = contract.operation(spec.id)?.requestBody?.schema;
      const valid = schema ? arbitraryFor(schema as Record<string, unknown>, (s) => contract.resolve(s) as Record<string, unknown>) : undefined;
      for (const req of fc.sample(requestsFor(spec, fixture, valid), { numRuns: perOp, seed: seed + i })) {
        if (r.count >= n) break;
        const url = new URL(req.path, 'http://bridge');
        const target = routes.match(req.method, url.pathname);
        if (target.kind === 'found' && guardReason(target.spec, { params: target.params, query: queryObject(url.searchParams), ...parseBody(req.body) }, fixture)) {
          held++;
          continue;
        }
        r.count++;
        const t0 = performance.now();
        const answer = await rawRequest(api.url, TEST_TOKEN, req);
        r.samples.push(performance.now() - t0);
        if (answer.kind === 'dropped') { dropped++; r.failures++; r.notes.push(`dropped: ${req.method} ${req.path.slice(0, 80)}`); continue; }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const declaredRuntime = (answer.status === 501 || answer.status === 503) && target.kind === 'found' && target.spec.responses[answer.status] !== undefined;
        if (answer.status >= 500 && !declaredRuntime) { r.failures++; if (r.notes.length < 8) r.notes.push(`${answer.status}: ${req.method} ${req.path.slice(0, 80)} ${answer.text.slice(0, 120)}`); }
      }
    }
    const health = await api.request('GET', '/api/health');
    const ok = health.status === 200 && (health.body as { runtime: { state: string } }).runtime.state === 'ready';
    if (!ok) { r.failures++; r.notes.push(`unhealthy afterwards: ${JSON.stringify(health.body).slice(0, 200)}`); }
    r.notes.push(`statuses: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}×${c}`).join(' ')}; ${dropped} dropped; ${held} held back (valid input to a guarded operation, e.g. deleting the fixture)`);
  } finally {
    await api.close();
    await t.stop().catch(() => undefined);
  }
  return r;
}
