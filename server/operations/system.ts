import fs from 'node:fs';
import path from 'node:path';
import { BridgeError } from '../../protocol/errors';
import { buildOpenApiDocument } from '../../protocol/openapi';
import { OPERATIONS } from '../../protocol/operations';
import type { SYSTEM_OPERATIONS } from '../../protocol/operations/system';
import type { BridgeServices } from './services';
import { errorReply, type HandlersFor } from './table';

export function systemHandlers(s: BridgeServices): HandlersFor<typeof SYSTEM_OPERATIONS> {
  let openApi: Record<string, unknown> | undefined;
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
          orchestratorQueue: await queueHealth(s),
          store: { dataDir: s.store.dataDir, quarantined: s.store.quarantined().map((r) => ({ ...r })) },
        },
      };
    },
    async restartRuntime() {
      await s.runtime.restart();
      return { status: 200, body: { status: 'ok', runtime: s.runtime.health() } };
    },
    async getOpenApiDocument() {
      // Built on first request, not at start-up: most bridges never serve it.
      openApi ??= buildOpenApiDocument(Object.values(OPERATIONS), { version: s.info.version });
      return { status: 200, body: openApi as { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown> } };
    },
    async connectEventStream() {
      // The HTTP server hands real upgrades to the stream before routing; this is a plain GET.
      return errorReply(new BridgeError('invalid_request', 'GET /api/stream must be a WebSocket upgrade request')) as { status: 400; body: never };
    },
  };
}

/**
 * The queue's part of health: which engine, whether its backend (Redis) is reachable, and
 * its counts. A queue that cannot answer (Redis away) is reported, never an error: the
 * rest of the bridge keeps working.
 */
async function queueHealth(s: BridgeServices): Promise<{ enabled: boolean; [key: string]: unknown }> {
  const engine = s.orchestrator.engine;
  const info = engine.describe?.() ?? { engine: engine.kind };
  try {
    return { enabled: true, available: true, ...info, ...(await engine.stats()) };
  } catch (error) {
    return { enabled: true, available: false, ...info, reason: error instanceof Error ? error.message : String(error) };
  }
}
