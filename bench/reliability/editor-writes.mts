// Row: two editor windows (two clients of one shared bridge, `dist/server.js --shared`)
// writing at the same time; every acknowledged write is there afterwards.
import path from 'node:path';
import { EditorClient } from '../../test/integration/support/editor-client.ts';
import { fixture, row, type Row } from './common.mts';

const CONCURRENCY = 8;

export async function editorWrites(perClient: number): Promise<Row> {
  const r = row(`two editor clients × ${perClient} writes`, 'latency per acknowledged write');
  const fx = await fixture('editors');
  const launch = {
    serverModule: path.resolve('dist/server.js'), dataDir: path.join(fx.root, 'data'), codexHome: fx.codexHome,
    demo: 'off' as const, idleExitSeconds: 0, env: fx.env,
  };
  const clients: EditorClient[] = [];
  try {
    clients.push(await EditorClient.connect(launch), await EditorClient.connect(launch));
    const acked: string[] = [];
    await Promise.all(clients.map(async (c, who) => {
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < perClient) {
          const name = `window${who}-${next++}`;
          r.count++;
          const t0 = performance.now();
          try {
            await c.call('createProject', { body: { name } });
            r.samples.push(performance.now() - t0);
            acked.push(name);
          } catch (error) {
            r.failures++;
            if (r.notes.length < 5) r.notes.push(`${name}: ${String(error).slice(0, 120)}`);
          }
        }
      }));
    }));
    const listed = await clients[0]!.call<{ data: { name: string }[] }>('listProjects');
    const names = new Set(listed.data.map((p) => p.name));
    const lost = acked.filter((name) => !names.has(name));
    r.failures += lost.length;
    r.notes.push(`${acked.length} acknowledged, ${lost.length} missing from the list afterwards; both windows on bridge pid ${clients[0]!.pid}${clients[1]!.pid === clients[0]!.pid ? '' : ` and ${clients[1]!.pid} (NOT shared)`}`);
    await clients[0]!.rpc.sendRequest('codex/stopBridge', {});
  } finally {
    for (const c of clients) c.kill();
    await new Promise((res) => setTimeout(res, 1000));
    await fx.close();
  }
  return r;
}
