// Scripted answers for the fake model, as data. Each request is answered from its
// own content only (never from a counter), so parallel threads, retries and
// replays behave the same:
//  - a request whose last input item is a tool output is a follow-up; the scenario
//    is read back from the call id we minted (`call_<scenario>_<responseId>_<i>`);
//  - otherwise the latest real user message is matched against each trigger.

/** What the fake model does in one response. */
export type Step =
  /** An assistant message streamed as one delta per chunk, optionally paced. */
  | { kind: 'text'; chunks: readonly string[]; delayMs?: number }
  /** A function call; `args` objects are JSON-encoded. The call id is minted by the server. */
  | { kind: 'functionCall'; name: string; args: string | Record<string, unknown> }
  /** Whole response is an HTTP error with an OpenAI-style JSON body (must be the only step). */
  | { kind: 'httpError'; status: number; code: string; message: string }
  /** A 200 stream that ends with `response.failed` instead of `response.completed`. */
  | { kind: 'streamFailed'; code: string; message: string };

export interface TurnContext {
  /** The latest user message text (trimmed). */
  userText: string;
  /** Result of the scenario's trigger on userText (just `[userText]` when nothing matched). */
  match: RegExpMatchArray;
  /** The server's label, used so demo answers say where they come from. */
  label: string;
}

export interface FollowUpContext extends TurnContext {
  callId: string;
  /** The tool output codex sent back, flattened to text. */
  output: string;
}

export interface Scenario {
  /** Lowercase letters, digits and '-': it is embedded in call ids. */
  name: string;
  /** Tested against the latest user message; the first matching scenario wins. */
  trigger: RegExp;
  steps: (ctx: TurnContext) => Step[];
  /** Answer to the request that carries our tool call's output; default: a short final message. */
  followUp?: (ctx: FollowUpContext) => Step[];
}

// ---- step helpers ---------------------------------------------------------

export const text = (chunks: readonly string[] | string, delayMs?: number): Step => ({
  kind: 'text',
  chunks: typeof chunks === 'string' ? [chunks] : chunks,
  ...(delayMs === undefined ? {} : { delayMs }),
});

export const functionCall = (name: string, args: string | Record<string, unknown>): Step => ({
  kind: 'functionCall',
  name,
  args,
});

/** exec_command as codex 0.169 offers it; `escalated` asks to leave the sandbox, which triggers an approval. */
export const exec = (cmd: string, escalated = true): Step =>
  functionCall('exec_command', {
    cmd,
    ...(escalated
      ? { sandbox_permissions: 'require_escalated', justification: 'The fake model wants to run this command.' }
      : {}),
  });

/** A one-hunk apply_patch heredoc; codex recognises it inside exec_command as a file change. */
export const applyPatchCmd = (file: string, oldLine: string, newLine: string): string =>
  `apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: ${file}\n@@\n-${oldLine}\n+${newLine}\n*** End Patch\nEOF`;

export const httpError = (status: number, code: string, message: string): Step => ({
  kind: 'httpError',
  status,
  code,
  message,
});

export const streamFailed = (code: string, message: string): Step => ({ kind: 'streamFailed', code, message });

/** Splits text into word-sized deltas that concatenate back to the text. */
export const words = (s: string): string[] => s.match(/\S+\s*|\s+/g) ?? [];

// ---- built-in scenarios ---------------------------------------------------

const SLOW_DELTAS = 200;
const SLOW_DELAY_MS = 50;

const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_api_key',
  429: 'rate_limit_exceeded',
};

const done = (what: string, output: string): Step[] => [text(words(`${what}\n\n${output}`))];

export const defaultScenario: Scenario = {
  name: 'hello',
  trigger: /^(hello|hi)\b/i,
  steps: ({ label }) => [text(words(`Hello from ${label}. This is a scripted offline answer, not a real model.`))],
};

/**
 * The orchestrator's suggest-request worker turn (its prompt starts with this marker):
 * answers with a suggestion built from the draft. A draft containing `slow` streams for a
 * few seconds (cancel, timeout and crash tests); one containing `fail` answers HTTP 400.
 */
