/**
 * A thread's turns (from `thread/read`) as codex-manager transcript entries: one entry
 * per item, with a role, a type, text content and a status.
 */
export type TranscriptEntry = {
  messageId: string;
  turnId: string;
  role: 'user' | 'assistant' | 'system';
  type: string;
  content: string;
  details: string | null;
  status: 'streaming' | 'complete' | 'canceled' | 'error';
  startedAt?: number;
  completedAt?: number;
  item: Record<string, unknown>;
};

type Item = Record<string, unknown> & { id?: string; type?: string };
type Turn = { id: string; status?: string; items?: Item[] };

const TURN_STATUS: Record<string, TranscriptEntry['status']> = {
  completed: 'complete', inProgress: 'streaming', interrupted: 'canceled', failed: 'error',
};

export function transcriptFromTurns(turns: readonly Turn[] | undefined): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const turn of turns ?? []) {
    for (const item of turn.items ?? []) entries.push(entryFor(turn, item));
  }
  return entries;
}

function entryFor(turn: Turn, item: Item): TranscriptEntry {
  const base = {
    messageId: String(item.id ?? ''),
    turnId: turn.id,
    type: String(item.type ?? 'unknown'),
    status: itemStatus(item, turn),
    details: null as string | null,
    item,
    ...(typeof item.startedAtMs === 'number' ? { startedAt: item.startedAtMs } : {}),
    ...(typeof item.completedAtMs === 'number' ? { completedAt: item.completedAtMs } : {}),
  };
  switch (item.type) {
    case 'userMessage':
      return { ...base, role: 'user', content: userText(item.content) };
    case 'agentMessage':
      return { ...base, role: 'assistant', content: String(item.text ?? '') };
    case 'reasoning':
      return { ...base, role: 'assistant', content: (item.summary as string[] | undefined ?? []).join('\n') };
    case 'plan':
      return { ...base, role: 'assistant', content: String(item.text ?? '') };
    case 'commandExecution':
      return { ...base, role: 'system', content: String(item.command ?? ''), details: typeof item.aggregatedOutput === 'string' ? item.aggregatedOutput : null };
    case 'fileChange': {
      const changes = (item.changes as { path?: string; diff?: string }[] | undefined) ?? [];
      return { ...base, role: 'system', content: changes.map((c) => c.path).join('\n'), details: changes.map((c) => c.diff ?? '').join('\n') || null };
    }
    case 'dynamicToolCall':
    case 'mcpToolCall':
      return { ...base, role: 'system', content: String(item.tool ?? ''), details: JSON.stringify(item.arguments ?? null) };
    default:
      return { ...base, role: 'system', content: '' };
  }
}

function userText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? part.text ?? '' : `[${part.type ?? 'input'}]`)).join('\n');
}

function itemStatus(item: Item, turn: Turn): TranscriptEntry['status'] {
  const status = typeof item.status === 'string' ? item.status : undefined;
  if (status === 'failed' || status === 'declined') return 'error';
  if (status === 'inProgress') return turn.status === 'inProgress' ? 'streaming' : 'canceled';
  return TURN_STATUS[turn.status ?? 'completed'] ?? 'complete';
}
