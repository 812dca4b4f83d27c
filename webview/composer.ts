import { h, icon } from './dom';

export interface ComposerActions {
  /** Resolves when the host accepted the message; rejects with a reason to show. */
  send(text: string): Promise<unknown>;
  /** While a turn runs: add the text to it (the runtime's turn/steer). */
  steer(text: string): Promise<unknown>;
  /** While a turn runs: send the text as the next message once the turn ends. */
  queue(text: string): void;
  interrupt(): void;
  saveDraft(text: string): void;
  /** Alt+Up: into the transcript, at the newest message. */
  focusTranscript(): void;
  /** A suggested next message (the bridge's suggest-request), or null with nothing to suggest. */
  suggest(): Promise<string | null>;
}

const MAX_ROWS_SHARE = 0.4; // the textarea grows up to 40% of the view, then scrolls

/**
 * The message box: Enter sends, Shift+Enter adds a line (IME composition is left alone),
 * Escape or the Stop button interrupts a running turn. Typing is never blocked, not even
 * while a turn streams or a message is being sent; the draft survives the webview being
 * hidden (VS Code view state).
 */
export class Composer {
  readonly el: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly suggestButton: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private running = false;
  private sending = false;
  private queued = 0;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly actions: ComposerActions, draft = '') {
    this.input = h('textarea', {
      id: 'composer-input', class: 'composer-input', rows: 1, placeholder: 'Ask Codex…',
      'aria-describedby': 'composer-hint', spellcheck: 'true', autocomplete: 'off',
    });
    this.input.value = draft;
    this.send = h('button', { type: 'submit', class: 'icon-button send', 'aria-label': 'Send message (Enter)', title: 'Send (Enter)' }, icon('send'));
    this.suggestButton = h('button', { type: 'button', class: 'icon-button suggest', 'aria-label': 'Suggest a reply', title: 'Suggest a reply (editable before it is sent)' }, icon('sparkle'));
    this.stop = h('button', { type: 'button', class: 'icon-button stop', 'aria-label': 'Stop the running turn (Escape)', title: 'Stop (Escape)', hidden: true }, icon('debug-stop'));
    this.hint = h('span', { id: 'composer-hint', class: 'composer-hint' });
    this.el = h('form', { class: 'composer', 'aria-label': 'Message Codex' },
      h('label', { for: 'composer-input', class: 'visually-hidden' }, 'Message to Codex'),
      h('div', { class: 'composer-box' }, this.input, h('div', { class: 'composer-actions' }, this.suggestButton, this.stop, this.send)),
      this.hint);
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => this.onKeydown(e));
    this.input.addEventListener('input', () => this.onInput());
    this.stop.addEventListener('click', () => this.actions.interrupt());
    this.suggestButton.addEventListener('click', () => void this.suggest());
    this.updateHint();
    queueMicrotask(() => this.autosize());
  }

  focus(): void {
    this.input.focus();
  }

  /** How many follow-ups wait for the running turn to end (shown in the hint). */
  setQueued(count: number): void {
    this.queued = count;
    this.updateHint();
  }

  setRunning(running: boolean): void {
    if (running === this.running) return;
    const stopHadFocus = document.activeElement === this.stop;
    this.running = running;
    this.stop.hidden = !running;
    this.send.hidden = running;
    this.updateHint();
    // The Stop button disappears under the user's focus when the turn ends: keep them in the form.
    if (stopHadFocus && !running) this.input.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.isComposing || event.keyCode === 229) return; // IME: Enter confirms a composition
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Enter' && event.altKey && this.running) {
      event.preventDefault();
      this.submit('queue');
    } else if (event.key === 'Escape' && this.running) {
      event.preventDefault();
      this.actions.interrupt();
    } else if (event.key === 'ArrowUp' && event.altKey) {
      event.preventDefault();
      this.actions.focusTranscript();
    }
  }

  private onInput(): void {
    this.autosize();
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.actions.saveDraft(this.input.value), 250);
  }

  /** Fills the (empty) box with a suggested reply to edit and send; never overwrites a draft. */
  private async suggest(): Promise<void> {
    if (this.suggestButton.disabled) return;
    this.suggestButton.disabled = true;
    this.hint.textContent = 'Drafting a suggestion…';
    try {
      const text = await this.actions.suggest();
      if (text && !this.input.value.trim()) {
        this.input.value = text;
        this.autosize();
        this.actions.saveDraft(text);
      }
      this.updateHint();
      if (!text) this.hint.textContent = 'Nothing to suggest yet: the session needs a message first, or the draft is still being written.';
      this.input.focus();
    } catch {
      this.updateHint();
    } finally {
      this.suggestButton.disabled = false;
    }
  }

  /** Enter: send, or steer the running turn; Alt+Enter while it runs: queue a follow-up. */
  private submit(mode: 'send' | 'queue' = 'send'): void {
    const text = this.input.value.trim();
    if (!text || this.sending) return;
    this.input.value = '';
    this.autosize();
    this.actions.saveDraft('');
    if (this.running && mode === 'queue') {
      this.actions.queue(text);
      return;
    }
    this.sending = true;
    this.updateHint();
    (this.running ? this.actions.steer(text) : this.actions.send(text)).catch(() => {
      // Give the text back unless the user has started a new one.
      if (!this.input.value.trim()) {
        this.input.value = text;
        this.autosize();
        this.actions.saveDraft(text);
      }
    }).finally(() => {
      this.sending = false;
      this.updateHint();
    });
  }

  private autosize(): void {
    const max = Math.max(60, Math.floor(window.innerHeight * MAX_ROWS_SHARE));
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(max, this.input.scrollHeight)}px`;
  }

  private updateHint(): void {
    const queued = this.queued ? ` · ${this.queued} follow-up${this.queued === 1 ? '' : 's'} queued` : '';
    this.hint.textContent = (this.running ? 'Enter steers the turn · Alt+Enter queues a follow-up · Escape stops'
      : this.sending ? 'Sending…'
        : 'Enter to send · Shift+Enter for a new line') + queued;
  }
}
