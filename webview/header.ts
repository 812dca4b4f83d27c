import { revealHidden } from '../protocol/untrusted-text';
import { h, iconButton } from './dom';
import { setUntrustedText } from './untrusted';

const RUNTIME_LABEL: Record<string, string> = {
  starting: 'Starting runtime…', restarting: 'Restarting runtime…', backoff: 'Runtime restarting soon…',
  stopped: 'Runtime stopped', failed: 'Runtime failed', crashed: 'Runtime crashed', circuit_open: 'Runtime unavailable',
  unknown: 'Connecting…',
};

/** Session title, the runtime's state when it is not simply ready, and New Session. */
export class Header {
  readonly el: HTMLElement;
  private readonly title = h('h1', { class: 'title' }, 'Codex');
  /** The title is the model's (the runtime names a thread after its first message): isolated. */
  private readonly titleText = h('bdi', { class: 'untrusted', dir: 'auto' }, 'Codex');
  private readonly runtime = h('span', { class: 'runtime-state', hidden: true });

  constructor(onNewSession: () => void) {
    const button = iconButton('add', 'New session');
    button.addEventListener('click', onNewSession);
    this.title.replaceChildren(this.titleText);
    this.el = h('header', { class: 'header' }, this.title, this.runtime, h('div', { class: 'header-actions' }, button));
  }

  update(session: { title: string } | null, runtimeState: string): void {
    const title = session?.title.trim() || (session ? 'New session' : 'Codex');
    setUntrustedText(this.titleText, title);
    this.title.title = revealHidden(title);
    const ready = runtimeState === 'ready' || runtimeState === 'running';
    this.runtime.hidden = ready;
    this.runtime.textContent = RUNTIME_LABEL[runtimeState] ?? `Runtime: ${revealHidden(runtimeState)}`;
    this.runtime.classList.toggle('bad', /fail|crash|stop|circuit/.test(runtimeState));
  }
}
