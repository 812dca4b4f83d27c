import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeFs } from '../../server/state/store/fs-ops';
import type { FsOps } from '../../server/state/store/fs-ops';
import { JsonDocument } from '../../server/state/store/json-document';
import { Quarantine } from '../../server/state/store/quarantine';
import type { QuarantineReport } from '../../server/state/store/quarantine';

const Settings = z.object({ theme: z.enum(['light', 'dark']), counter: z.number().int(), tags: z.array(z.string()) });
type Settings = z.infer<typeof Settings>;
const DEFAULTS: Settings = { theme: 'light', counter: 0, tags: [] };

describe('store/json-document', () => {
  let dir: string;
  let reports: QuarantineReport[];
  let quarantine: Quarantine;
  const docPath = () => join(dir, 'settings.json');
  const makeDoc = (fs: FsOps = nodeFs) => new JsonDocument<Settings>({ path: docPath(), schema: Settings, defaultValue: DEFAULTS, quarantine, fs });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-doc-'));
    reports = [];
    quarantine = new Quarantine(join(dir, 'quarantine'), { onReport: (r) => reports.push(r) });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the default for a missing file without creating it', async () => {
    const doc = makeDoc();
    assert.deepEqual(await doc.load(), { status: 'missing' });
    assert.deepEqual(doc.read(), DEFAULTS);
    assert.deepEqual(await readdir(dir), []);
  });

  it('persists updates so a fresh instance reads them back', async () => {
    const doc = makeDoc();
    await doc.load();
    const next = await doc.update((s) => ({ ...s, theme: 'dark' }));
    assert.equal(next.theme, 'dark');
    const again = makeDoc();
    assert.deepEqual(await again.load(), { status: 'loaded' });
    assert.equal(again.read().theme, 'dark');
  });

  it('serializes concurrent updates so none is lost', async () => {
    const doc = makeDoc();
    await doc.load();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        doc.update(async (s) => {
          // Yield mid-update: a naive read-modify-write would interleave here.
          await new Promise((r) => setImmediate(r));
          return { ...s, counter: s.counter + 1, tags: [...s.tags, `t${i}`] };
        }),
      ),
    );
    assert.equal(doc.read().counter, 50);
    const onDisk = Settings.parse(JSON.parse(await readFile(docPath(), 'utf8')));
    assert.equal(onDisk.counter, 50);
    assert.deepEqual(onDisk.tags, Array.from({ length: 50 }, (_, i) => `t${i}`));
  });

  it('hands out a frozen value and gives update() a mutable copy', async () => {
    const doc = makeDoc();
    await doc.load();
    assert.throws(() => {
      (doc.read().tags as string[]).push('x');
    }, TypeError);
    await doc.update((s) => {
      s.tags.push('ok');
      return s;
    });
    assert.deepEqual(doc.read().tags, ['ok']);
  });

  it('leaves state unchanged when the update function throws or returns an invalid value', async () => {
    const doc = makeDoc();
    await doc.load();
    await assert.rejects(doc.update(() => { throw new Error('boom'); }), /boom/);
    await assert.rejects(doc.update((s) => ({ ...s, theme: 'neon' as 'dark' })));
    assert.deepEqual(doc.read(), DEFAULTS);
    assert.deepEqual(await readdir(dir), []);
    await doc.update((s) => ({ ...s, counter: 1 }));
    assert.equal(doc.read().counter, 1);
  });

  it('keeps memory and disk unchanged when the atomic write fails', async () => {
    const failing: FsOps = { ...nodeFs, rename: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) };
    const doc = makeDoc(failing);
    await doc.load();
    await assert.rejects(doc.update((s) => ({ ...s, counter: 7 })), /EIO/);
    assert.equal(doc.read().counter, 0);
    assert.deepEqual(await readdir(dir), []);
  });

  it('quarantines an unparsable file, reports it and falls back to the default', async () => {
    await writeFile(docPath(), '{"theme": "dark", "coun');
    const doc = makeDoc();
    const outcome = await doc.load();
    assert.equal(outcome.status, 'quarantined');
    assert.deepEqual(doc.read(), DEFAULTS);
    assert.equal(reports.length, 1);
    const report = reports[0]!;
    assert.equal(report.reason, 'unparsable');
    assert.equal(report.file, docPath());
    assert.match(report.quarantinedAs, /quarantine[/\\]settings\.json\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.unparsable$/);
    assert.equal(await readFile(report.quarantinedAs, 'utf8'), '{"theme": "dark", "coun');
    assert.deepEqual(await readdir(dir), ['quarantine']);
    // The next update writes a fresh file; the quarantined copy stays.
    await doc.update((s) => ({ ...s, counter: 1 }));
    assert.equal((await readdir(join(dir, 'quarantine'))).length, 1);
  });

  it('quarantines a schema-invalid file with the issue in the report', async () => {
    await writeFile(docPath(), JSON.stringify({ theme: 'neon', counter: 1, tags: [] }));
    const doc = makeDoc();
    assert.equal((await doc.load()).status, 'quarantined');
    assert.deepEqual(doc.read(), DEFAULTS);
    assert.equal(reports[0]?.reason, 'invalid');
    assert.match(reports[0]?.detail ?? '', /theme/);
  });

  it('never overwrites an existing quarantined file with the same timestamp', async () => {
    const fixed = new Date('2024-05-01T10:00:00.000Z');
    quarantine = new Quarantine(join(dir, 'quarantine'), { onReport: (r) => reports.push(r), now: () => fixed });
    for (const content of ['first', 'second']) {
      await writeFile(docPath(), content);
      await makeDoc().load();
    }
    const saved = await Promise.all(reports.map((r) => readFile(r.quarantinedAs, 'utf8')));
    assert.deepEqual(saved, ['first', 'second']);
    assert.notEqual(reports[0]?.quarantinedAs, reports[1]?.quarantinedAs);
  });

  it('rejects a default that does not satisfy the schema', () => {
    assert.throws(() => new JsonDocument({ path: docPath(), schema: Settings, defaultValue: { ...DEFAULTS, counter: 0.5 }, quarantine }));
  });
});
