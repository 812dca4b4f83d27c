import { z } from 'zod';
import { defineOperation } from '../operation';
import { ErrorBodySchema, SessionIdParams } from '../schemas/common';
import { sessionGoneResponse } from './sessions';

const pendingCommon = {
  method: z.string().describe('The runtime request method'),
  threadId: z.string().nullable(),
  turnId: z.string().nullable(),
  itemId: z.string().nullable(),
  summary: z.string(),
  details: z.unknown().describe("The runtime request's params, enriched with the item they refer to"),
  createdAt: z.string(),
  status: z.enum(['pending', 'resolved', 'expired']),
};

export const ApprovalSchema = z.looseObject({ approvalId: z.string(), ...pendingCommon }).meta({ id: 'PendingApproval' });
export const ToolInputRequestSchema = z.looseObject({
  requestId: z.string(),
  ...pendingCommon,
  questions: z.array(z.looseObject({
    id: z.string(), header: z.string(), question: z.string(),
    options: z.array(z.looseObject({ label: z.string(), description: z.string() })).nullable(),
    isOther: z.boolean(), isSecret: z.boolean(),
  })),
}).meta({ id: 'PendingToolInput' });
export const ToolCallRequestSchema = z.looseObject({
  requestId: z.string(),
  ...pendingCommon,
  callId: z.string().nullable(),
  tool: z.string(),
  arguments: z.unknown(),
}).meta({ id: 'PendingToolCall' });

/** Who decided a request first; returned with a conflict so the loser knows. */
export const ResolutionSchema = z.looseObject({
  by: z.string().describe('The surface and actor that decided, e.g. "http:cli" or "editor"'),
  at: z.string(),
  decision: z.unknown().optional(),
}).meta({ id: 'PendingResolution' });

const reconciled = (idKey: 'approvalId' | 'requestId') => z.looseObject({
  status: z.literal('reconciled'),
  [idKey]: z.string(),
  threadId: z.string().nullable(),
  code: z.enum(['already_resolved', 'not_eligible', 'conflict']),
  message: z.string(),
  requestStatus: z.enum(['pending', 'resolved', 'expired']),
  resolution: ResolutionSchema.nullable(),
});

export const listSessionApprovals = defineOperation({
  id: 'listSessionApprovals',
  domain: 'sessions',
  name: 'approvals',
  method: 'GET',
  path: '/api/sessions/{sessionId}/approvals',
  summary: 'List pending approvals for a session',
  idempotent: true,
  params: SessionIdParams,
  responses: {
    200: { description: 'Pending approvals (empty for a session id nobody knows)', schema: z.looseObject({ data: z.array(ApprovalSchema) }) },
    400: { description: 'Invalid session id', schema: ErrorBodySchema },
    410: sessionGoneResponse,
  },
});

