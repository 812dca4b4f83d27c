import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionService } from '../domain/session-service';
import type { TurnTracker } from '../domain/turn-tracker';
import type { EventLog } from '../state/event-log';
import type { PendingRegistry } from '../state/pending-registry';
import type { Store } from '../state/store';

/** What handlers may use. Built once by the bridge; handlers hold no state of their own. */
export interface BridgeServices {
  runtime: RuntimeSupervisor;
  sessions: SessionService;
  pending: PendingRegistry;
  tracker: TurnTracker;
  events: EventLog;
  store: Store;
  info: { version: string; startedAt: string; codexHome: string | null };
}
