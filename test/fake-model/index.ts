// A scripted OpenAI Responses API server (SSE) that lets the real `codex app-server`
// run offline: in integration tests, and as the clearly labelled demo model of
// `serve`. Only node built-ins, so production code may import it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { builtinScenarios, selectScenario } from './scenarios';
import type { Scenario, Step } from './scenarios';
import * as sse from './sse';

// Everything needed to write custom scenarios comes from here too.
export type { FollowUpContext, Scenario, Step, TurnContext } from './scenarios';
export { builtinScenarios, exec, functionCall, httpError, selectScenario, streamFailed, text, words } from './scenarios';

export interface RecordedRequest {
  method: string;
  /** e.g. `/v1/responses`. */
  path: string;
  /** Parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  /** Name of the scenario that answered (responses requests only). */
  scenario?: string;
  /** How the answer ended; `clientClosed` means codex dropped the stream (e.g. turn/interrupt). */
  outcome?: Outcome;
}

export type Outcome = 'completed' | 'failed' | 'httpError' | 'clientClosed';

export interface FakeModel {
  /** `http://host:port/v1`, for `base_url` of a codex model provider. */
  baseUrl: string;
  port: number;
  /** Every request received, in arrival order, for assertions. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeModelOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Replaces the built-in scenarios (include `builtinScenarios` to extend them). */
  scenarios?: Scenario[];
  /** Shown in the default answer so nobody mistakes it for a real model. */
  label?: string;
}

// Above this much buffered output we wait for 'drain': a 20,000-delta answer
// stays fast and memory stays bounded.
const FLUSH_BYTES = 64 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Writes SSE frames in batches, respecting backpressure and noticing a client that went away. */
class SseWriter {
  private buf = '';
  closed = false;
  constructor(private readonly res: ServerResponse) {
    res.on('close', () => {
      this.closed = true;
    });
  }
  async send(frame: string): Promise<void> {
    this.buf += frame;
    if (this.buf.length >= FLUSH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.closed || this.buf === '') return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.res.write(chunk)) {
      await new Promise<void>((r) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          r();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const s = Buffer.concat(chunks).toString('utf8');
  if (s === '') return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

interface StreamMeta {
  responseId: string;
  scenario: string;
  label: string;
}

async function streamSteps(res: ServerResponse, steps: Step[], meta: StreamMeta): Promise<Outcome> {
  const { responseId, scenario, label } = meta;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-fake-model': label.replace(/[^\x20-\x7e]/g, '?'), // header values must be printable ASCII
  });
  const w = new SseWriter(res);
  await w.send(sse.responseCreated(responseId));
  let outputIndex = 0;
  for (const step of steps) {
    if (w.closed) return 'clientClosed';
    const idx = outputIndex++;
    if (step.kind === 'text') {
      const itemId = `msg_${responseId}_${idx}`;
      await w.send(sse.messageAdded(idx, itemId));
      for (const chunk of step.chunks) {
        await w.send(sse.textDelta(idx, itemId, chunk));
        if (step.delayMs) {
          await w.flush();
          await sleep(step.delayMs);
          if (w.closed) return 'clientClosed'; // the client interrupted: stop quietly
        }
      }
      await w.send(sse.messageDone(idx, itemId, step.chunks.join('')));
    } else if (step.kind === 'functionCall') {
      const args = typeof step.args === 'string' ? step.args : JSON.stringify(step.args);
      // The call id carries the scenario name so the follow-up request is answered statelessly.
      const callId = `call_${scenario}_${responseId}_${idx}`;
      await w.send(sse.functionCallDone(idx, callId, step.name, args));
    } else if (step.kind === 'streamFailed') {
      await w.send(sse.responseFailed(responseId, step.code, step.message));
      await w.flush();
      res.end();
      return 'failed';
    }
    // httpError is handled before the stream starts.
  }
  await w.send(sse.responseCompleted(responseId));
  await w.flush();
  if (w.closed) return 'clientClosed';
  res.end();
  return 'completed';
}

export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  const host = options.host ?? '127.0.0.1';
  const scenarios = options.scenarios ?? [...builtinScenarios];
  const label = options.label ?? 'the offline fake model';
  const requests: RecordedRequest[] = [];
  // Response ids become item ids in codex (msg_<id>_0, call_<scenario>_<id>_0); the random
  // tag keeps them unique across fake-model restarts within one persisted thread.
  const tag = randomBytes(3).toString('hex');
  let responses = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const record: RecordedRequest = { method: req.method ?? 'GET', path, body };
      requests.push(record);
      if (req.method !== 'POST' || !path.endsWith('/responses')) {
        sendJson(res, 404, { error: { message: `fake model: no route for ${req.method} ${path}`, type: 'not_found' } });
        return;
      }
      const { scenario, steps } = selectScenario(body, scenarios, label);
      record.scenario = scenario.name;
      const first = steps[0];
      if (first?.kind === 'httpError') {
        sendJson(res, first.status, { error: { message: first.message, type: first.code, code: first.code, param: null } });
        record.outcome = 'httpError';
        return;
      }
      const responseId = `resp-${tag}-${++responses}`;
      record.outcome = await streamSteps(res, steps, { responseId, scenario: scenario.name, label });
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'fake_model_bug' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${urlHost}:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // do not wait for a slow stream to finish
      }),
  };
}

export interface CodexHomeOptions {
  /** Default `on-request` (0.169 rejects `untrusted`). */
  approvalPolicy?: string;
  /** Default `read-only`, so escalated commands need an approval. */
  sandboxMode?: string;
  /** Appended verbatim (e.g. `[features]` tables). */
  extraToml?: string;
}

/** Writes `dir/config.toml` pointing codex at the fake model; run codex with CODEX_HOME=dir and any OPENAI_API_KEY. */
export function writeCodexHome(dir: string, baseUrl: string, opts: CodexHomeOptions = {}): void {
  mkdirSync(dir, { recursive: true });
  const q = (s: string) => JSON.stringify(s); // TOML basic strings accept JSON string escapes
  const toml = [
    `model = "mock-model"`,
    `model_provider = "mock"`,
    `approval_policy = ${q(opts.approvalPolicy ?? 'on-request')}`,
    `sandbox_mode = ${q(opts.sandboxMode ?? 'read-only')}`,
    ``,
    `[model_providers.mock]`,
    `name = "mock"`,
    `base_url = ${q(baseUrl)}`,
    `wire_api = "responses"`,
    // Fail fast: a retry would re-send the same request and get the same scripted answer.
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    ``,
    opts.extraToml ?? '',
  ].join('\n');
  writeFileSync(join(dir, 'config.toml'), toml);
}
