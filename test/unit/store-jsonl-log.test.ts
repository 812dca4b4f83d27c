import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeFs } from '../../server/state/store/fs-ops';
import type { FileHandleLike, FsOps } from '../../server/state/store/fs-ops';
import { JsonlLog } from '../../server/state/store/jsonl-log';
import type { JsonlLogOptions } from '../../server/state/store/jsonl-log';
import { Quarantine } from '../../server/state/store/quarantine';
import type { QuarantineReport } from '../../server/state/store/quarantine';

const Row = z.object({ n: z.number() });
type Row = z.infer<typeof Row>;
const line = (n: number) => `${JSON.stringify({ n })}\n`;
const rows = (...ns: number[]): Row[] => ns.map((n) => ({ n }));
const tick = () => new Promise((r) => setImmediate(r));

/** Hooks into the append handle (flags 'a') so tests can count, delay or fail its syscalls. */
interface AppendHooks {
  writes: number;
  datasyncs: number;
  beforeWrite?: () => void;
  beforeDatasync?: () => Promise<void> | void;
}

function instrumentedFs(hooks: AppendHooks): FsOps {
  return {
    ...nodeFs,
    open: async (path, flags, mode) => {
      const handle = await nodeFs.open(path, flags, mode);
      if (flags !== 'a') return handle;
      const wrapped: FileHandleLike = {
        write: async (buf, offset, length, position) => {
          hooks.writes++;
          hooks.beforeWrite?.();
          return handle.write(buf, offset, length, position);
        },
        datasync: async () => {
          hooks.datasyncs++;
          await hooks.beforeDatasync?.();
          return handle.datasync();
        },
        sync: () => handle.sync(),
        truncate: (len) => handle.truncate(len),
        close: () => handle.close(),
      };
      return wrapped;
    },
  };
}

