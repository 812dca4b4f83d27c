import type { EventLog, LoggedEvent } from '../../state/event-log';
import { SignalFrames, type RuntimeMessage, type SessionInfo } from './signal-frame';

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

export { normalizeMethod, type SessionInfo } from './signal-frame';

/** What a frame is for: its family and the thread it is scoped to (null: everyone). */
export interface FrameTarget {
  family: Family;
  threadId: string | null;
}

/**
 * Which families an event has, and their frames. Frames are built on demand, once per
 * event for all sockets of one publish (the caller holds them for that tick only, so
 * the ring never pins frame strings). Every frame is spliced from strings: runtime text
 * is never parsed again nor re-serialized.
 */
export class FrameBuilder {
  private readonly signals: SignalFrames;

  constructor(private readonly log: EventLog, sessionInfo: (threadId: string) => SessionInfo | null) {
    this.signals = new SignalFrames(sessionInfo);
  }

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
    switch (family) {
      case 'notification':
        if (compact) return `{"type":"notification","seq":${event.seq},"payload":${event.payloadJson}}`;
        return `${this.head('notification', event.threadId, event, false)},"payload":${event.payloadJson}}`;
      case 'bridge':
        return `${this.head(event.type, event.threadId, event, compact)},"payload":${event.payloadJson}}`;
      case 'app_server': {
        const message = event.payload as RuntimeMessage;
        const signalType = event.type === 'server_request' ? 'request' : 'notification';
        return this.signals.build(event, message, signalType, (type) => this.head(type, event.threadId, event, compact));
      }
      case 'alias': {
        const message = event.payload as RuntimeMessage;
        const alias = ALIASES[message.method]!;
        return `${this.head(alias.type, alias.global ? null : event.threadId, event, compact)},"payload":${JSON.stringify(message.params ?? null)}}`;
      }
    }
  }

  /** `{"type":…,"threadId":…,"seq":…[,"epoch":…]`: the envelope up to its payload. */
  private head(type: string, threadId: string | null, event: LoggedEvent, compact: boolean): string {
    const thread = threadId === null ? 'null' : JSON.stringify(threadId);
    return compact
      ? `{"type":${JSON.stringify(type)},"threadId":${thread},"seq":${event.seq}`
      : `{"type":${JSON.stringify(type)},"threadId":${thread},"seq":${event.seq},"epoch":"${this.log.epoch}"`;
  }
}
