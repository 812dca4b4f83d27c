import fs from 'node:fs';
import path from 'node:path';
import type { Handler } from './table';
import type { BridgeServices } from './services';
import type { Operations } from '../../protocol/operations';

export function systemHandlers(s: BridgeServices): { getHealth: Handler<Operations['getHealth']>; restartRuntime: Handler<Operations['restartRuntime']> } {
  return {
    async getHealth() {
      const runtime = s.runtime.health();
      const hasOpenAiApiKey = Boolean(process.env.OPENAI_API_KEY);
      const codexHomeAuthFile = s.info.codexHome ? fs.existsSync(path.join(s.info.codexHome, 'auth.json')) : false;
      return {
        status: 200,
        body: {
          status: runtime.state === 'ready' ? 'ok' : 'degraded',
          service: 'codex-manager-bridge',
          timestamp: new Date().toISOString(),
          codex: { running: runtime.pid !== null, pid: runtime.pid, initialized: runtime.state === 'ready' },
          auth: { hasOpenAiApiKey, codexHomeAuthFile, likelyUnauthenticated: !hasOpenAiApiKey && !codexHomeAuthFile },
          runtime,
          bridge: {
            version: s.info.version,
            epoch: s.events.epoch,
            lastSeq: s.events.lastSeq,
            startedAt: s.info.startedAt,
            pendingRequests: s.pending.pendingCount,
          },
          store: { dataDir: s.store.dataDir, quarantined: s.store.quarantined().map((r) => ({ ...r })) },
        },
      };
    },
    async restartRuntime() {
      await s.runtime.restart();
      return { status: 200, body: { status: 'ok', runtime: s.runtime.health() } };
    },
  };
}
