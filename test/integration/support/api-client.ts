import WebSocket from 'ws';
import type { ApiServer } from '../../../server/transports/api-server';
import { startApiServer } from '../../../server/transports/api-server';
import type { TestBridge } from './harness';

export const TEST_TOKEN = 'test-token-0123456789abcdef0123456789abcdef';

export interface Frame { type: string; threadId?: string | null; seq?: number; epoch?: string; payload?: unknown; [k: string]: unknown }

/** The harness bridge behind its real HTTP + WebSocket front doors. */
export async function startApi(t: TestBridge, stream: { maxBufferedBytes?: number; heartbeatMs?: number } = {}): Promise<ApiServer & { request: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: unknown }> }> {
  const api = await startApiServer(t.bridge, { host: '127.0.0.1', port: 0, token: TEST_TOKEN, stream });
  return Object.assign(api, {
    async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  });
}

/** A WebSocket client that records every frame and can wait for one. */
export class StreamClient {
  readonly frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closeInfo: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    });
    ws.on('close', (code, reason) => { this.closeInfo = { code, reason: reason.toString() }; });
  }

  static connect(url: string, query = '', headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}` }): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/stream${query}`, { headers });
      const client = new StreamClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  waitFor(pred: (f: Frame) => boolean, timeoutMs = 20_000, what = 'frame'): Promise<Frame> {
    const found = this.frames.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last frames: ${this.frames.slice(-3).map((f) => f.type).join(', ')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  close(): void {
    this.ws.close();
  }
}

export function isRuntimeMethod(method: string, threadId?: string) {
  return (f: Frame) => f.type === 'notification' && (f.payload as { method: string }).method === method && (threadId === undefined || f.threadId === threadId);
}
