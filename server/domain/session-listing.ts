import { BridgeError } from '../../protocol/errors';
import type { Thread } from '../../protocol/generated/codex/v2/Thread';
import type { ThreadListParams } from '../../protocol/generated/codex/v2/ThreadListParams';
import type { ThreadListResponse } from '../../protocol/generated/codex/v2/ThreadListResponse';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionIndex, SessionMeta } from './session-index';
import { metaFromThread, type ThreadDefaults } from './thread-meta';

export interface ListQuery {
  archived?: boolean;
  limit?: number;
  cursor?: string;
  /** Also list the agents' worker sessions (hidden by default). */
  includeSystemOwned?: boolean;
}

export type ListPage<S> = {
  data: S[];
  /** Which listing this is (codex-manager echoes the query's `archived`). */
  archived: boolean;
  nextCursor: string | null;
  /** False when the runtime could not be asked: only sessions the bridge knows are listed. */
  runtimeIncluded: boolean;
};

/** codex-manager's default page size. */
const DEFAULT_LIMIT = 100;
const RUNTIME_PAGE = 100;
/** Enough for any real history; a listing never walks the runtime's store without bound. */
const MAX_RUNTIME_PAGES = 20;

/**
 * Sessions as one list: those in the bridge's index (including ones the runtime has not
 * persisted yet, which it does not list) and threads only the runtime knows (started by
 * another codex client). Ordered newest first by creation time, which never changes,
 * and paged with a cursor naming the last row seen: a session created or updated while
 * a client pages neither shifts nor repeats rows.
 */
export async function listSessions<S>(
  deps: { index: SessionIndex; runtime: RuntimeSupervisor; defaults: ThreadDefaults; summary: (meta: SessionMeta) => S },
  query: ListQuery,
): Promise<ListPage<S>> {
  const archived = query.archived ?? false;
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const known = new Set<string>(deps.index.deletedThreadIds());
  const rows: SessionMeta[] = [];
  for (const meta of deps.index.all()) {
    known.add(meta.sessionId);
    if (meta.threadId) known.add(meta.threadId);
    if (meta.systemOwned && !query.includeSystemOwned) continue;
    if (Boolean(meta.archived) === archived) rows.push(meta);
  }
  let runtimeIncluded = true;
  try {
    for (const thread of await runtimeThreads(deps.runtime, archived)) {
      if (known.has(thread.id)) continue;
      known.add(thread.id); // codex can list one thread twice (e.g. after thread/revert)
      rows.push({ ...metaFromThread(thread, deps.defaults), ...(archived ? { archived: true } : {}) });
    }
  } catch (error) {
    if (!(error instanceof BridgeError) || (error.code !== 'runtime_unavailable' && error.code !== 'method_not_supported')) throw error;
    runtimeIncluded = false;
  }
  rows.sort(newestFirst);
  const remaining = after ? rows.filter((m) => newestFirst(m, after) > 0) : rows;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = remaining.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(deps.summary),
    archived,
    nextCursor: remaining.length > limit && last ? encodeCursor(last) : null,
    runtimeIncluded,
  };
}

async function runtimeThreads(runtime: RuntimeSupervisor, archived: boolean): Promise<Thread[]> {
  const threads: Thread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_RUNTIME_PAGES; page++) {
    const params: ThreadListParams = { limit: RUNTIME_PAGE, archived, sortKey: 'created_at', ...(cursor ? { cursor } : {}) };
    const response: ThreadListResponse = await runtime.request<ThreadListResponse>('thread/list', params);
    threads.push(...response.data);
    cursor = response.nextCursor;
    if (!cursor) break;
  }
  return threads;
}

type Key = Pick<SessionMeta, 'createdAt' | 'sessionId'>;

/** Newer first; equal times by id, so the order is total and a cursor is unambiguous. */
function newestFirst(a: Key, b: Key): number {
  return b.createdAt - a.createdAt || (a.sessionId < b.sessionId ? 1 : a.sessionId > b.sessionId ? -1 : 0);
}

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify({ c: key.createdAt, id: key.sessionId })).toString('base64url');
}

function decodeCursor(cursor: string): Key {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; id?: unknown };
    if (typeof parsed.c === 'number' && typeof parsed.id === 'string') return { createdAt: parsed.c, sessionId: parsed.id };
  } catch {
    // fall through: not one of ours
  }
  throw new BridgeError('invalid_request', 'invalid query.cursor: not a cursor from a previous listing', {
    issues: [{ path: ['query', 'cursor'], message: 'not a cursor from a previous listing' }],
  });
}
