// Row: the bridge (`codex-manager serve`) killed with SIGKILL while clients write, N times;
// every acknowledged write must be there after the restart (which takes over the stale lock).
import fs from 'node:fs';
import path from 'node:path';
import { fixture, killHard, row, sleep, startServe, type Row } from './common.mts';

const WRITERS = 4;

export async function bridgeKills(n: number): Promise<Row> {
  const r = row(`bridge kill -9 during writes ×${n}`, 'bridge answering again after the kill (new process, stale lock taken over)');
  const fx = await fixture('bridge-kill');
  const dataDir = path.join(fx.root, 'data');
  const acked = new Set<string>();
  let writes = 0;
  let refusedRestarts = 0;
  try {
    let serve = await startServe(fx, dataDir);
    for (let cycle = 0; cycle < n; cycle++) {
      r.count++;
      let stop = false;
      const writer = async (w: number) => {
        for (let k = 0; !stop; k++) {
          const name = `c${cycle}-w${w}-${k}`;
          try {
            const res = await fetch(`${serve.url}/api/projects`, { method: 'POST', headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
            writes++;
            if (res.status === 200 || res.status === 201) acked.add(name);
            await res.arrayBuffer();
          } catch {
            return; // the bridge died under this request: not acknowledged
          }
        }
      };
      const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await sleep(50 + Math.random() * 250);
      const killedAt = performance.now();
      await killHard(serve.child);
      stop = true;
      await Promise.all(running);
      try {
        serve = await startServe(fx, dataDir);
      } catch (error) {
        refusedRestarts++;
        r.failures++;
        r.notes.push(`restart ${cycle}: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`);
        await sleep(1000);
        serve = await startServe(fx, dataDir);
        continue;
      }
      r.samples.push(performance.now() - killedAt);
      const listed = await fetch(`${serve.url}/api/projects`, { headers: { authorization: `Bearer ${serve.token}` } }).then((res) => res.json()) as { data: { name: string }[] };
      const names = new Set(listed.data.map((p) => p.name));
      const lost = [...acked].filter((name) => !names.has(name));
      if (lost.length) {
        r.failures++;
        r.notes.push(`cycle ${cycle}: ${lost.length} acknowledged writes lost (${lost.slice(0, 3).join(', ')})`);
        for (const name of lost) acked.delete(name);
      }
    }
    await killHard(serve.child);
    r.notes.push(`${writes} writes sent, ${acked.size} acknowledged and all checked after each restart; ${refusedRestarts} restarts refused`);
    const leftovers = fs.readdirSync(dataDir).filter((f) => f.includes('.tmp') || f.endsWith('.new'));
    if (leftovers.length) r.notes.push(`temp files left in the data dir: ${leftovers.join(', ')}`);
  } finally {
    await fx.close();
  }
  return r;
}
