// The supervisor: Codex Manager's shipped agent extension (see AGENTS.md).
// Runs in its own worker thread; reaches the bridge only through `tools` and returned actions.

const DEFAULT_POLICY = { rename: true, fileChange: { explain: true, autoDecision: 'none' }, turnReview: false };

async function policyFor(tools, sessionId) {
  if (!sessionId || !tools.getSessionSetting) return DEFAULT_POLICY;
  const value = await tools.getSessionSetting(sessionId, 'supervisor').catch(() => null);
  if (!value || typeof value !== 'object') return DEFAULT_POLICY;
  return {
    rename: value.rename !== false,
    fileChange: { ...DEFAULT_POLICY.fileChange, ...(typeof value.fileChange === 'object' && value.fileChange ? value.fileChange : {}) },
    turnReview: value.turnReview === true,
  };
}

function ownerOf(payload) {
  return payload.projectId || `session:${payload.sessionId}`;
}

/** Which files a file-change approval touches, and how many lines each adds and removes. */
export function describeChanges(details) {
  const changes = Array.isArray(details?.changes) ? details.changes : [];
  if (changes.length === 0) return 'Codex asks to change files (the change list is not available yet).';
  const lines = changes.map((change) => {
    const diff = typeof change.diff === 'string' ? change.diff : '';
    let added = 0;
    let removed = 0;
    for (const line of diff.split('\n')) {
      if (line.startsWith('+') && !line.startsWith('+++')) added += 1;
      else if (line.startsWith('-') && !line.startsWith('---')) removed += 1;
    }
    const kind = typeof change.kind === 'string' ? change.kind : change.kind?.type ?? 'update';
    return `- ${change.path ?? '(unknown file)'} (${kind}, +${added} −${removed})`;
  });
  return [`Codex asks to change ${changes.length} file${changes.length === 1 ? '' : 's'}:`, ...lines].join('\n');
}

export function registerAgentEvents(registry) {
  // Initial chat rename, and (when enabled) a review of each finished turn.
  registry.on('turn.completed', async (event, tools) => {
    const p = event.payload ?? {};
    if (!p.sessionId || p.status !== 'completed') return null;
    const policy = await policyFor(tools, p.sessionId);
    if (policy.turnReview) {
      await tools.enqueueJob({
        type: 'agent_instruction', projectId: ownerOf(p), sourceSessionId: p.sessionId,
        payload: { agent: 'supervisor', sessionId: p.sessionId, dedupeKey: `review:${p.sessionId}:${p.turnId}`, instruction: `[codex-manager supervisor] Review turn ${p.turnId} of session ${p.sessionId} in two sentences.` },
      });
    }
    if (!policy.rename) return null;
    return tools.enqueueJob({ type: 'session_title', projectId: ownerOf(p), sourceSessionId: p.sessionId, payload: { sessionId: p.sessionId, agent: 'supervisor' } });
  });

  // Explainability first (a transcript row), then the policy's decision, if any, as the action.
  registry.on('file_change.approval_requested', async (event, tools) => {
    const p = event.payload ?? {};
    const policy = await policyFor(tools, p.sessionId);
    const decision = policy.fileChange.autoDecision;
    if (decision === 'accept' || decision === 'decline') {
      return { kind: 'action_request', actionType: 'approval.decide', payload: { approvalId: p.approvalId, decision, scope: 'turn' }, idempotencyKey: `supervisor:${p.approvalId}` };
    }
    if (!policy.fileChange.explain || !p.sessionId) return null;
    return {
      kind: 'action_request',
      actionType: 'transcript.upsert',
      idempotencyKey: `supervisor-explain:${p.approvalId}`,
      payload: {
        sessionId: p.sessionId,
        entry: {
          messageId: `supervisor-explain-${p.approvalId}`, turnId: p.turnId ?? `approval-${p.approvalId}`, role: 'system', type: 'supervisor.file_change_review',
          content: describeChanges(p.details), status: 'complete', details: JSON.stringify({ approvalId: p.approvalId, agent: 'supervisor' }),
        },
      },
    };
  }, { priority: 50 });

  // Suggested requests are drafted by the queue's suggest_request job.
  registry.on('suggest_request.requested', async (event, tools) => {
    const p = event.payload ?? {};
    if (!p.sessionId || !p.requestKey) return null;
    const payload = { sessionId: p.sessionId, requestKey: p.requestKey };
    for (const key of ['model', 'effort', 'draft']) if (typeof p[key] === 'string') payload[key] = p[key];
    return tools.enqueueJob({ type: 'suggest_request', projectId: ownerOf(p), sourceSessionId: p.sessionId, payload });
  });
}
