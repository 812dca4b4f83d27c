import * as vscode from 'vscode';
import type { ControlKey, ControlsView } from '../../protocol/webview';
import type { BridgeClient } from '../bridge/bridge-client';
import { describeError } from '../bridge/errors';
import { CONTROL_COMMANDS } from '../ids';
import type { ActiveSession } from './active-session';
import { APPROVAL_POLICIES, SANDBOXES, type ApprovalPolicy, type Sandbox } from './control-choices';

interface Controls { model: string | null; approvalPolicy: ApprovalPolicy; networkAccess: string; filesystemSandbox: Sandbox }
interface Model { model: string; displayName: string; description: string; isDefault: boolean; supportedReasoningEfforts: { reasoningEffort: string; description: string }[]; defaultReasoningEffort: string }

/** workspaceState key of a session's reasoning effort: it is a per-turn parameter, so the extension keeps it. */
const effortKey = (sessionId: string) => `codexManager.effort.${sessionId}`;

/**
 * Model, reasoning effort, approval policy and sandbox of the active session, from the
 * palette (an argument skips the picker: tests, keybindings). Model, policy and sandbox go
 * through applySessionControls (they apply from the next turn); the effort is sent with
 * each message.
 */
export class SessionControls {
  constructor(private readonly bridge: BridgeClient, private readonly session: ActiveSession, private readonly memento: vscode.Memento) {}

  /** The effort chosen for a session, if any (sendSessionMessage's `effort`). */
  effortFor(sessionId: string): string | undefined {
    return this.memento.get<string>(effortKey(sessionId));
  }

  commands(): Record<string, (...args: unknown[]) => unknown> {
    const guarded = (what: string, work: (value?: unknown) => Promise<unknown>) => async (value?: unknown) => {
      try {
        return await work(value);
      } catch (error) {
        void vscode.window.showErrorMessage(`Codex: ${what} failed: ${describeError(error)}`);
        return undefined;
      }
    };
    return {
      [CONTROL_COMMANDS.model]: guarded('changing the model', async (value) => {
        const models = await this.models();
        const chosen = typeof value === 'string' || value === null ? value : (await vscode.window.showQuickPick(
          [{ label: 'Runtime default', description: '', model: null as string | null }, ...models.map((m) => ({ label: m.displayName, description: m.isDefault ? `${m.model} (default)` : m.model, detail: m.description, model: m.model as string | null }))],
          { placeHolder: 'Model for the next turns of this session' },
        ))?.model;
        return chosen === undefined ? undefined : this.apply({ model: chosen });
      }),
      [CONTROL_COMMANDS.effort]: guarded('changing the reasoning effort', async (value) => {
        const ref = await this.session.ensure();
        let effort = typeof value === 'string' ? value : undefined;
        if (effort === undefined) {
          const controls = await this.read(ref.sessionId);
          const models = await this.models();
          const model = models.find((m) => m.model === controls.model) ?? models.find((m) => m.isDefault);
          const choices = model?.supportedReasoningEfforts ?? ['low', 'medium', 'high'].map((e) => ({ reasoningEffort: e, description: '' }));
          effort = (await vscode.window.showQuickPick(choices.map((c) => ({ label: c.reasoningEffort, description: c.reasoningEffort === model?.defaultReasoningEffort ? 'default' : '', detail: c.description })), { placeHolder: 'Reasoning effort for the next turns' }))?.label;
        }
        if (!effort) return undefined;
        await this.memento.update(effortKey(ref.sessionId), effort);
        return effort;
      }),
      [CONTROL_COMMANDS.approvalPolicy]: guarded('changing the approval policy', async (value) => {
        const chosen = typeof value === 'string' ? value : (await vscode.window.showQuickPick(
          Object.entries(APPROVAL_POLICIES).map(([label, detail]) => ({ label, detail })), { placeHolder: 'When Codex asks before acting' }))?.label;
        return chosen ? this.apply({ approvalPolicy: chosen as ApprovalPolicy }) : undefined;
      }),
      [CONTROL_COMMANDS.sandbox]: guarded('changing the sandbox', async (value) => {
        const chosen = typeof value === 'string' ? value : (await vscode.window.showQuickPick(
          Object.entries(SANDBOXES).map(([label, detail]) => ({ label, detail })), { placeHolder: 'What Codex may touch without asking' }))?.label;
        return chosen ? this.apply({ filesystemSandbox: chosen as Sandbox }) : undefined;
      }),
    };
  }

  /** The chat's controls bar: current values of the active session and the choices. */
  async view(): Promise<ControlsView> {
    const ref = await this.session.ensure();
    const [controls, models] = await Promise.all([this.read(ref.sessionId), this.models().catch(() => [] as Model[])]);
    return {
      model: controls.model,
      effort: this.effortFor(ref.sessionId) ?? null,
      approvalPolicy: controls.approvalPolicy,
      sandbox: controls.filesystemSandbox,
      models: models.map((m) => ({ model: m.model, displayName: m.displayName, efforts: m.supportedReasoningEfforts.map((e) => e.reasoningEffort), defaultEffort: m.defaultReasoningEffort ?? null })),
      approvalPolicies: { ...APPROVAL_POLICIES },
      sandboxes: { ...SANDBOXES },
    };
  }

  /** One control changed in the chat's bar. */
  async set(key: ControlKey, value: string | null): Promise<ControlsView> {
    if (key === 'effort') {
      const ref = await this.session.ensure();
      await this.memento.update(effortKey(ref.sessionId), value ?? undefined);
    } else if (key === 'model') {
      await this.apply({ model: value });
    } else if (key === 'approvalPolicy' && value && value in APPROVAL_POLICIES) {
      await this.apply({ approvalPolicy: value as ApprovalPolicy });
    } else if (key === 'sandbox' && value && value in SANDBOXES) {
      await this.apply({ filesystemSandbox: value as Sandbox });
    } else {
      throw new Error(`${String(value)} is not a valid ${key}`);
    }
    return this.view();
  }

  private async read(sessionId: string): Promise<Controls> {
    const reply = await this.bridge.call<{ controls: Controls }>('getSessionControls', { params: { sessionId } });
    return reply.controls;
  }

  private async models(): Promise<Model[]> {
    const reply = await this.bridge.call<{ data: Model[] }>('listModels', { query: {} });
    return reply.data;
  }

  /** Read the session's tuple, change one part, write it back (the operation takes the whole tuple). */
  private async apply(change: Partial<Controls>): Promise<Controls> {
    const ref = await this.session.ensure();
    const current = await this.read(ref.sessionId);
    const controls = { model: current.model, approvalPolicy: current.approvalPolicy, networkAccess: current.networkAccess, filesystemSandbox: current.filesystemSandbox, ...change };
    const reply = await this.bridge.call<{ applied: Controls }>('applySessionControls', { params: { sessionId: ref.sessionId }, body: { scope: 'session', controls, source: 'vscode' } });
    return reply.applied;
  }
}
