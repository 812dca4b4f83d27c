import * as vscode from 'vscode';
import type { BridgeClient } from '../bridge/bridge-client';
import { ACTIVE_SESSION_KEY } from '../ids';
import { readSettings, sessionOptions } from '../settings';

export interface SessionRef { sessionId: string; title: string }

/**
 * The session the chat shows in this workspace. Kept in workspaceState so it survives a
 * window reload (users lose sessions on reload in other extensions; we do not).
 */
export class ActiveSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionRef | undefined>();
  /** Another session (or none) is now the active one. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento, private readonly bridge: BridgeClient) {}

  get current(): SessionRef | undefined {
    const stored = this.memento.get<SessionRef>(ACTIVE_SESSION_KEY);
    return stored && typeof stored.sessionId === 'string' ? stored : undefined;
  }

  async set(ref: SessionRef | undefined): Promise<void> {
    const before = this.current?.sessionId;
    await this.memento.update(ACTIVE_SESSION_KEY, ref);
    if (before !== ref?.sessionId) this.changed.fire(ref);
  }

  /** Keep the stored title in step with the bridge (it names a session after its first message). */
  async rename(sessionId: string, title: string): Promise<void> {
    if (this.current?.sessionId === sessionId && this.current.title !== title) await this.memento.update(ACTIVE_SESSION_KEY, { sessionId, title });
  }

  /** A new session in the workspace folder, with the sandbox and approval policy the settings ask for. */
  async create(): Promise<SessionRef> {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const body = { ...(cwd ? { cwd } : {}), ...sessionOptions(readSettings()) };
    const created = await this.bridge.call<{ session: { sessionId: string; title: string } }>('createSession', { body });
    const ref = { sessionId: created.session.sessionId, title: created.session.title };
    await this.set(ref);
    return ref;
  }

  /** The active session, created on first use. */
  async ensure(): Promise<SessionRef> {
    return this.current ?? this.create();
  }

  dispose(): void { this.changed.dispose(); }
}
