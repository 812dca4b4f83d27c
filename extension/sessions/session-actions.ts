import * as vscode from 'vscode';
import type { BridgeClient } from '../bridge/bridge-client';
import { BridgeCallError } from '../bridge/errors';
import { SESSION_COMMANDS } from '../ids';
import type { ActiveSession } from '../session/active-session';
import type { LiveStatus } from '../session/live-status';
import type { ProjectRow, SessionRow, SessionsData, SessionsNode, SessionsTree } from './sessions-tree';

export interface SessionActionDeps {
  bridge: BridgeClient;
  session: ActiveSession;
  live: LiveStatus;
  tree: SessionsTree;
  revealChat: () => Promise<void>;
}

/** Everything the Sessions view shows: both lists (active and archived) and the projects. */
export async function loadSessions(d: Pick<SessionActionDeps, 'bridge' | 'session' | 'live'>): Promise<SessionsData> {
  const list = (archived: boolean) => d.bridge.call<{ data: SessionRow[] }>('listSessions', { query: { archived, limit: 200 } });
  const [active, archived, projects] = await Promise.all([list(false), list(true), d.bridge.call<{ data: ProjectRow[] }>('listProjects')]);
  const sessions = [...active.data, ...archived.data.map((s) => ({ ...s, archived: true }))];
  const waiting = new Set(sessions.filter((s) => d.live.pendingFor(s.sessionId) > 0).map((s) => s.sessionId));
  return { sessions, projects: projects.data, waiting, activeSessionId: d.session.current?.sessionId };
}

/** Events after which the list may have changed (not the stream of deltas). */
export function affectsSessionList(e: { type: string; payload: unknown }): boolean {
  if (e.type !== 'notification') return e.type !== 'runtime_state';
  const method = (e.payload as { method?: unknown } | null)?.method;
  return typeof method === 'string' && (method.startsWith('thread/') || method === 'turn/started' || method === 'turn/completed');
}

type Node = SessionsNode | undefined;
const sessionOf = (node: unknown): SessionRow | undefined => ((node as Node)?.kind === 'session' ? (node as Extract<SessionsNode, { kind: 'session' }>).session : undefined);
const projectOf = (node: unknown): ProjectRow | undefined => ((node as Node)?.kind === 'project' ? (node as Extract<SessionsNode, { kind: 'project' }>).project ?? undefined : undefined);

/**
 * The Sessions view's actions (context menu, inline buttons, palette). Each returns what
 * it did, for tests; failures become a message. A node argument comes from the tree; from
 * the palette a quick pick asks which session.
 */