export const SUGGEST_MARKER = '[codex-manager suggest-request]';
const SUGGEST_SLOW_CHUNKS = 100;

const suggestScenario: Scenario = {
  name: 'suggest',
  trigger: /^\[codex-manager suggest-request\]/,
  steps: ({ userText }) => {
    const draft = /^Draft: (.*)$/m.exec(userText)?.[1]?.trim();
    if (draft && /\bfail\b/i.test(draft)) return [httpError(400, 'invalid_request_error', 'Scripted refusal of the suggestion')];
    const suggestion = draft ? `${draft}, and add a test for it` : 'Add a test for the change you just made';
    if (draft && /\bslow\b/i.test(draft)) {
      // Leading blank deltas keep the turn busy; the worker trims them off the answer.
      return [text([...Array.from({ length: SUGGEST_SLOW_CHUNKS }, () => ' '), ...words(suggestion)], 50)];
    }
    return [text(words(suggestion))];
  },
};

export const builtinScenarios: readonly Scenario[] = [
  suggestScenario,
  {
    name: 'stream',
    trigger: /^stream (\d+) words?$/i,
    // Built in one pass: 20,000 deltas must be cheap (benchmarks use this).
    steps: ({ match }) => {
      const n = Number(match[1]);
      return [text(Array.from({ length: n }, (_, i) => (i + 1 < n ? `w${i + 1} ` : `w${i + 1}`)))];
    },
  },
  {
    name: 'command',
    trigger: /^run command:\s*([\s\S]+)$/i,
    steps: ({ match }) => [exec(match[1] ?? '')],
    followUp: ({ output }) => done('The command finished. Its output:', output),
  },
  {
    // No escalation: runs inside the sandbox without an approval (under on-request).
    name: 'sandboxed',
    trigger: /^run sandboxed:\s*([\s\S]+)$/i,
    steps: ({ match }) => [exec(match[1] ?? '', false)],
    followUp: ({ output }) => done('The sandboxed command finished. Its output:', output),
  },
  {
    name: 'patch',
    trigger: /^patch (\S+?):\s?(.+?) => (.*)$/i,
    steps: ({ match }) => [exec(applyPatchCmd(match[1] ?? '', match[2] ?? '', match[3] ?? ''), false)],
    followUp: ({ match, output }) => done(`Patch step for ${match[1]} finished:`, output),
  },
  {
    // A whole apply_patch body (several files: Update/Add/Delete/Move), for checkpoint tests.
    // Not escalated: auto-approved in a workspace-write sandbox, an approval in read-only.
    name: 'apply-patch',
    trigger: /^apply patch:\n([\s\S]+)$/i,
    steps: ({ match }) => [exec(`apply_patch <<'EOF'\n*** Begin Patch\n${(match[1] ?? '').replace(/\n+$/, '')}\n*** End Patch\nEOF`, false)],
    followUp: ({ output }) => done('The patch was applied:', output),
  },
  {
    name: 'ask',
    trigger: /^ask me\b\s*(.*)$/i,
    // request_user_input is only accepted in plan mode (see README).
    steps: ({ match }) => [
      functionCall('request_user_input', {
        questions: [
          {
            id: 'choice',
            header: 'Choice',
            question: match[1] || 'Which option do you prefer?',
            options: [
              { label: 'Alpha (Recommended)', description: 'The first option.' },
              { label: 'Beta', description: 'The second option.' },
            ],
          },
        ],
      }),
    ],
    followUp: ({ output }) => done('You answered:', output),
  },
  {
    name: 'tool',
    trigger: /^use tool (\S+)(?:\s+([\s\S]+))?$/i,
    steps: ({ match }) => [functionCall(match[1] ?? '', match[2]?.trim() || '{}')],
    followUp: ({ match, output }) => done(`The tool ${match[1]} returned:`, output),
  },
  {
    name: 'slow',
    trigger: /^slow\b/i,
    steps: () => [text(Array.from({ length: SLOW_DELTAS }, (_, i) => `s${i + 1} `), SLOW_DELAY_MS)],
  },
  {
    name: 'fail-stream',
    trigger: /^fail stream\b/i,
    steps: () => [text(['Starting, then failing. ']), streamFailed('server_error', 'Scripted failure from the fake model')],
  },
  {
    // `fail` -> HTTP 500; `fail 503`, `fail 429 insufficient_quota`, ... pick what codex sees (README).
    name: 'fail',
    trigger: /^fail(?:\s+(\d{3}))?(?:\s+([a-z_]+))?\s*$/i,
    steps: ({ match }) => {
      const status = Number(match[1] ?? 500);
      const code = match[2] ?? DEFAULT_ERROR_CODES[status] ?? 'server_error';
      return [httpError(status, code, `Scripted ${status} ${code} from the fake model`)];
    },
  },
  defaultScenario,
];

