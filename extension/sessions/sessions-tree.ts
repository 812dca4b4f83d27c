import * as vscode from 'vscode';

/** A session as listSessions returns it (the fields the tree uses). */
export interface SessionRow {
  sessionId: string;
  title: string;
  updatedAt: number;
  projectId: string | null;
  activeTurnId?: string | null;
  archived?: boolean;
}

export interface ProjectRow { projectId: string; name: string }

/** What the tree shows, read from the bridge by the core. */
export interface SessionsData {
  sessions: SessionRow[];
  projects: ProjectRow[];
  /** Session ids with an approval waiting. */
  waiting: ReadonlySet<string>;
  activeSessionId: string | undefined;
}

export type SessionsNode =
  | { kind: 'project'; project: ProjectRow | null; sessions: SessionRow[] }
  | { kind: 'session'; session: SessionRow; data: SessionsData };

/**
 * The Sessions view: sessions grouped by project, newest first, with their state as an
 * icon. Plain data in, tree items out: this module loads with activation, so it imports
 * nothing but vscode; the core hands it a `load` function once the bridge is up.
 */
export class SessionsTree implements vscode.TreeDataProvider<SessionsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private load: (() => Promise<SessionsData>) | undefined;
  private data: SessionsData | undefined;
  private filterText = '';
  private view: vscode.TreeView<SessionsNode> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  attach(view: vscode.TreeView<SessionsNode>): void { this.view = view; }

  /** The core is loaded: from now on the tree reads the bridge. */
  setSource(load: () => Promise<SessionsData>): void {
    this.load = load;
    this.refresh();
  }

  get filter(): string { return this.filterText; }

  setFilter(text: string): void {
    this.filterText = text.trim();
    if (this.view) this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    void vscode.commands.executeCommand('setContext', 'codexManager.sessionsFiltered', Boolean(this.filterText));
    this.changed.fire(undefined);
  }

  /** Re-read soon; bursts of events make one read. */
  refreshSoon(delayMs = 250): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, delayMs);
  }

  refresh(): void {
    this.data = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const item = new vscode.TreeItem(node.project?.name ?? 'No project', vscode.TreeItemCollapsibleState.Expanded);
      item.id = `project:${node.project?.projectId ?? ''}`;
      item.iconPath = new vscode.ThemeIcon(node.project ? 'folder' : 'inbox');
      item.description = String(node.sessions.length);
      item.contextValue = node.project ? 'codexProject' : 'codexNoProject';
      return item;
    }
    const { session, data } = node;
    const status = sessionStatus(session, data);
    const item = new vscode.TreeItem(session.title || 'Untitled session', vscode.TreeItemCollapsibleState.None);
    item.id = `session:${session.sessionId}`;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[status], STATUS_COLOR[status] ? new vscode.ThemeColor(STATUS_COLOR[status]) : undefined);
    item.description = `${session.sessionId === data.activeSessionId ? '● ' : ''}${age(session.updatedAt)}`;
    item.tooltip = `${session.title}\n${STATUS_WORD[status]} · updated ${new Date(toMs(session.updatedAt)).toLocaleString()}\n${session.sessionId}`;
    item.contextValue = session.archived ? 'codexSession.archived' : 'codexSession';
    item.command = { command: 'codexManager.sessions.open', title: 'Open', arguments: [node] };
    return item;
  }

  async getChildren(node?: SessionsNode): Promise<SessionsNode[]> {
    if (node) return node.kind === 'project' ? node.sessions.map((session) => ({ kind: 'session' as const, session, data: this.data! })) : [];
    if (!this.load) return [];
    this.data ??= await this.load().catch(() => undefined);
    if (!this.data) return [];
    return groupByProject(this.data, this.filterText);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

type Status = 'running' | 'waiting' | 'archived' | 'idle';
const STATUS_ICON: Record<Status, string> = { running: 'sync~spin', waiting: 'shield', archived: 'archive', idle: 'comment-discussion' };
const STATUS_COLOR: Partial<Record<Status, string>> = { waiting: 'charts.yellow', running: 'charts.blue' };
const STATUS_WORD: Record<Status, string> = { running: 'running', waiting: 'waiting for approval', archived: 'archived', idle: 'idle' };

function sessionStatus(s: SessionRow, data: SessionsData): Status {
  if (data.waiting.has(s.sessionId)) return 'waiting';
  if (s.activeTurnId) return 'running';
  return s.archived ? 'archived' : 'idle';
}

/** Projects by name, then sessions without a project; empty groups only for projects (so they can be used). */
export function groupByProject(data: SessionsData, filter = ''): SessionsNode[] {
  const needle = filter.toLowerCase();
  const shown = data.sessions
    .filter((s) => !needle || s.title.toLowerCase().includes(needle) || s.sessionId.includes(needle))
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const known = new Set(data.projects.map((p) => p.projectId));
  const groups: SessionsNode[] = [...data.projects]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((project) => ({ kind: 'project' as const, project, sessions: shown.filter((s) => s.projectId === project.projectId) }))
    .filter((g) => !needle || g.sessions.length > 0);
  const loose = shown.filter((s) => !s.projectId || !known.has(s.projectId));
  if (loose.length || groups.length === 0) groups.push({ kind: 'project', project: null, sessions: loose });
  return groups;
}

/** Runtime times are in seconds, the bridge's in milliseconds. */
const toMs = (t: number) => (t < 1e12 ? t * 1000 : t);

export function age(updatedAt: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - toMs(updatedAt)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
