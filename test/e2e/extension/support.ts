import * as vscode from 'vscode';
import type { CodexManagerApi } from '../../../extension/shell';

export const EXTENSION_ID = 'codex-manager.codex-manager';

export type BridgeEvent = { type: string; threadId: string | null; seq: number; payload: Record<string, unknown> };

export function extension(): vscode.Extension<CodexManagerApi> {
  const ext = vscode.extensions.getExtension<CodexManagerApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

/** Every bridge event from the moment of the call, with a way to wait for one. */
export class EventRecorder implements vscode.Disposable {
  readonly events: BridgeEvent[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(api: CodexManagerApi) {
    this.subscription = api.onEvent((e) => this.events.push(e as BridgeEvent));
  }

  async waitFor(what: string, predicate: (e: BridgeEvent) => boolean, timeoutMs = 30_000): Promise<BridgeEvent> {
    return poll(what, () => this.events.find(predicate), timeoutMs);
  }

  /** The runtime notification `method` of a session (`payload` is `{method, params}`). */
  notification(sessionId: string, method: string, extra: (params: Record<string, unknown>) => boolean = () => true): Promise<BridgeEvent> {
    return this.waitFor(`${method} in ${sessionId}`, (e) => e.type === 'notification' && e.threadId === sessionId
      && e.payload.method === method && extra((e.payload.params ?? {}) as Record<string, unknown>));
  }

  dispose(): void { this.subscription.dispose(); }
}

/** Poll until `probe` returns something (not undefined/false), or fail naming `what`. */
export async function poll<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}
