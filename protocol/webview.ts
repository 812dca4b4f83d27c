import * as z from 'zod'; // namespace import: lets bundlers drop zod's locales (~350 KB) from the webview

/**
 * Messages between the extension host and the chat webview, validated with zod on both
 * ends. Requests carry an `id`; the other side answers with a `response` of the same id.
 */

export const BridgeEventSchema = z.object({
  type: z.string(),
  threadId: z.string().nullable(),
  seq: z.number().int(),
  payload: z.unknown(),
});
export type BridgeEvent = z.infer<typeof BridgeEventSchema>;

/** What the webview needs to paint a session at once (no waiting on the runtime for first paint). */
export const ChatStateSchema = z.object({
  runtimeState: z.string(),
  session: z.object({ sessionId: z.string(), title: z.string() }).nullable(),
  /** Transcript entries as readSession returns them (TranscriptEntry). */
  transcript: z.array(z.record(z.string(), z.unknown())),
  /** Pending approvals / user input / tool calls of the session, as the list operations return them. */
  approvals: z.array(z.record(z.string(), z.unknown())),
  activeTurnId: z.string().nullable(),
  /** The last event seq included in this state; events after it follow as `events`. */
  lastSeq: z.number().int(),
});
export type ChatState = z.infer<typeof ChatStateSchema>;

export const WebviewRequestSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('getState'), params: z.object({}).optional() }),
  z.object({ method: z.literal('newSession'), params: z.object({}).optional() }),
  z.object({ method: z.literal('sendMessage'), params: z.object({ text: z.string().min(1) }) }),
  z.object({ method: z.literal('interrupt'), params: z.object({}).optional() }),
  /** More input for the running turn (steerTurn). */
  z.object({ method: z.literal('steer'), params: z.object({ text: z.string().min(1) }) }),
  z.object({ method: z.literal('suggestReply'), params: z.object({}).optional() }),
  z.object({ method: z.literal('decideApproval'), params: z.object({ approvalId: z.string(), decision: z.enum(['accept', 'decline', 'cancel']), scope: z.enum(['turn', 'session']).optional() }) }),
  z.object({ method: z.literal('openDiff'), params: z.object({ approvalId: z.string(), path: z.string() }) }),
  /** A file change already in the transcript (no pending approval): the item's own unified diff for that path. */
  z.object({ method: z.literal('openItemDiff'), params: z.object({ itemId: z.string(), path: z.string(), diff: z.string() }) }),
  z.object({ method: z.literal('openFile'), params: z.object({ path: z.string() }) }),
  /** A turn's checkpoint: undo the turn, restore to before it (later turns too), or review its changes. */
  z.object({ method: z.literal('checkpoint'), params: z.object({ turnId: z.string().min(1), action: z.enum(['undoTurn', 'restoreToHere', 'reviewChanges']) }) }),
  z.object({ method: z.literal('insertCode'), params: z.object({ code: z.string() }) }),
  z.object({ method: z.literal('copyText'), params: z.object({ text: z.string() }) }),
  /** The controls bar: the session's model, effort, approval policy and sandbox, and their choices. */
  z.object({ method: z.literal('getControls'), params: z.object({}).optional() }),
  z.object({ method: z.literal('setControl'), params: z.object({ key: z.enum(['model', 'effort', 'approvalPolicy', 'sandbox']), value: z.string().nullable() }) }),
]);

/** getControls' answer: current values and every choice with its one-line explanation. */
export const ControlsViewSchema = z.object({
  model: z.string().nullable(),
  effort: z.string().nullable(),
  approvalPolicy: z.string(),
  sandbox: z.string(),
  models: z.array(z.object({ model: z.string(), displayName: z.string(), efforts: z.array(z.string()), defaultEffort: z.string().nullable() })),
  approvalPolicies: z.record(z.string(), z.string()),
  sandboxes: z.record(z.string(), z.string()),
});
export type ControlsView = z.infer<typeof ControlsViewSchema>;
export type ControlKey = 'model' | 'effort' | 'approvalPolicy' | 'sandbox';
export type WebviewRequest = z.infer<typeof WebviewRequestSchema>;

export const FromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('request'), id: z.number().int(), request: WebviewRequestSchema }),
]);
export type FromWebview = z.infer<typeof FromWebviewSchema>;

export const ToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.boolean(), result: z.unknown().optional(), error: z.string().optional() }),
  /** The whole state (after ready, a session switch, a reveal, or a resync). */
  z.object({ type: z.literal('state'), state: ChatStateSchema }),
  /** Bridge events of the shown session (and global ones), batched by the host. */
  z.object({ type: z.literal('events'), events: z.array(BridgeEventSchema) }),
  z.object({ type: z.literal('runtime'), state: z.string() }),
  /** "Codex: Open Chat" and friends: put the caret in the message box. */
  z.object({ type: z.literal('focusComposer') }),
]);
export type ToWebview = z.infer<typeof ToWebviewSchema>;