describe('store/jsonl-log', () => {
  let dir: string;
  let reports: QuarantineReport[];
  let quarantine: Quarantine;
  const logPath = () => join(dir, 'audit.jsonl');
  const makeLog = (extra: Partial<JsonlLogOptions<Row>> = {}) => new JsonlLog<Row>({ path: logPath(), schema: Row, quarantine, ...extra });
  const openLog = async (extra: Partial<JsonlLogOptions<Row>> = {}) => {
    const log = makeLog(extra);
    await log.open();
    return log;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-log-'));
    reports = [];
    quarantine = new Quarantine(join(dir, 'quarantine'), { onReport: (r) => reports.push(r) });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends records in order and reads them back after reopen', async () => {
    const log = await openLog();
    await log.append({ n: 1 });
    await log.appendMany(rows(2, 3));
    assert.deepEqual(log.records(), rows(1, 2, 3));
    await log.close();
    assert.equal(await readFile(logPath(), 'utf8'), line(1) + line(2) + line(3));
    const again = await openLog();
    assert.deepEqual(again.records(), rows(1, 2, 3));
    assert.deepEqual(reports, []);
  });

  it('group-commits appends from one tick into one write and one fdatasync', async () => {
    const hooks: AppendHooks = { writes: 0, datasyncs: 0 };
    const log = await openLog({ fs: instrumentedFs(hooks) });
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append({ n: i })));
    assert.equal(hooks.writes, 1);
    assert.equal(hooks.datasyncs, 1);
    assert.deepEqual(log.records(), rows(...Array.from({ length: 100 }, (_, i) => i)));
  });

  it('batches appends that arrive while a flush is in flight into the next commit', async () => {
    let releaseFirst!: () => void;
    const firstSync = new Promise<void>((r) => (releaseFirst = r));
    const hooks: AppendHooks = { writes: 0, datasyncs: 0, beforeDatasync: () => (hooks.datasyncs === 1 ? firstSync : undefined) };
    const log = await openLog({ fs: instrumentedFs(hooks) });
    const first = log.append({ n: 0 });
    while (hooks.datasyncs === 0) await tick();
    const later: Promise<void>[] = [];
    for (let i = 1; i <= 10; i++) {
      later.push(log.append({ n: i }));
      await tick(); // spread over several ticks: they still share the next commit
    }
    releaseFirst();
    await Promise.all([first, ...later]);
    assert.equal(hooks.writes, 2);
    assert.equal(hooks.datasyncs, 2);
    assert.deepEqual(log.records(), rows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  });

  it("resolves an append only after its data is fdatasynced", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hooks: AppendHooks = { writes: 0, datasyncs: 0, beforeDatasync: () => gate };
    const log = await openLog({ fs: instrumentedFs(hooks) });
    let resolved = false;
    const done = log.append({ n: 1 }).then(() => (resolved = true));
    while (hooks.datasyncs === 0) await tick();
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(hooks.writes, 1);
    assert.equal(resolved, false);
    assert.deepEqual(log.records(), [], 'records() only shows durable data');
    release();
    await done;
    assert.deepEqual(log.records(), rows(1));
  });

  it('rolls back a failed write so later appends stay well-formed', async () => {
    const hooks: AppendHooks = { writes: 0, datasyncs: 0 };
    const log = await openLog({ fs: instrumentedFs(hooks) });
    await log.append({ n: 1 });
    hooks.beforeWrite = () => {
      hooks.beforeWrite = undefined;
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    };
    await assert.rejects(log.append({ n: 2 }), /no space/);
    await log.append({ n: 3 });
    await log.close();
    assert.equal(await readFile(logPath(), 'utf8'), line(1) + line(3));
  });

  it('refuses further appends after an fdatasync failure', async () => {
    const hooks: AppendHooks = { writes: 0, datasyncs: 0, beforeDatasync: () => Promise.reject(new Error('EIO')) };
    const log = await openLog({ fs: instrumentedFs(hooks) });
    await assert.rejects(log.append({ n: 1 }), /EIO/);
    await assert.rejects(log.append({ n: 2 }), /reopen the log/);
  });

  it('rejects records that fail the schema or are not JSON, without writing them', async () => {
    const log = await openLog();
    await assert.rejects(log.append({ n: 'x' } as unknown as Row), /record rejected/);
    await assert.rejects(log.appendMany([{ n: 1 }, undefined as unknown as Row]), TypeError);
    await log.close();
    assert.equal(await readFile(logPath(), 'utf8'), '');
  });

  it('drops a torn final line, truncates the file and saves the fragment to quarantine', async () => {
    await writeFile(logPath(), `${line(1)}${line(2)}{"n":3`);
    const log = makeLog();
    const outcome = await log.open();
    assert.deepEqual(log.records(), rows(1, 2));
    assert.equal(outcome.reports.length, 1);
    const report = reports[0]!;
    assert.equal(report.reason, 'torn-tail');
    assert.equal(await readFile(report.quarantinedAs, 'utf8'), '{"n":3');
    assert.equal(await readFile(logPath(), 'utf8'), line(1) + line(2));
    await log.append({ n: 3 });
    await log.close();
    assert.deepEqual((await openLog()).records(), rows(1, 2, 3));
  });

  it('quarantines a copy of the whole file for a corrupt middle line and keeps the good records', async () => {
    const original = `${line(1)}not json at all\n${line(2)}{"n":"wrong type"}\n${line(3)}`;
    await writeFile(logPath(), original);
    const log = makeLog();
    await log.open();
    assert.deepEqual(log.records(), rows(1, 2, 3));
    assert.equal(reports.length, 1);
    const report = reports[0]!;
    assert.equal(report.reason, 'corrupt-lines');
    assert.match(report.detail, /line 2 unparsable/);
    assert.match(report.detail, /line 4 invalid/);
    assert.equal(await readFile(report.quarantinedAs, 'utf8'), original);
    // Good lines keep their original bytes; no temp files are left behind.
    assert.equal(await readFile(logPath(), 'utf8'), line(1) + line(2) + line(3));
    assert.deepEqual((await readdir(dir)).sort(), ['audit.jsonl', 'quarantine']);
    await log.append({ n: 4 });
    await log.close();
    const again = makeLog();
    assert.deepEqual((await again.open()).reports, []);
    assert.deepEqual(again.records(), rows(1, 2, 3, 4));
  });

  it('treats invalid UTF-8 and NUL padding as corruption, not data', async () => {
    await writeFile(logPath(), Buffer.concat([Buffer.from(line(1)), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(line(2)), Buffer.alloc(8)]));
    const log = makeLog();
    await log.open();
    assert.deepEqual(log.records(), rows(1, 2));
    assert.equal(reports[0]?.reason, 'corrupt-lines');
    assert.match(reports[0]?.detail ?? '', /torn final line of 8 bytes/);
  });

  it('compacts atomically, keeps order, includes same-tick appends and survives reopen', async () => {
    const log = await openLog();
    await log.appendMany(rows(1, 2, 3, 4, 5, 6));
    const pending = log.append({ n: 7 });
    let seen: readonly Row[] = [];
    await log.compact((records) => {
      seen = records;
      return records.filter((r) => r.n % 2 === 1);
    });
    await pending;
    assert.deepEqual(seen, rows(1, 2, 3, 4, 5, 6, 7));
    assert.deepEqual(log.records(), rows(1, 3, 5, 7));
    // Appends after compaction must land in the new file, not the replaced inode.
    await log.append({ n: 8 });
    await log.close();
    assert.equal(await readFile(logPath(), 'utf8'), line(1) + line(3) + line(5) + line(7) + line(8));
    assert.deepEqual(await readdir(dir), ['audit.jsonl']);
    assert.deepEqual((await openLog()).records(), rows(1, 3, 5, 7, 8));
  });

  it('leaves the log untouched when the compaction function throws', async () => {
    const log = await openLog();
    await log.appendMany(rows(1, 2));
    await assert.rejects(log.compact(() => { throw new Error('nope'); }), /nope/);
    await log.append({ n: 3 });
    assert.deepEqual(log.records(), rows(1, 2, 3));
  });

  it('compacts automatically once the file grows past the threshold', async () => {
    const errors: unknown[] = [];
    const log = await openLog({
      autoCompact: { thresholdBytes: 100, keep: (records) => records.slice(-2) },
      onBackgroundError: (e) => errors.push(e),
    });
    for (let i = 0; i < 20; i++) await log.append({ n: i });
    await log.close();
    const size = (await readFile(logPath())).length;
    assert.ok(size <= 100 + line(19).length, `file stayed small (${size} bytes)`);
    const reopened = await openLog();
    assert.deepEqual(reopened.records().at(-1), { n: 19 });
    assert.ok(reopened.records().length < 20);
    assert.deepEqual(errors, []);
  });

  it('close() flushes appends that were not awaited, and later appends reject', async () => {
    const log = await openLog();
    const a = log.append({ n: 1 });
    const b = log.appendMany(rows(2, 3));
    await log.close();
    await Promise.all([a, b]);
    await assert.rejects(log.append({ n: 4 }), /closed/);
    assert.deepEqual((await openLog()).records(), rows(1, 2, 3));
  });

  it('accepts any JSON value without a schema', async () => {
    const log = new JsonlLog<unknown>({ path: logPath(), quarantine });
    await log.open();
    await log.appendMany([{ a: 1 }, 'text', [1, 2], null]);
    await log.close();
    const again = new JsonlLog<unknown>({ path: logPath(), quarantine });
    await again.open();
    assert.deepEqual(again.records(), [{ a: 1 }, 'text', [1, 2], null]);
  });
});
