/**
 * The state of suggested requests per session and request key (what clients upsert while
 * they stream a suggestion into their composer, and what suggest_request jobs record).
 * Kept in memory and bounded, like codex-manager's: it is a hint for live clients, not
 * history.
 */
export interface SuggestionEntry {
  status: 'streaming' | 'complete' | 'error' | 'canceled';
  suggestion?: string;
  error?: string;
  updatedAt: string;
}

const MAX_PER_SESSION = 20;

export class SuggestionStates {
  private readonly bySession = new Map<string, Map<string, SuggestionEntry>>();

  upsert(sessionId: string, requestKey: string, patch: Omit<SuggestionEntry, 'updatedAt'>): SuggestionEntry {
    const entries = this.bySession.get(sessionId) ?? new Map<string, SuggestionEntry>();
    this.bySession.set(sessionId, entries);
    const previous = entries.get(requestKey);
    const entry: SuggestionEntry = {
      status: patch.status,
      ...(patch.suggestion ?? previous?.suggestion ? { suggestion: patch.suggestion ?? previous?.suggestion } : {}),
      ...(patch.error ? { error: patch.error } : {}),
      updatedAt: new Date().toISOString(),
    };
    entries.delete(requestKey);
    entries.set(requestKey, entry);
    while (entries.size > MAX_PER_SESSION) entries.delete(entries.keys().next().value!);
    return entry;
  }

  get(sessionId: string, requestKey: string): SuggestionEntry | undefined {
    return this.bySession.get(sessionId)?.get(requestKey);
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
