import { h, icon } from './dom';

export interface ComposerActions {
  /** Resolves when the host accepted the message; rejects with a reason to show. */
  send(text: string): Promise<unknown>;
  interrupt(): void;
  saveDraft(text: string): void;
  /** Alt+Up: into the transcript, at the newest message. */
  focusTranscript(): void;
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
  private readonly stop: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private running = false;
  private sending = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly actions: ComposerActions, draft = '') {
    this.input = h('textarea', {
      id: 'composer-input', class: 'composer-input', rows: 1, placeholder: 'Ask Codex…',
      'aria-describedby': 'composer-hint', spellcheck: 'true', autocomplete: 'off',
    });
    this.input.value = draft;
    this.send = h('button', { type: 'submit', class: 'icon-button send', 'aria-label': 'Send message (Enter)', title: 'Send (Enter)' }, icon('send'));
    this.stop = h('button', { type: 'button', class: 'icon-button stop', 'aria-label': 'Stop the running turn (Escape)', title: 'Stop (Escape)', hidden: true }, icon('debug-stop'));
    this.hint = h('span', { id: 'composer-hint', class: 'composer-hint' });
    this.el = h('form', { class: 'composer', 'aria-label': 'Message Codex' },
      h('label', { for: 'composer-input', class: 'visually-hidden' }, 'Message to Codex'),
      h('div', { class: 'composer-box' }, this.input, h('div', { class: 'composer-actions' }, this.stop, this.send)),
      this.hint);
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => this.onKeydown(e));
    this.input.addEventListener('input', () => this.onInput());
    this.stop.addEventListener('click', () => this.actions.interrupt());
    this.updateHint();
    queueMicrotask(() => this.autosize());
  }

  focus(): void {
    this.input.focus();
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

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || this.sending) return;
    if (this.running) {
      this.hint.textContent = 'Codex is still working. Press Escape to stop it, then send.';
      return;
    }
    this.sending = true;
    this.input.value = '';
    this.autosize();
    this.actions.saveDraft('');
    this.updateHint();
    this.actions.send(text).catch(() => {
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
    this.hint.textContent = this.running ? 'Escape to stop the turn'
      : this.sending ? 'Sending…'
        : 'Enter to send · Shift+Enter for a new line';
  }
}
