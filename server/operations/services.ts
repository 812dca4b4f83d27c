import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { CheckpointService } from '../checkpoints';
import type { ProjectService } from '../domain/projects';
import type { SessionIndex } from '../domain/session-index';
import type { SessionService } from '../domain/session-service';
import type { SessionSettingsService } from '../domain/session-settings';
import type { TranscriptLedger } from '../domain/transcript-ledger';
import type { TurnTracker } from '../domain/turn-tracker';
import type { ExtensionsService } from '../extensions/service';
import type { Orchestrator } from '../queue/orchestrator';
import type { EventLog } from '../state/event-log';
import type { PendingRegistry } from '../state/pending-registry';
import type { Store } from '../state/store';

/** What handlers may use. Built once by the bridge; handlers hold no state of their own. */
export interface BridgeServices {
  runtime: RuntimeSupervisor;
  sessions: SessionService;
  /** What the bridge remembers per session (titles, controls, projects); read-only for most handlers. */
  sessionIndex: SessionIndex;
  /** Projects and which sessions belong to them. */
  projects: ProjectService;
  /** Session controls and settings (session and default scope), the defaults lock, their audit log. */
  sessionSettings: SessionSettingsService;
  /** Supplemental transcript entries per session, merged into readSession's transcript with mergeTranscript(). */
  ledger: TranscriptLedger;
  pending: PendingRegistry;
  /** File snapshots per turn and restoring them. */
  checkpoints: CheckpointService;
  tracker: TurnTracker;
  events: EventLog;
  store: Store;
  /** Background jobs: the queue engine, agents' worker sessions, suggested-request states. */
  orchestrator: Orchestrator;
  /** Agent extension modules (each in a worker thread), their events, actions, RBAC and reload audit. */
  extensions: ExtensionsService;
  info: { version: string; startedAt: string; codexHome: string | null };
}
