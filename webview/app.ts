import { ApprovalsView } from './approvals';
import { ControlsBar } from './controls';
import { Composer } from './composer';
import { h, icon } from './dom';
import { FrameScheduler } from './frame';
import { Header } from './header';
import { Host, type HostMessage, type Method, type ParamsOf, type VsCodeApi } from './host';
import { MarkdownRenderer } from './markdown';
import type { ItemModel } from './model';
import { Announcer, StatusView } from './status';
import { ChatStore, type Changes } from './store';
import { TranscriptView } from './transcript-view';

interface ViewState {
  draft: string;
}

/**
 * Composes the chat: host messaging → store → views, and user actions → host requests.
 * Owns no rendering itself; each view repaints what the store says changed.
 */
export class App {
  private readonly host: Host;
  private readonly store: ChatStore;
  private readonly frames = new FrameScheduler();
  private readonly md = new MarkdownRenderer();
  private readonly header: Header;
  private readonly transcript: TranscriptView;
  private readonly approvals: ApprovalsView;
  private readonly status = new StatusView();
  private readonly announcer = new Announcer();
  private readonly composer: Composer;
  private readonly controls: ControlsBar;
  /** Messages queued while a turn ran; the first is sent when it ends. */
  private readonly followUps: string[] = [];
  private sameSession = false;

  constructor(api: VsCodeApi, root: HTMLElement) {
    this.host = new Host(api, (message) => this.onHostMessage(message));
    this.store = new ChatStore((changes) => this.onChanges(changes));
    const md = this.md;
    this.header = new Header(() => void this.request('newSession', {}));
    this.transcript = new TranscriptView(this.store.items, md, this.frames, {
      openFile: (path) => void this.request('openFile', { path }),
      openItemDiff: (item, path) => this.openItemDiff(item, path),
      checkpoint: (item, action) => void this.request('checkpoint', { turnId: item.turnId, action }),
      code: (action, code, button) => void this.codeAction(action, code, button),
      leave: () => this.composer.focus(),
    });
    this.approvals = new ApprovalsView({
      decide: (approvalId, decision, scope) => this.host.request('decideApproval', scope ? { approvalId, decision, scope } : { approvalId, decision }),
      openDiff: (approvalId, path) => void this.request('openDiff', { approvalId, path }),
      openFile: (path) => void this.request('openFile', { path }),
      restoreFocus: () => this.composer.focus(),
    });
    const draft = this.host.loadViewState<ViewState>().draft;
    this.composer = new Composer({
      send: (text) => this.request('sendMessage', { text }, true),
      steer: (text) => this.request('steer', { text }, true),
      queue: (text) => {
        this.followUps.push(text);
        this.composer.setQueued(this.followUps.length);
      },
      interrupt: () => void this.request('interrupt', {}),
      saveDraft: (text) => this.host.saveViewState({ draft: text }),
      focusTranscript: () => this.transcript.focusLatest(),
      suggest: async () => {
        const reply = await this.request('suggestReply', {}, true) as { suggestion?: unknown } | undefined;
        return typeof reply?.suggestion === 'string' && reply.suggestion.trim() ? reply.suggestion : null;
      },
    }, typeof draft === 'string' ? draft : '');

    this.controls = new ControlsBar({
      load: () => this.host.request('getControls', {}),
      set: (key, value) => this.host.request('setControl', { key, value }),
    }, (message) => this.status.showError(message));

    const main = h('main', { class: 'main', 'aria-label': 'Codex chat' },
      h('div', { class: 'transcript-wrap' }, this.transcript.el, this.transcript.jumpButton),
      this.approvals.el,
      this.status.el);
    root.replaceChildren(this.header.el, main, this.composer.el, this.controls.el, this.announcer.el);
    root.classList.add('codex-chat');
    this.header.update(null, this.store.runtimeState);
    this.status.setActivity(false, null);
  }

  start(): void {
    this.host.ready();
    this.composer.focus();
    // While the host assembles the state: warm up the markdown path (parser, sanitizer, JIT)
    // so the first paint of a long transcript does not pay for it.
    setTimeout(() => this.md.render('**warm** `up` [a](b)\n\n- x\n\n```ts\nconst x = 1;\n```\n\n| a |\n| - |\n| b |', false), 0);
  }

