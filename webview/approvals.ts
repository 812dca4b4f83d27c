import { revealHidden } from '../protocol/untrusted-text';
import { approvalWarnings, commandBox } from './approval-command';
import { h, icon, textButton, uid } from './dom';
import { fileEntry } from './items';
import type { PendingModel, Resolution } from './model';
import { describeResolution } from './store';
import { untrustedText } from './untrusted';

export interface ApprovalActions {
  decide(approvalId: string, decision: 'accept' | 'decline', scope?: 'session'): Promise<unknown>;
  openDiff(approvalId: string, path: string): void;
  openFile(path: string): void;
  /** A card that held focus went away: put focus somewhere sensible (the composer). */
  restoreFocus(): void;
}

interface Card {
  el: HTMLElement;
  buttons: HTMLButtonElement[];
  status: HTMLElement;
  resolved: boolean;
  /** A decision is on its way: buttons are aria-disabled (not `disabled`, which would drop focus to the page). */
  busy: boolean;
}

/** How long a decided card stays to say who decided, before it goes. */
const LINGER_MS = 2500;

/**
 * Pending approvals (and input / tool-call requests) as cards docked above the composer.
 * They never replace the composer and never take focus: a request arriving while the user
 * types only adds a card (and a polite announcement). Cards leave when the bridge says
 * the request was resolved, from any surface, after briefly showing the outcome.
 */
export class ApprovalsView {
  readonly el = h('section', { class: 'approvals', 'aria-label': 'Pending approvals', hidden: true });
  private readonly list = h('div', { class: 'approval-list' });
  private readonly cards = new Map<string, Card>();

  constructor(private readonly actions: ApprovalActions, private readonly lingerMs = LINGER_MS) {
    this.el.append(this.list);
    this.el.addEventListener('click', (e) => this.onClick(e));
  }

  sync(pending: ReadonlyMap<string, PendingModel>, resolved: readonly { resolution: Resolution }[] = []): void {
    for (const { resolution } of resolved) {
      const card = this.cards.get(resolution.id);
      if (card && !card.resolved) this.showResolved(resolution.id, card, resolution);
    }
    for (const [id, card] of this.cards) {
      if (!pending.has(id) && !card.resolved) this.remove(id);
    }
    for (const [id, model] of pending) {
      if (!this.cards.has(id)) this.add(model);
    }
    this.el.hidden = this.cards.size === 0;
  }

  /** Everything pending was replaced (a new state): drop cards without lingering. */
  reset(pending: ReadonlyMap<string, PendingModel>): void {
    for (const id of [...this.cards.keys()]) this.remove(id);
    this.sync(pending);
  }

  private add(model: PendingModel): void {
    const titleId = uid('approval');
    const isApproval = model.kind === 'approval';
    const kindLabel = isApproval ? 'Approval needed' : model.kind === 'input' ? 'Codex asks' : 'Tool call waiting';
    const kindIcon = isApproval ? 'shield' : model.kind === 'input' ? 'question' : 'tools';
    const el = h('div', { class: `approval-card approval-${model.kind}`, role: 'group', 'aria-labelledby': titleId, 'data-id': model.id });
    el.append(h('div', { class: 'approval-head' }, icon(kindIcon), h('span', { class: 'approval-kind' }, kindLabel)));
    el.append(h('p', { class: 'approval-summary', id: titleId }, untrustedText(summaryLine(summaryWithoutCommand(model)))));
    const warning = approvalWarnings(model.commandFull ?? model.command, model.changes.flatMap((c) => (c.movePath ? [c.path, c.movePath] : [c.path])), model.cwd);
    if (warning) el.append(warning);
    // The box shows the command itself (unwrapped from its shell); hover shows the whole invocation.
    const box = model.command ? commandBox(model.command, model.commandFull ? revealHidden(model.commandFull) : undefined) : null;
    if (box) el.append(box.el);
    const meta: Node[] = [];
    if (model.cwd) meta.push(document.createTextNode('in '), untrustedText(model.cwd, 'verbatim'));
    if (model.reason) meta.push(...(meta.length ? [document.createTextNode(' — ')] : []), untrustedText(model.reason));
    if (meta.length) el.append(h('p', { class: 'approval-meta' }, ...meta));
    if (model.changes.length) el.append(h('ul', { class: 'file-list' }, ...model.changes.map((c) => fileEntry(c, 'approval'))));
    if (model.questions.length > 1) el.append(h('ul', { class: 'approval-questions' }, ...model.questions.map((q) => h('li', {}, untrustedText(q)))));
    const status = h('span', { class: 'approval-status' });
    const buttons: HTMLButtonElement[] = [];
    if (isApproval) {
      buttons.push(
        textButton('Accept', { class: 'button primary', 'data-decision': 'accept' }, 'check'),
        textButton('Accept for session', { class: 'button secondary', 'data-decision': 'accept-session', title: 'Accept this and similar requests for the rest of the session' }),
        textButton('Decline', { class: 'button secondary', 'data-decision': 'decline' }, 'close'),
      );
      // Accepting waits until the whole command has been shown; declining never waits.
      if (box && !box.complete) {
        const accepts = buttons.slice(0, 2).map((b) => ({ b, title: b.title }));
        for (const { b } of accepts) {
          b.disabled = true;
          b.title = 'Show the whole command first';
        }
        box.onComplete(() => {
          for (const { b, title } of accepts) {
            b.disabled = false;
            b.title = title;
          }
        });
      }
    } else {
      status.textContent = model.kind === 'input' ? 'Answer it from another Codex Manager client (CLI or SDK).' : 'Waiting for a client to answer the tool call.';
    }
    el.append(h('div', { class: 'approval-actions' }, ...buttons, status));
    this.list.append(el);
    this.cards.set(model.id, { el, buttons, status, resolved: false, busy: false });
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element;
    const cardEl = target.closest<HTMLElement>('.approval-card');
    const id = cardEl?.dataset.id;
    const card = id ? this.cards.get(id) : undefined;
    if (!id || !card) return;
    const fileAction = target.closest<HTMLElement>('[data-action]');
    if (fileAction) {
      const path = fileAction.dataset.path ?? '';
      if (fileAction.dataset.action === 'open-diff') this.actions.openDiff(id, path);
      else if (fileAction.dataset.action === 'open-file') this.actions.openFile(path);
      return;
    }
    const button = target.closest<HTMLButtonElement>('button[data-decision]');
    if (!button || button.disabled || card.resolved || card.busy) return;
    const choice = button.dataset.decision;
    const decision = choice === 'decline' ? 'decline' : 'accept';
    void this.decide(id, card, decision, choice === 'accept-session' ? 'session' : undefined);
  }

