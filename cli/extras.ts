import type { OptionDef } from './args';

/**
 * Commands without a route of their own (codex-manager's extras and ours), and the
 * options some derived commands add (waiting, streaming). Help and completion read
 * these together with the manifest, so every command appears in both.
 */

export interface ExtraCommand {
  command: string;
  summary: string;
  description?: string;
  options: OptionDef[];
  /** Positional arguments accepted (codex-manager's `profile use NAME`). */
  positional?: string;
  examples?: string[];
}

const PROFILE_NAME = { name: 'name', value: 'name', help: 'Profile name (also accepted as the first argument)' } satisfies OptionDef;

export const EXTRA_COMMANDS: ExtraCommand[] = [
  {
    command: 'profile list',
    summary: 'List CLI profiles (tokens are masked)',
    options: [],
  },
  {
    command: 'profile use',
    summary: 'Make a profile the current one',
    positional: 'NAME',
    options: [PROFILE_NAME],
    examples: ['codex-manager profile use staging'],
  },
  {
    command: 'profile set',
    summary: 'Create or update a profile: where its bridge is',
    positional: 'NAME',
    options: [
      PROFILE_NAME,
      { name: 'base-url', value: 'url', help: 'Bridge URL (http://HOST:PORT)' },
      { name: 'api-prefix', value: 'path', help: 'API prefix (default /api)' },
      { name: 'timeout-ms', value: 'n', help: 'Request timeout in milliseconds' },
      { name: 'header', value: 'key:value', repeat: true, help: 'A header sent with every request (repeatable)' },
    ],
    examples: ['codex-manager profile set remote --base-url http://10.0.0.5:8080'],
  },
  {
    command: 'profile auth-set',
    summary: "Set a profile's credentials (stored 0600)",
    positional: 'NAME',
    options: [
      PROFILE_NAME,
      { name: 'bearer', value: 'token', fileVariant: true, help: 'Bearer token; --bearer-file PATH reads it from a file (- for stdin)' },
      { name: 'rbac-token', value: 'token', help: 'RBAC token header' },
      { name: 'role', value: 'role', help: 'RBAC role header' },
      { name: 'actor', value: 'id', help: 'RBAC actor header' },
    ],
    examples: ['codex-manager profile auth-set remote --bearer-file ~/.config/bridge-token'],
  },
  {
    command: 'profile delete',
    summary: 'Delete a profile',
    positional: 'NAME',
    options: [PROFILE_NAME],
  },
  {
    command: 'bridges list',
    summary: 'Running bridges found by discovery (the first one is used by default)',
    options: [],
  },
  {
    command: 'sessions inspect',
    summary: 'A session at a glance: latest turn and the tail of its transcript, filtered',
    options: [
      { name: 'session-id', value: 'id', help: 'Session id (required)' },
      { name: 'types', value: 'csv', help: 'Only these transcript entry types (e.g. agentMessage,commandExecution)' },
      { name: 'statuses', value: 'csv', help: 'Only these statuses (streaming, complete, canceled, error)' },
      { name: 'roles', value: 'csv', help: 'Only these roles (user, assistant, system)' },
      { name: 'contains', value: 'text', help: 'Only entries whose content contains this text (case-insensitive)' },
      { name: 'transcript-tail', value: 'n', help: 'How many entries to show, from the end (default 12)' },
      { name: 'content-chars', value: 'n', help: 'Cut content previews to this length (default 220)' },
    ],
    examples: ['codex-manager sessions inspect --session-id S --roles assistant --transcript-tail 3'],
  },
  {
    command: 'orchestrator jobs wait',
    summary: 'Wait for a queue job to finish (progress on a terminal)',
    options: [
      { name: 'job-id', value: 'id', help: 'Job id (required)' },
      { name: 'timeout-ms', value: 'n', help: 'Give up after this long (default 60000)' },
      { name: 'poll-ms', value: 'n', help: 'Polling interval (default 500)' },
    ],
  },
  {
    command: 'approvals watch',
    summary: 'Show approvals as they arrive and decide them with a keypress',
    description: 'On a terminal each pending approval is shown with its command or diff; press a (accept), s (accept for the session), '
      + 'd (decline), c (cancel), n (skip) or q (quit). Without a terminal (or with --jsonl) approvals are printed as they come; '
      + 'with --decision every approval is answered automatically.',
    options: [
      { name: 'session-id', value: 'id', repeat: true, help: 'Only this session (repeatable; default: all sessions)' },
      { name: 'decision', value: 'decision', enum: ['accept', 'decline', 'cancel'], help: 'Answer every approval with this decision, without asking' },
      { name: 'scope', value: 'scope', enum: ['turn', 'session'], help: 'Scope of automatic accept decisions (default turn)' },
      { name: 'once', help: 'Exit after the first approval is decided' },
      { name: 'duration-ms', value: 'n', help: 'Stop watching after this long' },
    ],
    examples: ['codex-manager approvals watch', 'codex-manager approvals watch --session-id S --decision decline --once'],
  },
  {
    command: 'api request',
    summary: 'Any API call by method and path (the raw fallback)',
    options: [
      { name: 'method', value: 'method', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], help: 'HTTP method (required)' },
      { name: 'path', value: 'path', help: 'Path, with or without the API prefix, e.g. /sessions (required)' },
      { name: 'query', value: 'key=value', repeat: true, help: 'Query parameter (repeatable)' },
      { name: 'body', value: 'json', help: 'Request body: JSON, @file, or - for stdin' },
      { name: 'header', value: 'key:value', repeat: true, help: 'Extra request header (repeatable)' },
      { name: 'allow-status', value: 'codes', help: 'Statuses that count as success besides 2xx, e.g. 404,409' },
    ],
    examples: ["codex-manager api request --method GET --path /sessions --query limit=5"],
  },
  {
    command: 'completion',
    summary: 'Print the shell completion script (bash, zsh or fish)',
    positional: 'SHELL',
    options: [{ name: 'shell', value: 'shell', enum: ['bash', 'zsh', 'fish'], help: 'Shell (also accepted as the first argument)' }],
    examples: [
      'source <(codex-manager completion bash)        # bash, e.g. in ~/.bashrc',
      'codex-manager completion zsh > "${fpath[1]}/_codex-manager"',
      'codex-manager completion fish > ~/.config/fish/completions/codex-manager.fish',
    ],
  },
  {
    command: 'serve',
    summary: 'Run the bridge headless (see: codex-manager serve --help)',
    options: [],
  },
];