  private onHostMessage(message: HostMessage): void {
    switch (message.type) {
      case 'state': {
        this.sameSession = this.store.session !== null && this.store.session.sessionId === message.state.session?.sessionId;
        const t0 = performance.now();
        this.store.load(message.state);
        // A session in an editor tab is restored after a reload from this (the host's serializer reads it).
        if (message.state.session) this.host.saveViewState({ sessionId: message.state.session.sessionId, title: message.state.session.title });
        if (message.state.session && !this.sameSession) void this.controls.refresh();
        // For the bench and for anyone profiling: the store plus the first paint of the list.
        performance.clearMeasures('codex:state');
        performance.measure('codex:state', { start: t0, end: performance.now() });
        break;
      }
      case 'events':
        this.store.applyEvents(message.events);
        break;
      case 'runtime':
        this.store.setRuntimeState(message.state);
        break;
      case 'focusComposer':
        this.composer.focus();
        break;
    }
  }

  private onChanges(changes: Changes): void {
    const store = this.store;
    if (changes.reset || changes.pending) {
      // Before the rows paint: a command or file change waiting for approval says so.
      const awaiting = new Set<string>();
      for (const p of store.pending.values()) if (p.kind === 'approval' && p.itemId) awaiting.add(p.itemId);
      this.transcript.setAwaiting(awaiting);
    }
    if (changes.reset) {
      this.transcript.reset(this.sameSession);
      this.approvals.reset(store.pending);
    } else {
      if (changes.appendedFrom !== null) {
        this.transcript.appended(changes.appendedFrom);
        // The user's own message: they want to see it and what follows, wherever they were.
        if (store.items.slice(changes.appendedFrom).some((it) => it.kind === 'user')) this.transcript.scrollToBottom();
      }
      if (changes.changed.size) this.transcript.changed(changes.changed);
      if (changes.pending || changes.resolved.length) {
        // A card above the composer shrinks the list: keep following if we were at the bottom.
        const following = this.transcript.atBottom;
        this.approvals.sync(store.pending, changes.resolved);
        if (following) this.transcript.keepFollowing();
      }
    }
    if (changes.reset || changes.status) {
      const working = store.activeTurnId !== null;
      this.header.update(store.session, store.runtimeState);
      this.composer.setRunning(working);
      if (!working && this.followUps.length) this.sendFollowUp();
      this.transcript.setBusy(working);
      this.status.setActivity(working, store.retrying);
    }
    if (changes.announcements.length) this.announcer.say(changes.announcements.join('. '));
  }

  private sendFollowUp(): void {
    const text = this.followUps.shift()!;
    this.composer.setQueued(this.followUps.length);
    void this.request('sendMessage', { text });
  }

  /** A request whose failure is shown in the status line (and rethrown when the caller wants it). */
  private async request<M extends Method>(method: M, params: ParamsOf<M>, rethrow = false): Promise<unknown> {
    try {
      const result = await this.host.request(method, params);
      if (method === 'sendMessage' || method === 'newSession') this.status.clearError();
      return result;
    } catch (error) {
      this.status.showError(error instanceof Error ? error.message : String(error));
      this.announcer.say(`Error: ${error instanceof Error ? error.message : String(error)}`);
      if (rethrow) throw error;
      return undefined;
    }
  }

  private openItemDiff(item: ItemModel, path: string): void {
    // While the change still waits for approval, the approval's diff is the one to review.
    const approval = [...this.store.pending.values()].find((p) => p.kind === 'approval' && p.itemId === item.id);
    if (approval) {
      void this.request('openDiff', { approvalId: approval.id, path });
      return;
    }
    const diff = item.changes.find((c) => c.path === path)?.diff ?? '';
    void this.request('openItemDiff', { itemId: item.id, path, diff });
  }

  private async codeAction(action: 'copy' | 'insert', code: string, button: HTMLElement): Promise<void> {
    const text = code.replace(/\n$/, '');
    if (action === 'insert') {
      await this.request('insertCode', { code: text });
      return;
    }
    try {
      await this.host.request('copyText', { text });
    } catch {
      await navigator.clipboard?.writeText(text).catch(() => this.status.showError('Could not copy to the clipboard.'));
    }
    // Brief confirmation on the button itself; the live region says it for screen readers.
    const label = button.getAttribute('aria-label') ?? 'Copy code';
    button.replaceChildren(icon('check'));
    button.setAttribute('aria-label', 'Copied');
    this.announcer.say('Copied');
    setTimeout(() => {
      button.replaceChildren(icon('copy'));
      button.setAttribute('aria-label', label);
    }, 1500);
  }
}
