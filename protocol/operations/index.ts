import * as pending from './pending';
import * as sessions from './sessions';
import * as system from './system';

/** Every declared operation, by operationId. Surfaces iterate this; nothing lists routes by hand. */
export const OPERATIONS = {
  getHealth: system.getHealth,
  restartRuntime: system.restartRuntime,
  listSessions: sessions.listSessions,
  createSession: sessions.createSession,
  readSession: sessions.readSession,
  sendSessionMessage: sessions.sendSessionMessage,
  interruptSessionTurn: sessions.interruptSessionTurn,
  listSessionApprovals: pending.listSessionApprovals,
  decideApproval: pending.decideApproval,
  listSessionToolInput: pending.listSessionToolInput,
  decideToolInput: pending.decideToolInput,
  listSessionToolCalls: pending.listSessionToolCalls,
  respondToolCall: pending.respondToolCall,
} as const;

export type Operations = typeof OPERATIONS;
export type OperationId = keyof Operations;