export const decideApproval = defineOperation({
  id: 'decideApproval',
  domain: 'approvals',
  name: 'decide',
  method: 'POST',
  path: '/api/approvals/{approvalId}/decision',
  summary: 'Submit an approval decision (the first decision from any surface wins)',
  params: z.object({ approvalId: z.string().min(1).max(200).describe('Approval id') }),
  body: z.object({
    decision: z.enum(['accept', 'decline', 'cancel']),
    scope: z.enum(['turn', 'session']).optional().describe('"session" accepts the same kind of action for the rest of the session'),
  }).meta({ id: 'ApprovalDecisionRequest' }),
  bodyRequired: true,
  responses: {
    200: { description: 'Decision submitted', schema: z.looseObject({ status: z.literal('ok'), approvalId: z.string(), threadId: z.string().nullable() }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Approval not found', schema: z.looseObject({ status: z.literal('not_found'), approvalId: z.string() }) },
    409: { description: 'Already decided (names the first decision) or expired', schema: reconciled('approvalId') },
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const listSessionToolInput = defineOperation({
  id: 'listSessionToolInput',
  domain: 'sessions',
  name: 'tool_input',
  method: 'GET',
  path: '/api/sessions/{sessionId}/tool-input',
  summary: 'List pending user-input requests for a session',
  idempotent: true,
  params: SessionIdParams,
  responses: {
    200: { description: 'Pending user-input requests (empty for a session id nobody knows)', schema: z.looseObject({ data: z.array(ToolInputRequestSchema) }) },
    400: { description: 'Invalid session id', schema: ErrorBodySchema },
    410: sessionGoneResponse,
  },
});

export const decideToolInput = defineOperation({
  id: 'decideToolInput',
  domain: 'tool_input',
  name: 'decide',
  method: 'POST',
  path: '/api/tool-input/{requestId}/decision',
  summary: 'Answer a user-input request',
  params: z.object({ requestId: z.string().min(1).max(200).describe('Tool-input request id') }),
  body: z.object({
    decision: z.enum(['accept', 'decline', 'cancel']),
    answers: z.record(z.string(), z.object({ answers: z.array(z.string()) })).optional()
      .describe('Answers keyed by question id'),
    response: z.unknown().optional().describe('A raw runtime response, sent as is'),
  }).meta({ id: 'ToolInputDecisionRequest' }),
  bodyRequired: true,
  responses: {
    200: { description: 'Decision submitted', schema: z.looseObject({ status: z.literal('ok'), requestId: z.string(), threadId: z.string().nullable() }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Request not found', schema: z.looseObject({ status: z.literal('not_found'), requestId: z.string() }) },
    409: { description: 'Already answered or expired', schema: reconciled('requestId') },
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const listSessionToolCalls = defineOperation({
  id: 'listSessionToolCalls',
  domain: 'sessions',
  name: 'tool_calls',
  method: 'GET',
  path: '/api/sessions/{sessionId}/tool-calls',
  summary: 'List pending dynamic tool calls for a session',
  idempotent: true,
  params: SessionIdParams,
  responses: {
    200: { description: 'Pending tool calls (empty for a session id nobody knows)', schema: z.looseObject({ data: z.array(ToolCallRequestSchema) }) },
    400: { description: 'Invalid session id', schema: ErrorBodySchema },
    410: sessionGoneResponse,
  },
});

export const respondToolCall = defineOperation({
  id: 'respondToolCall',
  domain: 'tool_calls',
  name: 'respond',
  method: 'POST',
  path: '/api/tool-calls/{requestId}/response',
  summary: 'Answer a dynamic tool call',
  params: z.object({ requestId: z.string().min(1).max(200).describe('Dynamic tool-call request id') }),
  body: z.object({
    success: z.boolean().optional(),
    text: z.string().optional(),
    contentItems: z.array(z.union([
      z.object({ type: z.literal('inputText'), text: z.string() }),
      z.object({ type: z.literal('inputImage'), imageUrl: z.string() }),
    ])).optional(),
    response: z.unknown().optional().describe('A raw runtime response, sent as is'),
  }).meta({ id: 'ToolCallResponseRequest' }),
  bodyRequired: true,
  responses: {
    200: { description: 'Response submitted', schema: z.looseObject({ status: z.literal('ok'), requestId: z.string(), threadId: z.string().nullable() }) },
    400: { description: 'Invalid request', schema: ErrorBodySchema },
    404: { description: 'Request not found', schema: z.looseObject({ status: z.literal('not_found'), requestId: z.string() }) },
    409: {
      description: 'Already answered or expired (codex-manager\'s "in flight" conflict, naming the first answer)',
      schema: z.looseObject({
        status: z.literal('conflict'),
        code: z.literal('in_flight'),
        requestId: z.string(),
        threadId: z.string().nullable(),
        message: z.string(),
        requestStatus: z.enum(['pending', 'resolved', 'expired']),
        resolution: ResolutionSchema.nullable(),
      }).meta({ id: 'ToolCallResponseConflictResponse' }),
    },
    503: { description: 'Runtime unavailable', schema: ErrorBodySchema },
  },
});

export const PENDING_OPERATIONS = {
  listSessionApprovals, decideApproval, listSessionToolInput, decideToolInput, listSessionToolCalls, respondToolCall,
} as const;
