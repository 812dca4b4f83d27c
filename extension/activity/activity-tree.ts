import * as vscode from 'vscode';
import { ActivityModel, type ActivityEvent, type ActivityItem, type ActivityStatus, type ActivityTurn } from './activity-model';
import { JobsModel, type BackgroundJob } from './jobs-model';

type Node = { kind: 'turn'; turn: ActivityTurn } | { kind: 'item'; item: ActivityItem; turn: ActivityTurn } | { kind: 'jobs' } | { kind: 'job'; job: BackgroundJob };

/** `viewItem` of a job that can still be canceled (package.json menus use it). */
export const ACTIVE_JOB_CONTEXT = 'codexJob.active';

const STATUS_ICON: Record<ActivityStatus, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('loading~spin'),
  awaitingApproval: new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('notificationsWarningIcon.foreground')),
  completed: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  declined: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  interrupted: new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('testing.iconSkipped')),
};
const STATUS_TEXT: Record<ActivityStatus, string> = {
  running: 'running', awaitingApproval: 'awaiting approval', completed: 'done',
  failed: 'failed', declined: 'declined', interrupted: 'interrupted',
};
const KIND_TEXT: Record<ActivityItem['kind'], string> = {
  command: 'command', fileChange: 'edit', mcpTool: 'MCP tool', dynamicTool: 'tool', webSearch: 'web search',
};

/**
 * The "Tool Activity" view: the current session's turns, newest first, each with its
 * tool items and a status icon. Refreshes are coalesced, since a turn can start and
 * complete several items within a few milliseconds.
 */
export class ActivityTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly model = new ActivityModel();
  private readonly jobs = new JobsModel();
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<Node> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private sessionTitle = '';

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.updateMessage();
  }

  /** Show another session (or none), from what readSession returned. */
  reset(sessionId: string | null, title: string, history: Parameters<ActivityModel['reset']>[1] = {}): void {
    this.sessionTitle = title;
    this.model.reset(sessionId, history);
    this.jobs.reset(sessionId);
    this.scheduleRefresh(0);
  }

  get sessionId(): string | null { return this.model.sessionId; }

  setTitle(title: string): void {
    this.sessionTitle = title;
    this.updateMessage();
  }

  apply(event: ActivityEvent): void {
    const turns = this.model.apply(event);
    const jobs = this.jobs.apply(event);
    if (turns || jobs) this.scheduleRefresh(50);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const turns: Node[] = [...this.model.list()].reverse().map((turn) => ({ kind: 'turn', turn }));
      return this.jobs.list().length ? [{ kind: 'jobs' }, ...turns] : turns;
    }
    if (node.kind === 'jobs') return this.jobs.list().map((job) => ({ kind: 'job', job }));
    if (node.kind === 'turn') return node.turn.items.map((item) => ({ kind: 'item', item, turn: node.turn }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'jobs') return this.jobsItem();
    if (node.kind === 'job') return jobTreeItem(node.job);
    return node.kind === 'turn' ? this.turnItem(node.turn) : itemTreeItem(node.item, node.turn);
  }

  private jobsItem(): vscode.TreeItem {
    const jobs = this.jobs.list();
    const active = jobs.filter((j) => j.state === 'queued' || j.state === 'running').length;
    const t = new vscode.TreeItem('Background jobs', vscode.TreeItemCollapsibleState.Expanded);
    t.id = 'jobs';
    t.iconPath = new vscode.ThemeIcon(active ? 'sync~spin' : 'server-process');
    t.description = active ? `${active} active` : `${jobs.length} finished`;
    t.accessibilityInformation = { label: `Background jobs: ${active} active, ${jobs.length - active} finished` };
    return t;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }

  private turnItem(turn: ActivityTurn): vscode.TreeItem {
    const latest = this.model.list().at(-1) === turn;
    const state = turn.items.length === 0 ? vscode.TreeItemCollapsibleState.None
      : latest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const t = new vscode.TreeItem(oneLine(turn.prompt, 60) || `Turn ${turn.index}`, state);
    // The id carries the collapsible state in it: VS Code keeps a node's expansion by id and
    // would otherwise never expand a turn that gained its first item after being shown.
    t.id = `turn:${turn.id}:${state === vscode.TreeItemCollapsibleState.None ? 'leaf' : 'branch'}`;
    t.iconPath = STATUS_ICON[turn.status];
    const tools = turn.items.length ? `${turn.items.length} ${turn.items.length === 1 ? 'tool' : 'tools'} · ` : '';
    const end = turn.durationMs !== undefined && turn.startedAt !== undefined ? turn.startedAt + turn.durationMs : turn.completedAt;
    t.description = `${tools}${timing(turn.status, turn.startedAt, end)}`;
    t.tooltip = new vscode.MarkdownString(`**Turn ${turn.index}** (${STATUS_TEXT[turn.status]})\n\n${escapeMd(oneLine(turn.prompt, 400))}`);
    t.accessibilityInformation = { label: `Turn ${turn.index}: ${oneLine(turn.prompt, 80)}, ${STATUS_TEXT[turn.status]}` };
    return t;
  }

  private scheduleRefresh(delayMs: number): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.updateMessage();
      this.changed.fire(undefined);
    }, delayMs);
  }

  private updateMessage(): void {
    if (!this.view) return;
    this.view.description = this.sessionTitle;
    this.view.message = !this.model.sessionId ? 'Start a session in the Chat view to see what Codex runs and changes.'
      : this.model.list().length === 0 ? 'No turns in this session yet.' : undefined;
  }
}

