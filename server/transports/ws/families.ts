import type { EventLog, LoggedEvent } from '../../state/event-log';

/**
 * One logged event reaches sockets as one or more frames, one per *family*, all with the
 * event's seq: codex-manager sends each runtime notification raw (`notification`), as a
 * normalized signal (`app_server.*`) and, for some, under an alias. A client that names
 * the families it wants gets each runtime event once; by default it gets them all.
 */
export type Family = 'notification' | 'app_server' | 'alias' | 'bridge';
export const ALL_FAMILIES: readonly Family[] = ['notification', 'app_server', 'alias', 'bridge'];

/** Runtime notification → codex-manager alias event, and whether it goes to everyone. */
const ALIASES: Record<string, { type: string; global: boolean }> = {
  'turn/plan/updated': { type: 'turn_plan_updated', global: false },
  'turn/diff/updated': { type: 'turn_diff_updated', global: false },
  'thread/tokenUsage/updated': { type: 'thread_token_usage_updated', global: false },
  'app/list/updated': { type: 'app_list_updated', global: true },
  'mcpServer/oauthLogin/completed': { type: 'mcp_oauth_completed', global: true },
  'account/updated': { type: 'account_updated', global: true },
  'account/login/completed': { type: 'account_login_completed', global: true },
  'account/rateLimits/updated': { type: 'account_rate_limits_updated', global: true },
};

/** `item/agentMessage/delta` → `item.agent_message.delta` (codex-manager's naming). */
export function normalizeMethod(method: string): string {
  return method.split('/').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('.');
}

export interface SessionInfo { id: string; title: string; projectId: string | null }

interface RuntimeMessage { method: string; params?: Record<string, unknown> }

/** What a frame is for: its family and the thread it is scoped to (null: everyone). */
export interface FrameTarget {
  family: Family;
  threadId: string | null;
}

/**
 * Which families an event has, and their frames. Frames are built on demand, once per
 * event for all sockets of one publish (the caller holds them for that tick only, so
 * the ring never pins frame strings).
 */
export class FrameBuilder {
  /** Runtime method (a server request's prefixed with `?`) -> its `app_server.*` type; a few hundred at most, each computed once. */
  private readonly normalized = new Map<string, string>();

  constructor(private readonly log: EventLog, private readonly sessionInfo: (threadId: string) => SessionInfo | null) {}

  /** The families of an event and where each goes; cheap, no serialization. */
  targets(event: LoggedEvent): FrameTarget[] {
    if (event.type === 'notification') {
      const alias = ALIASES[(event.payload as RuntimeMessage).method];
      const base: FrameTarget[] = [{ family: 'notification', threadId: event.threadId }, { family: 'app_server', threadId: event.threadId }];
      if (alias) base.push({ family: 'alias', threadId: alias.global ? null : event.threadId });
      return base;
    }
    if (event.type === 'server_request') return [{ family: 'app_server', threadId: event.threadId }];
    return [{ family: 'bridge', threadId: event.threadId }];
  }

  /**
   * The frame of one family of an event. `compact` frames (opted into by a client) leave
   * out what the client already has: the epoch (sent in `ready`/`subscribed`) and, for raw
   * runtime notifications, the threadId (it is in the payload's params). That keeps a
   * delta frame within ~1.25× the runtime's own line.
   */
  frame(event: LoggedEvent, family: Family, compact = false): string {
    if (compact && family === 'notification') return `{"type":"notification","seq":${event.seq},"payload":${event.payloadJson}}`;
    if (compact && family === 'bridge') {
      return `{"type":${JSON.stringify(event.type)},"threadId":${event.threadId === null ? 'null' : JSON.stringify(event.threadId)},"seq":${event.seq},"payload":${event.payloadJson}}`;
    }
    switch (family) {
      case 'notification':
      case 'bridge':
        return this.log.frame(event);
      case 'app_server': {
        const message = event.payload as RuntimeMessage & { requestId?: string };
        return this.signalFrame(event, message, event.type === 'server_request' ? 'request' : 'notification');
      }
      case 'alias': {
        const message = event.payload as RuntimeMessage;
        const alias = ALIASES[message.method]!;
        return this.envelope(alias.type, alias.global ? null : event.threadId, event, JSON.stringify(message.params ?? null));
      }
    }
  }

  private signalFrame(event: LoggedEvent, message: RuntimeMessage & { requestId?: string }, signalType: 'notification' | 'request'): string {
    // codex-manager's `eventType` is the frame type itself (`app_server.turn.started`,
    // `app_server.request.item.tool.call`), computed once per method and kind.
    const key = signalType === 'request' ? `?${message.method}` : message.method;
    let eventType = this.normalized.get(key);
    if (eventType === undefined) {
      eventType = `app_server.${signalType === 'request' ? 'request.' : ''}${normalizeMethod(message.method)}`;
      this.normalized.set(key, eventType);
    }
    const params = message.params ?? {};
    const turn = params.turn as { id?: string } | undefined;
    const payload = {
      source: 'app_server',
      signalType,
      eventType,
      method: message.method,
      receivedAt: new Date(event.at).toISOString(),
      context: { threadId: event.threadId, turnId: typeof params.turnId === 'string' ? params.turnId : turn?.id ?? null },
      params: message.params ?? null,
      session: event.threadId ? this.sessionInfo(event.threadId) : null,
      ...(message.requestId ? { requestId: message.requestId } : {}),
    };
    return this.envelope(eventType, event.threadId, event, JSON.stringify(payload));
  }

  private envelope(type: string, threadId: string | null, event: LoggedEvent, payloadJson: string): string {
    return `{"type":${JSON.stringify(type)},"threadId":${threadId === null ? 'null' : JSON.stringify(threadId)},"seq":${event.seq},"epoch":"${this.log.epoch}","payload":${payloadJson}}`;
  }
}
