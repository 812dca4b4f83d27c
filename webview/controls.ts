import { ControlsViewSchema, type ControlKey, type ControlsView } from '../protocol/webview';
import { h } from './dom';

export interface ControlsActions {
  load(): Promise<unknown>;
  set(key: ControlKey, value: string | null): Promise<unknown>;
}

const RUNTIME_DEFAULT = '';

/**
 * The compact bar under the composer: model, reasoning effort, approval policy and
 * sandbox of the shown session. Each select explains its value on hover; a change is
 * applied by the host (from the next turn) and the bar shows what the host answers.
 */
export class ControlsBar {
  readonly el: HTMLElement;
  private readonly selects: Record<ControlKey, HTMLSelectElement>;
  private view: ControlsView | null = null;

  constructor(private readonly actions: ControlsActions, private readonly onError: (message: string) => void) {
    const select = (key: ControlKey, label: string) => {
      const el = h('select', { class: `control control-${key}`, 'aria-label': label, 'data-key': key, disabled: true });
      el.addEventListener('change', () => void this.change(key, el.value));
      return el;
    };
    this.selects = {
      model: select('model', 'Model'),
      effort: select('effort', 'Reasoning effort'),
      approvalPolicy: select('approvalPolicy', 'Approval policy'),
      sandbox: select('sandbox', 'Sandbox'),
    };
    this.el = h('div', { class: 'controls-bar', role: 'group', 'aria-label': 'Session controls' },
      this.selects.model, this.selects.effort, this.selects.approvalPolicy, this.selects.sandbox);
  }

  /** Read the session's controls (a new session shown, or after a change elsewhere). */
  async refresh(): Promise<void> {
    try {
      this.show(await this.actions.load());
    } catch {
      // No session yet, or the runtime is down: the bar stays disabled until the next state.
      for (const s of Object.values(this.selects)) s.disabled = true;
    }
  }

  private async change(key: ControlKey, value: string): Promise<void> {
    for (const s of Object.values(this.selects)) s.disabled = true;
    try {
      this.show(await this.actions.set(key, value === RUNTIME_DEFAULT ? null : value));
    } catch (error) {
      this.onError(error instanceof Error ? error.message : String(error));
      if (this.view) this.render(this.view);
    }
  }

  private show(reply: unknown): void {
    const parsed = ControlsViewSchema.safeParse(reply);
    if (!parsed.success) return;
    this.view = parsed.data;
    this.render(parsed.data);
  }

  private render(v: ControlsView): void {
    const model = v.models.find((m) => m.model === v.model);
    fill(this.selects.model, [[RUNTIME_DEFAULT, 'Default model', 'The runtime\'s default model'], ...v.models.map((m) => [m.model, m.displayName, m.model] as const)], v.model ?? RUNTIME_DEFAULT);
    const efforts = model?.efforts ?? v.models[0]?.efforts ?? [];
    fill(this.selects.effort, [[RUNTIME_DEFAULT, 'Default effort', 'The model\'s default reasoning effort'], ...efforts.map((e) => [e, e, `Reasoning effort: ${e}`] as const)], v.effort ?? RUNTIME_DEFAULT);
    fill(this.selects.approvalPolicy, Object.entries(v.approvalPolicies).map(([k, text]) => [k, k, text] as const), v.approvalPolicy);
    fill(this.selects.sandbox, Object.entries(v.sandboxes).map(([k, text]) => [k, k, text] as const), v.sandbox);
    this.selects.approvalPolicy.title = v.approvalPolicies[v.approvalPolicy] ?? '';
    this.selects.sandbox.title = v.sandboxes[v.sandbox] ?? '';
    this.selects.model.title = `Model: ${model?.displayName ?? 'the runtime default'} (from the next turn)`;
    this.selects.effort.title = `Reasoning effort: ${v.effort ?? 'the model default'}`;
    for (const s of Object.values(this.selects)) s.disabled = false;
  }
}

function fill(select: HTMLSelectElement, options: readonly (readonly [string, string, string])[], value: string): void {
  select.replaceChildren(...options.map(([v, label, title]) => h('option', { value: v, title }, label)));
  if (!options.some(([v]) => v === value)) select.append(h('option', { value }, value));
  select.value = value;
}