export function createSessionCommands(d: SessionActionDeps): Record<string, (...args: unknown[]) => unknown> {
  const call = <T>(operationId: string, input: Parameters<BridgeClient['call']>[1]) => d.bridge.call<T>(operationId, input);
  const done = <T>(value: T): T => {
    d.tree.refresh();
    return value;
  };
  const guard = (what: string, work: (...args: unknown[]) => Promise<unknown>) => async (...args: unknown[]) => {
    try {
      return await work(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(`Codex: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const pick = async (node: unknown, placeHolder: string): Promise<SessionRow | undefined> => {
    const given = sessionOf(node);
    if (given) return given;
    const data = await loadSessions(d);
    const chosen = await vscode.window.showQuickPick(
      data.sessions.map((s) => ({ label: s.title || 'Untitled session', description: s.archived ? 'archived' : s.sessionId === data.activeSessionId ? 'current' : '', session: s })),
      { placeHolder, matchOnDescription: true },
    );
    return chosen?.session;
  };
  const open = async (s: SessionRow) => {
    await d.session.set({ sessionId: s.sessionId, title: s.title });
    await d.revealChat();
    return done(s.sessionId);
  };

  return {
    [SESSION_COMMANDS.open]: guard('opening the session', async (node) => {
      const s = await pick(node, 'Switch to session');
      return s ? open(s) : undefined;
    }),
    [SESSION_COMMANDS.rename]: guard('renaming', async (node, title?: unknown) => {
      const s = await pick(node, 'Rename session');
      if (!s) return undefined;
      const name = typeof title === 'string' ? title : await vscode.window.showInputBox({ title: 'Rename session', value: s.title, validateInput: (v) => (v.trim() ? undefined : 'A title is needed') });
      if (!name?.trim()) return undefined;
      await call('renameSession', { params: { sessionId: s.sessionId }, body: { title: name.trim() } });
      await d.session.rename(s.sessionId, name.trim());
      return done(name.trim());
    }),
    [SESSION_COMMANDS.fork]: guard('forking', async (node) => {
      const s = await pick(node, 'Fork session');
      if (!s) return undefined;
      const forked = await call<{ sessionId: string; session: { title: string } }>('forkSession', { params: { sessionId: s.sessionId }, body: {} });
      return open({ ...s, sessionId: forked.sessionId, title: forked.session.title });
    }),
    [SESSION_COMMANDS.archive]: guard('archiving', async (node) => {
      const s = await pick(node, 'Archive session');
      if (!s) return undefined;
      await call('archiveSession', { params: { sessionId: s.sessionId } });
      return done(true);
    }),
    [SESSION_COMMANDS.unarchive]: guard('unarchiving', async (node) => {
      const s = await pick(node, 'Unarchive session');
      if (!s) return undefined;
      await call('unarchiveSession', { params: { sessionId: s.sessionId } });
      return done(true);
    }),
    [SESSION_COMMANDS.delete]: guard('deleting', async (node, confirmed?: unknown) => {
      const s = await pick(node, 'Delete session');
      if (!s) return undefined;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Delete "${s.title}" and its history? This cannot be undone.`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return false;
      }
      await call('deleteSession', { params: { sessionId: s.sessionId } });
      if (d.session.current?.sessionId === s.sessionId) await d.session.set(undefined);
      return done(true);
    }),
    [SESSION_COMMANDS.moveToProject]: guard('moving the session', async (node, projectId?: unknown) => {
      const s = await pick(node, 'Move session to project');
      if (!s) return undefined;
      let target: string | null | undefined = typeof projectId === 'string' || projectId === null ? projectId : undefined;
      if (target === undefined) {
        const { data } = await call<{ data: ProjectRow[] }>('listProjects', {});
        const chosen = await vscode.window.showQuickPick([{ label: '$(inbox) No project', id: null as string | null }, ...data.map((p) => ({ label: `$(folder) ${p.name}`, id: p.projectId as string | null }))], { placeHolder: `Move "${s.title}" to` });
        if (!chosen) return undefined;
        target = chosen.id;
      }
      await call('setSessionProject', { params: { sessionId: s.sessionId }, body: { projectId: target } });
      return done(target);
    }),
    [SESSION_COMMANDS.createProject]: guard('creating the project', async (name?: unknown) => {
      const text = typeof name === 'string' ? name : await vscode.window.showInputBox({ title: 'New project', prompt: 'Project name' });
      if (!text?.trim()) return undefined;
      const created = await call<{ project: ProjectRow }>('createProject', { body: { name: text.trim() } });
      return done(created.project.projectId);
    }),
    [SESSION_COMMANDS.renameProject]: guard('renaming the project', async (node, name?: unknown) => {
      const p = projectOf(node);
      if (!p) return undefined;
      const text = typeof name === 'string' ? name : await vscode.window.showInputBox({ title: 'Rename project', value: p.name });
      if (!text?.trim()) return undefined;
      await call('renameProject', { params: { projectId: p.projectId }, body: { name: text.trim() } });
      return done(text.trim());
    }),
    [SESSION_COMMANDS.deleteProject]: guard('deleting the project', async (node, confirmed?: unknown) => {
      const p = projectOf(node);
      if (!p) return undefined;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Delete the project "${p.name}"? Its sessions are kept.`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return false;
      }
      try {
        await call('deleteProject', { params: { projectId: p.projectId } });
      } catch (error) {
        if (error instanceof BridgeCallError && error.httpStatus === 409) {
          void vscode.window.showInformationMessage(`Codex: "${p.name}" still has sessions; move them to another project (or to none) first.`);
          return false;
        }
        throw error;
      }
      return done(true);
    }),
    [SESSION_COMMANDS.filter]: async (text?: unknown) => {
      const value = typeof text === 'string' ? text : await vscode.window.showInputBox({ title: 'Filter sessions', prompt: 'Part of a title (empty shows all)', value: d.tree.filter });
      if (value !== undefined) d.tree.setFilter(value);
      return d.tree.filter;
    },
    [SESSION_COMMANDS.clearFilter]: () => d.tree.setFilter(''),
    [SESSION_COMMANDS.refresh]: () => d.tree.refresh(),
  };
}