const JOB_ICON: Record<BackgroundJob['state'], vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: STATUS_ICON.running,
  completed: STATUS_ICON.completed,
  failed: STATUS_ICON.failed,
  canceled: STATUS_ICON.interrupted,
};

function jobTreeItem(job: BackgroundJob): vscode.TreeItem {
  const t = new vscode.TreeItem(job.jobType.replace(/_/g, ' '), vscode.TreeItemCollapsibleState.None);
  t.id = `job:${job.jobId}`;
  t.iconPath = JOB_ICON[job.state];
  t.description = [job.state, job.phase?.replace(/_/g, ' ')].filter(Boolean).join(' · ');
  t.tooltip = job.error ? `${job.jobType} (${job.state}): ${job.error}` : `${job.jobType} (${job.state}), job ${job.jobId}`;
  // Cancel (an inline action in package.json menus) while the job can still be stopped.
  t.contextValue = job.state === 'queued' || job.state === 'running' ? ACTIVE_JOB_CONTEXT : 'codexJob.done';
  t.accessibilityInformation = { label: `Background job ${job.jobType}, ${job.state}` };
  return t;
}

function itemTreeItem(item: ActivityItem, turn: ActivityTurn): vscode.TreeItem {
  const t = new vscode.TreeItem(oneLine(item.label, 80) || KIND_TEXT[item.kind], vscode.TreeItemCollapsibleState.None);
  t.id = `item:${turn.id}:${item.id}`;
  t.iconPath = STATUS_ICON[item.status];
  // The label already tells a command line from a file name; the description is for numbers.
  const parts: string[] = [];
  if (item.kind !== 'command' && item.kind !== 'fileChange') parts.push(KIND_TEXT[item.kind]);
  if (item.kind === 'fileChange' && (item.added || item.removed)) parts.push(`+${item.added ?? 0} −${item.removed ?? 0}`);
  if (item.exitCode !== undefined && item.exitCode !== 0) parts.push(`exit ${item.exitCode}`);
  parts.push(timing(item.status, item.startedAt, item.completedAt));
  t.description = parts.filter(Boolean).join(' · ');
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${KIND_TEXT[item.kind]}** (${STATUS_TEXT[item.status]})\n\n`);
  tip.appendCodeblock(item.kind === 'fileChange' ? (item.paths ?? []).join('\n') : item.label, item.kind === 'command' ? 'shellscript' : 'text');
  t.tooltip = tip;
  t.accessibilityInformation = { label: `${KIND_TEXT[item.kind]} ${oneLine(item.label, 80)}, ${STATUS_TEXT[item.status]}` };
  const file = item.paths?.[0];
  if (file) t.command = { command: 'vscode.open', title: 'Open File', arguments: [vscode.Uri.file(file)] };
  return t;
}

/** "running" while it runs, then its duration ("0.4 s", "1 m 05 s"), or the end status. */
function timing(status: ActivityStatus, startedAt?: number, completedAt?: number): string {
  if (status === 'running') return 'running…';
  if (status === 'awaitingApproval') return 'needs approval';
  const duration = startedAt !== undefined && completedAt !== undefined ? formatDuration(completedAt - startedAt) : '';
  if (status === 'completed') return duration;
  return [STATUS_TEXT[status], duration].filter(Boolean).join(' ');
}

export function formatDuration(ms: number): string {
  if (!(ms >= 0)) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
