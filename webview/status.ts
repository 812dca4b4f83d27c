import { h, icon, iconButton } from './dom';
import { untrustedText } from './untrusted';

/**
 * The quiet line above the composer: what is going on (a turn working, the runtime
 * retrying) and the last error, dismissible. Errors never pop over the conversation.
 */
export class StatusView {
  readonly el: HTMLElement;
  private readonly activity = h('div', { class: 'activity', hidden: true });
  private readonly error = h('div', { class: 'error-banner', hidden: true });

  constructor() {
    this.el = h('div', { class: 'status-area' }, this.error, this.activity);
  }

  setActivity(working: boolean, retrying: string | null): void {
    this.activity.hidden = !working && !retrying;
    this.activity.replaceChildren(
      icon(retrying ? 'sync' : 'loading', 'codicon-modifier-spin'),
      retrying ? h('span', {}, 'Reconnecting: ', untrustedText(retrying)) : h('span', {}, 'Codex is working…'));
  }

  showError(message: string): void {
    const close = iconButton('close', 'Dismiss error');
    close.addEventListener('click', () => this.clearError());
    this.error.replaceChildren(icon('error'), untrustedText(message, 'auto', 'error-text'), close);
    this.error.hidden = false;
  }

  clearError(): void {
    this.error.hidden = true;
    this.error.replaceChildren();
  }
}

/**
 * The aria-live region. Streaming text is never read out token by token; the region says
 * when a turn starts and ends and when an approval arrives or is decided.
 */
export class Announcer {
  readonly el = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  say(text: string): void {
    // Cleared first, so the same sentence twice in a row is announced twice.
    this.el.textContent = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.el.textContent = text; }, 30);
  }
}