/** Options that derived commands add to their operation's flags. */
export const EXTRA_OPTIONS: Record<string, OptionDef[]> = {
  'sessions send': [
    { name: 'wait', help: 'Stream the answer as it arrives and end with the turn status (exit 1 unless completed); Ctrl-C interrupts the turn' },
    { name: 'wait-timeout-ms', value: 'n', help: 'With --wait: give up waiting after this long (the turn keeps running)' },
  ],
  'stream events': [
    { name: 'thread-id', value: 'id', repeat: true, help: 'Only events of this thread (and those sent to everyone); repeatable' },
    { name: 'thread-ids', value: 'csv', help: 'Several threads (comma-separated); --thread-id is repeatable too' },
    { name: 'subscribe', value: 'id', repeat: true, help: 'Send a subscribe frame for this thread after connecting (codex-manager)' },
    { name: 'since', value: 'seq', help: 'Replay the events after this sequence number first' },
    { name: 'families', value: 'csv', help: 'Only these frame families: notification, app_server, alias, bridge (default: all with --jsonl/--json; notification,bridge for people)' },
    { name: 'compact', help: 'Compact frames (no epoch; raw notifications without threadId)' },
    { name: 'types', value: 'csv', help: 'Only events whose type starts with one of these (client-side)' },
    { name: 'duration-ms', value: 'n', help: 'Stop after this long' },
    { name: 'max-events', value: 'n', help: 'Stop after this many events' },
    { name: 'ping-interval-ms', value: 'n', help: 'Send a ping frame this often' },
    { name: 'reconnect', help: 'Reconnect and replay what was missed when the connection drops (default on; --no-reconnect)' },
  ],
};

/** One line per top-level group in the main help. */
export const GROUP_SUMMARIES: Record<string, string> = {
  sessions: 'Sessions: create, send (and wait), read, inspect, approvals, settings, lifecycle',
  approvals: 'Decide approvals, or watch them arrive',
  'tool-input': 'Answer user-input requests',
  'tool-calls': 'Answer dynamic tool calls',
  projects: 'Projects group sessions',
  stream: 'The live event stream (reconnects and replays)',
  system: 'Health, API info, capabilities, OpenAPI',
  runtime: 'The codex runtime: restart, one-off commands',
  models: 'Model catalog',
  apps: 'Apps and connectors',
  skills: 'Skills and their config',
  mcp: 'MCP servers',
  account: 'Account login and limits',
  config: 'Runtime config (config.toml)',
  feedback: 'Send feedback',
  orchestrator: 'Background jobs',
  agents: 'Agent extensions',
  profile: 'CLI profiles (where a bridge is, credentials)',
  bridges: 'Bridges found by discovery',
  api: 'Raw API calls',
  completion: 'Shell completion scripts',
  serve: 'Run the bridge headless',
};