  private async decide(id: string, card: Card, decision: 'accept' | 'decline', scope: 'session' | undefined): Promise<void> {
    this.setBusy(card, true);
    card.status.textContent = 'Sending…';
    card.el.classList.remove('error');
    try {
      await this.actions.decide(id, decision, scope);
      if (!card.resolved) card.status.textContent = 'Sent; waiting for the bridge…';
    } catch (error) {
      if (card.resolved) return;
      this.setBusy(card, false);
      card.el.classList.add('error');
      card.status.replaceChildren(untrustedText(error instanceof Error ? error.message : String(error)));
    }
  }

  private setBusy(card: Card, busy: boolean): void {
    card.busy = busy;
    for (const b of card.buttons) b.setAttribute('aria-disabled', String(busy));
  }

  private showResolved(id: string, card: Card, resolution: Resolution): void {
    card.resolved = true;
    const accepted = resolution.decision === 'accept';
    card.el.classList.add('resolved', accepted ? 'accepted' : 'declined');
    const outcome = h('p', { class: 'approval-outcome' }, icon(accepted ? 'check' : resolution.status === 'expired' ? 'history' : 'circle-slash'), h('span', {}, describeResolution(resolution)));
    const actions = card.el.querySelector('.approval-actions');
    const hadFocus = card.el.contains(document.activeElement);
    if (actions) actions.replaceWith(outcome);
    else card.el.append(outcome);
    if (hadFocus) this.actions.restoreFocus();
    setTimeout(() => {
      if (this.cards.get(id) === card) this.remove(id);
      this.el.hidden = this.cards.size === 0;
    }, this.lingerMs);
  }

  private remove(id: string): void {
    const card = this.cards.get(id);
    if (!card) return;
    const hadFocus = card.el.contains(document.activeElement);
    card.el.remove();
    this.cards.delete(id);
    if (hadFocus) this.actions.restoreFocus();
  }
}

/** The summary's first line, cut to a sentence's length: the full command is in its own box below. */
function summaryLine(summary: string): string {
  const lines = summary.split('\n');
  const first = lines[0] ?? '';
  const cut = first.length > 200 ? `${first.slice(0, 199)}…` : first;
  return lines.length > 1 || cut !== first ? `${cut.replace(/…$/, '')}…` : cut;
}

/**
 * The bridge's summary repeats the command ("Run command: /bin/bash -lc '…'"); the card
 * shows the command right below it, so the summary keeps only its words.
 */
function summaryWithoutCommand(model: PendingModel): string {
  const full = model.commandFull;
  if (!full || !model.summary.includes(full)) return model.summary;
  return model.summary.replace(full, '').replace(/[\s:]+$/, '') || 'Run this command?';
}
