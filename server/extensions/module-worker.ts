/**
 * Runs inside one extension module's worker thread: imports the module, collects its
 * registrations, runs handlers on request, and gives them their tools as messages to the
 * host (which checks capabilities). Nothing of the bridge is reachable from here, so a
 * module can only act through what the host grants, and a hung handler is stopped by
 * terminating this thread.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { HostMessage, WorkerMessage } from './types';

type Handler = (event: unknown, tools: unknown) => unknown;
interface Registration { eventType: string; handler: Handler; priority: number; timeoutMs: number }

const { entrypoint, defaultTimeoutMs } = workerData as { entrypoint: string; defaultTimeoutMs: number };
const port = parentPort!;
const registrations: Registration[] = [];
const pendingTools = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextToolCall = 0;

const post = (message: WorkerMessage) => port.postMessage(message);

/** Only plain data crosses the boundary (functions, cycles and class instances are dropped). */
function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  try { return JSON.parse(JSON.stringify(value)) as unknown; } catch { return String(value); }
}

function toolsFor(callId: number) {
  const call = (name: string, args: unknown) => new Promise<unknown>((resolve, reject) => {
    const toolCallId = ++nextToolCall;
    pendingTools.set(toolCallId, { resolve, reject });
    post({ kind: 'tool', callId, toolCallId, name, args: plain(args) });
  });
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (input: unknown, message?: string) => post({ kind: 'log', level, input: plain(input), ...(message ? { message } : {}) });
  return {
    enqueueJob: (input: unknown) => call('enqueueJob', input),
    getSessionSettings: (sessionId: string) => call('getSessionSettings', { sessionId }),
    getSessionSetting: (sessionId: string, key: string) => call('getSessionSetting', { sessionId, key }),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

async function load(): Promise<void> {
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(entrypoint).href)) as Record<string, unknown>;
  } catch (error) {
    return post({ kind: 'loadError', code: 'import_failed', message: error instanceof Error ? error.message : String(error) });
  }
  const def = ns.default as { registerAgentEvents?: unknown } | ((r: unknown) => void) | undefined;
  const register = typeof ns.registerAgentEvents === 'function' ? ns.registerAgentEvents
    : typeof def === 'function' ? def
      : typeof def?.registerAgentEvents === 'function' ? def.registerAgentEvents : undefined;
  if (typeof register !== 'function') return post({ kind: 'loadError', code: 'missing_register', message: 'the module exports no registerAgentEvents(registry)' });
  try {
    await (register as (r: unknown) => unknown)({
      on(eventType: unknown, handler: unknown, options?: { priority?: unknown; timeoutMs?: unknown }) {
        if (typeof eventType !== 'string' || typeof handler !== 'function') throw new Error('registry.on(eventType, handler) needs a string and a function');
        const priority = typeof options?.priority === 'number' && Number.isFinite(options.priority) ? options.priority : 100;
        const timeoutMs = typeof options?.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : defaultTimeoutMs;
        registrations.push({ eventType, handler: handler as Handler, priority, timeoutMs });
      },
    });
  } catch (error) {
    return post({ kind: 'loadError', code: 'registration_failed', message: error instanceof Error ? error.message : String(error) });
  }
  post({ kind: 'registered', handlers: registrations.map(({ eventType, priority, timeoutMs }) => ({ eventType, priority, timeoutMs })) });
}

port.on('message', (message: HostMessage) => {
  if (message.kind === 'toolResult') {
    const pending = pendingTools.get(message.toolCallId);
    pendingTools.delete(message.toolCallId);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(new Error(message.error ?? 'tool call failed'));
    return;
  }
  const registration = registrations[message.handlerIndex];
  if (!registration) return post({ kind: 'result', callId: message.callId, ok: false, error: 'no such handler' });
  Promise.resolve()
    .then(() => registration.handler(message.event, toolsFor(message.callId)))
    .then(
      (value) => post({ kind: 'result', callId: message.callId, ok: true, value: plain(value) }),
      (error: unknown) => post({ kind: 'result', callId: message.callId, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
});

void load();
