import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Store } from '../../server/state/store';
import type { QuarantineReport } from '../../server/state/store';

const Projects = z.object({ projects: z.array(z.object({ id: z.string(), root: z.string() })) });
const Audit = z.object({ at: z.string(), action: z.string() });

describe('store/Store', () => {
  let root: string;
  let dataDir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'store-'));
    dataDir = join(root, 'nested', 'data');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the data dir privately', async () => {
    const store = await Store.open(dataDir);
    assert.equal(store.dataDir, dataDir);
    if (process.platform !== 'win32') assert.equal((await stat(dataDir)).mode & 0o077, 0);
    await store.close();
  });

  it('hands out one instance per name and maps names to files', async () => {
    const store = await Store.open(dataDir);
    const [a, b] = await Promise.all([store.document('projects', Projects, { projects: [] }), store.document('projects', Projects, { projects: [] })]);
    assert.equal(a, b);
    const log = await store.log('sessions/abc/ledger', Audit);
    assert.equal(await store.log('sessions/abc/ledger', Audit), log);
    await assert.rejects(store.log('sessions/abc/ledger', z.object({ other: z.number() })), /different schema/);
    await a.update((p) => ({ projects: [...p.projects, { id: 'p1', root: '/src' }] }));
    await log.append({ at: 't0', action: 'approve' });
    assert.deepEqual(JSON.parse(await readFile(join(dataDir, 'projects.json'), 'utf8')), { projects: [{ id: 'p1', root: '/src' }] });
    assert.equal(await readFile(join(dataDir, 'sessions', 'abc', 'ledger.jsonl'), 'utf8'), '{"at":"t0","action":"approve"}\n');
    await store.close();
  });

  it('rejects names that could escape the data dir or clash with internals', async () => {
    const store = await Store.open(dataDir);
    for (const name of ['../escape', 'a/../b', '.hidden', 'quarantine/x', '', 'a//b', 'a\\b', '/abs']) {
      await assert.rejects(store.log(name), /invalid store name/, name);
    }
    await store.close();
  });

  it('collects quarantine reports and notifies onQuarantine', async () => {
    const seen: QuarantineReport[] = [];
    const first = await Store.open(dataDir);
    await first.close();
    await writeFile(join(dataDir, 'projects.json'), 'garbage');
    await writeFile(join(dataDir, 'audit.jsonl'), '{"at":"t","action":"a"}\n{"at":');
    const store = await Store.open(dataDir, { onQuarantine: (r) => seen.push(r) });
    const doc = await store.document('projects', Projects, { projects: [] });
    const log = await store.log('audit', Audit);
    assert.deepEqual(doc.read(), { projects: [] });
    assert.deepEqual(log.records(), [{ at: 't', action: 'a' }]);
    assert.deepEqual(store.quarantined().map((r) => r.reason), ['unparsable', 'torn-tail']);
    assert.deepEqual(seen, store.quarantined());
    assert.equal((await readdir(join(dataDir, 'quarantine'))).length, 2);
    await store.close();
  });

  it('close() flushes pending appends and updates, then refuses new handles', async () => {
    const store = await Store.open(dataDir);
    const doc = await store.document('projects', Projects, { projects: [] });
    const log = await store.log('audit', Audit);
    const appended = Promise.all(Array.from({ length: 5 }, (_, i) => log.append({ at: `t${i}`, action: 'x' })));
    const updated = doc.update(() => ({ projects: [{ id: 'p', root: '/' }] }));
    await store.close();
    await Promise.all([appended, updated]);
    await assert.rejects(store.document('projects', Projects, { projects: [] }), /closed/);
    await assert.rejects(log.append({ at: 'late', action: 'x' }), /closed/);
    await assert.rejects(doc.update((p) => p), /closed/);

    const reopened = await Store.open(dataDir);
    assert.equal((await reopened.log('audit', Audit)).records().length, 5);
    assert.deepEqual((await reopened.document('projects', Projects, { projects: [] })).read(), { projects: [{ id: 'p', root: '/' }] });
    assert.deepEqual(reopened.quarantined(), []);
    await reopened.close();
  });

  it('routes a throwing onQuarantine listener to onBackgroundError', async () => {
    await (await Store.open(dataDir)).close();
    await writeFile(join(dataDir, 'projects.json'), '{');
    const errors: unknown[] = [];
    const store = await Store.open(dataDir, {
      onQuarantine: () => { throw new Error('listener bug'); },
      onBackgroundError: (e) => errors.push(e),
    });
    await store.document('projects', Projects, { projects: [] });
    assert.equal(store.quarantined().length, 1);
    assert.match(String(errors[0]), /listener bug/);
    await store.close();
  });
});