// ---- selection from the request body --------------------------------------

export type Selection = { scenario: Scenario; steps: Step[]; followUpOf?: string };

type InputItem = Record<string, unknown>;

const CALL_ID = /^call_([a-z0-9-]+)_/;

/** Codex adds its own user-role messages (AGENTS.md, environment context); they are not what the user typed. */
const isInjected = (s: string) => /^\s*(<[a-z_]+>|# AGENTS\.md instructions)/i.test(s);

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const p = part as { text?: unknown };
      return typeof p.text === 'string' ? p.text : '';
    })
    .join('');
}

/** The latest user-typed text in a Responses API request body. */
export function latestUserText(input: readonly InputItem[]): string {
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item?.role !== 'user') continue;
    const t = contentText(item.content);
    if (!isInjected(t)) return t.trim();
  }
  return '';
}

/** The tool output that ends the request, if any (function_call_output, custom_tool_call_output, ...). */
export function trailingToolOutput(input: readonly InputItem[]): { callId: string; output: string } | undefined {
  const last = input[input.length - 1];
  if (!last || typeof last.type !== 'string' || !last.type.endsWith('_output')) return undefined;
  if (typeof last.call_id !== 'string') return undefined;
  const out = last.output;
  const output = typeof out === 'string' ? out : Array.isArray(out) ? contentText(out) : JSON.stringify(out ?? '');
  return { callId: last.call_id, output };
}

/**
 * The text the triggers see: the whole message, or when no trigger matches it, its last
 * line. Clients may frame what the user typed (codex-manager's remote skills put a tool
 * catalog first and the request last), and the request still picks its scenario.
 */
function triggerText(userText: string, scenarios: readonly Scenario[]): string {
  if (scenarios.some((s) => s.trigger.test(userText))) return userText;
  const last = userText.slice(userText.lastIndexOf('\n') + 1).trim();
  return last !== userText && scenarios.some((s) => s.trigger.test(last)) ? last : userText;
}

export function selectScenario(
  body: unknown,
  scenarios: readonly Scenario[] = builtinScenarios,
  label = 'the fake model',
): Selection {
  const raw = (body as { input?: unknown } | null)?.input;
  const input: InputItem[] = Array.isArray(raw) ? (raw as InputItem[]) : [];
  const userText = triggerText(latestUserText(input), scenarios);
  const tool = trailingToolOutput(input);
  const matchOf = (s: Scenario) => s.trigger.exec(userText) ?? ([userText] as RegExpMatchArray);

  if (tool) {
    const name = CALL_ID.exec(tool.callId)?.[1];
    const scenario = scenarios.find((s) => s.name === name) ?? defaultScenario;
    const ctx = { userText, match: matchOf(scenario), label, ...tool };
    const steps = scenario.followUp ? scenario.followUp(ctx) : [text(words('Done.'))];
    return { scenario, steps, followUpOf: tool.callId };
  }
  const scenario = scenarios.find((s) => s.trigger.test(userText)) ?? defaultScenario;
  return { scenario, steps: scenario.steps({ userText, match: matchOf(scenario), label }) };
}
