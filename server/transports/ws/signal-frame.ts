import type { LoggedEvent } from '../../state/event-log';

/** `item/agentMessage/delta` → `item.agent_message.delta` (codex-manager's naming). */
export function normalizeMethod(method: string): string {
  return method.split('/').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('.');
}

export interface SessionInfo { id: string; title: string; projectId: string | null }

export interface RuntimeMessage { method: string; params?: Record<string, unknown>; requestId?: string }

/**
 * The `params` text of a runtime line, cut out of the line rather than re-serialized
 * (DESIGN §9: never re-serialize a runtime message for fan-out). The runtime writes
 * `{"method":<m>,"params":<p>[,<k>:<v>...]}` (codex adds `"emittedAtMs":<n>` after params).
 * JSON.parse keeps the text's key order, so when the parsed message starts with `method`,
 * `params`, the text starts with that prefix, and it ends with the keys after `params`
 * serialized (scalars only, so re-serializing them is cheap and exact), the text between is
 * `<p>`. Anything else (other key order, nested values after params, escapes written
 * differently, whitespace) falls back to serializing `params` once.
 */
export function rawParamsText(event: LoggedEvent, message: RuntimeMessage): string {
  const raw = event.payloadJson;
  if (message.params !== undefined) {
    const keys = Object.keys(message);
    if (keys[0] === 'method' && keys[1] === 'params') {
      const prefix = `{"method":${JSON.stringify(message.method)},"params":`;
      let suffix = '}';
      for (let i = keys.length - 1; i >= 2; i--) {
        const value = (message as unknown as Record<string, unknown>)[keys[i]!];
        if (value !== null && typeof value === 'object') return JSON.stringify(message.params);
        suffix = `,${JSON.stringify(keys[i])}:${JSON.stringify(value)}${suffix}`;
      }
      if (raw.startsWith(prefix) && raw.endsWith(suffix) && raw.length > prefix.length + suffix.length) return raw.slice(prefix.length, raw.length - suffix.length);
    }
  }
  return JSON.stringify(message.params ?? null);
}

/**
 * Builds the normalized `app_server.*` signal frame codex-manager sends for each runtime
 * notification and server request, by splicing strings: the params are the runtime's own
 * text, and the few per-event strings that repeat (event type per method, the ISO time per
 * millisecond, the session JSON per thread) are cached. One event's frame costs one string
 * concatenation and one UTF-8 encode, instead of an object build and a JSON.stringify of
 * the whole params tree.
 */
export class SignalFrames {
  /** A few hundred distinct methods at most: each normalized once. */
  private readonly types = new Map<string, string>();
  private lastAt = -1;
  private lastAtIso = '';
  /** threadId → the session JSON, rebuilt when the session's title or project changes. */
  private readonly sessions = new Map<string, { info: SessionInfo; json: string }>();

  constructor(private readonly sessionInfo: (threadId: string) => SessionInfo | null) {}

  /** The frame's `type` and the payload's `eventType` (see the note on `eventType`). */
  private typeOf(method: string): string {
    let type = this.types.get(method);
    if (type === undefined) this.types.set(method, (type = normalizeMethod(method)));
    return type;
  }

  /** `{type, threadId, seq[, epoch], payload}` for the event, as text. */
  build(event: LoggedEvent, message: RuntimeMessage, signalType: 'notification' | 'request', head: (type: string) => string): string {
    const normalized = this.typeOf(message.method);
    const type = signalType === 'request' ? `app_server.request.${normalized}` : `app_server.${normalized}`;
    // codex-manager's `eventType` is the frame type itself (`app_server.turn.started`).
    const eventType = type;
    const params = message.params ?? {};
    const turn = params.turn as { id?: unknown } | undefined;
    const turnId = typeof params.turnId === 'string' ? params.turnId : typeof turn?.id === 'string' ? turn.id : null;
    const paramsText = signalType === 'notification' ? rawParamsText(event, message) : JSON.stringify(message.params ?? null);
    return `${head(type)},"payload":{"source":"app_server","signalType":"${signalType}","eventType":${JSON.stringify(eventType)},"method":${JSON.stringify(message.method)},"receivedAt":"${this.iso(event.at)}","context":{"threadId":${jsonOrNull(event.threadId)},"turnId":${jsonOrNull(turnId)}},"params":${paramsText},"session":${this.sessionJson(event.threadId)}${message.requestId ? `,"requestId":${JSON.stringify(message.requestId)}` : ''}}}`;
  }

  private iso(at: number): string {
    if (at !== this.lastAt) {
      this.lastAt = at;
      this.lastAtIso = new Date(at).toISOString();
    }
    return this.lastAtIso;
  }

  private sessionJson(threadId: string | null): string {
    if (threadId === null) return 'null';
    const info = this.sessionInfo(threadId);
    if (info === null) {
      this.sessions.delete(threadId);
      return 'null';
    }
    const cached = this.sessions.get(threadId);
    if (cached && cached.info.id === info.id && cached.info.title === info.title && cached.info.projectId === info.projectId) return cached.json;
    const json = JSON.stringify({ id: info.id, title: info.title, projectId: info.projectId });
    // Bounded by the threads that stream at once; a long-lived bridge sees sessions come and go.
    if (this.sessions.size >= 1000) this.sessions.clear();
    this.sessions.set(threadId, { info: { ...info }, json });
    return json;
  }
}

function jsonOrNull(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}
