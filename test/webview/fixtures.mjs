// Host messages for the webview tests and the bench: states shaped like the bridge's
// (TranscriptEntry, pending-request views) and bridge events carrying runtime notifications.

export const SESSION = 'thr_0199demo';
export const TURN = 'turn_1';

let counter = 0;
const nextId = (prefix) => `${prefix}_${(++counter).toString(36)}`;

/** A TranscriptEntry as readSession returns it (server/domain/transcript.ts). */
export function entry(item, { turnId = TURN, status = 'complete' } = {}) {
  const roles = { userMessage: 'user', agentMessage: 'assistant', reasoning: 'assistant', plan: 'assistant' };
  const content = item.type === 'userMessage' ? item.content.map((c) => c.text).join('\n')
    : item.type === 'commandExecution' ? item.command
      : item.type === 'fileChange' ? item.changes.map((c) => c.path).join('\n')
        : item.text ?? (item.summary ?? []).join('\n') ?? '';
  return { messageId: item.id, turnId, role: roles[item.type] ?? 'system', type: item.type, content, details: null, status, item };
}

export const user = (text, id = nextId('u')) => ({ type: 'userMessage', id, clientId: null, content: [{ type: 'text', text, text_elements: [] }] });
export const agent = (text, id = nextId('a')) => ({ type: 'agentMessage', id, text, phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null });
export const reasoning = (summary, id = nextId('r')) => ({ type: 'reasoning', id, summary, content: [] });
export const command = (cmd, { output = '', exitCode = 0, status = 'completed', durationMs = 420, id = nextId('c') } = {}) => ({
  type: 'commandExecution', id, command: cmd, cwd: '/work/project', processId: null, source: 'agent', status, commandActions: [],
  aggregatedOutput: output, exitCode, durationMs, pluginId: null, scriptPath: null,
});
export const fileChange = (changes, { status = 'completed', id = nextId('f') } = {}) => ({ type: 'fileChange', id, changes, status });
export const change = (path, diff, kind = { type: 'update', move_path: null }) => ({ path, kind, diff });
export const tool = (name, args, { id = nextId('t'), status = 'completed' } = {}) => ({
  type: 'dynamicToolCall', id, namespace: null, tool: name, arguments: args, status, contentItems: [{ type: 'inputText', text: 'sunny, 21 C' }], success: true, durationMs: 35,
});

export function state({ transcript = [], approvals = [], lastSeq = 0, activeTurnId = null, title = 'Fix the flaky date test', runtimeState = 'ready', sessionId = SESSION } = {}) {
  return { type: 'state', state: { runtimeState, session: { sessionId, title }, transcript, approvals, activeTurnId, lastSeq } };
}

export const events = (...list) => ({ type: 'events', events: list });
export const notification = (seq, method, params, threadId = SESSION) => ({ type: 'notification', threadId, seq, payload: { method, params: { threadId, ...params } } });
export const bridgeEvent = (seq, type, payload, threadId = SESSION) => ({ type, threadId, seq, payload });

export function commandApproval(approvalId, cmd, { itemId = 'c_pending', turnId = TURN } = {}) {
  return {
    approvalId, method: 'item/commandExecution/requestApproval', threadId: SESSION, turnId, itemId, createdAt: Date.now(), status: 'pending',
    summary: `Run command: ${cmd}`, details: { threadId: SESSION, turnId, itemId, command: cmd, cwd: '/work/project', reason: 'The test suite needs to run' },
  };
}

export function fileApproval(approvalId, changes, { itemId = 'f_pending', turnId = TURN } = {}) {
  return {
    approvalId, method: 'item/fileChange/requestApproval', threadId: SESSION, turnId, itemId, createdAt: Date.now(), status: 'pending',
    summary: `Change ${changes.map((c) => c.path).join(', ')}`, details: { threadId: SESSION, turnId, itemId, changes },
  };
}

const DIFF = '@@ -1,4 +1,5 @@\n import { parse } from "./date";\n-const now = new Date();\n+const now = new Date("2024-01-01T00:00:00Z");\n+vi.useFakeTimers({ now });\n describe("parse", () => {\n';

/** A realistic conversation: every kind of row the chat renders. */
export function sampleTranscript() {
  return [
    entry(user('The date test fails on CI about once a day. Can you find out why and fix it?')),
    entry(reasoning(['**Looking at the test.** It builds `new Date()` at import time, so it depends on the wall clock.'])),
    entry(command('npx vitest run test/date.test.ts', { output: ' ✓ test/date.test.ts (12 tests) 41ms\n\n Test Files  1 passed (1)\n      Tests  12 passed (12)\n', durationMs: 1830 })),
    entry(fileChange([change('/work/project/test/date.test.ts', DIFF), change('/work/project/src/date.ts', '@@ -10,3 +10,3 @@\n-  return new Date(value);\n+  return new Date(Date.parse(value));\n')])),
    entry(command('npm run lint', { output: 'src/date.ts\n  3:10  error  \'tz\' is defined but never used  no-unused-vars\n', exitCode: 1, durationMs: 2410 })),
    entry(agent([
      'The test was **time-dependent**: it read the clock when the module loaded, so runs that crossed midnight UTC failed.',
      '',
      'I pinned the clock in `test/date.test.ts`:',
      '',
      '```ts',
      'const now = new Date("2024-01-01T00:00:00Z");',
      'vi.useFakeTimers({ now });',
      '```',
      '',
      '| run | before | after |',
      '| --- | --- | --- |',
      '| local | pass | pass |',
      '| CI, 00:00 UTC | **fail** | pass |',
      '',
      'See [the test](test/date.test.ts) or the [Vitest docs](https://vitest.dev/api/vi.html).',
    ].join('\n'))),
  ];
}

const WORDS = 'the runtime streams deltas while the bridge keeps approvals sessions and an event log so every surface sees the same state and a long transcript stays fast'.split(' ');

/** `n` transcript entries with a realistic mix (for the long-transcript test and the bench). */
export function longTranscript(n, seed = 1) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const words = (k) => Array.from({ length: k }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  const out = [];
  for (let i = 0; out.length < n; i++) {
    const turnId = `turn_${i}`;
    out.push(entry(user(`${i}: ${words(8 + Math.floor(rand() * 30))}`, `u${i}`), { turnId }));
    if (out.length >= n) break;
    if (rand() < 0.35) {
      out.push(entry(command(`npm test -- --grep case${i}`, { id: `c${i}`, output: `${words(20)}\n`.repeat(3), exitCode: rand() < 0.2 ? 1 : 0 }), { turnId }));
      if (out.length >= n) break;
    }
    if (rand() < 0.15) {
      out.push(entry(fileChange([change(`/work/project/src/module${i}.ts`, `@@ -1,2 +1,2 @@\n-old ${i}\n+new ${i}\n`)], { id: `f${i}` }), { turnId }));
      if (out.length >= n) break;
    }
    const paragraphs = 1 + Math.floor(rand() * 3);
    const body = Array.from({ length: paragraphs }, () => words(20 + Math.floor(rand() * 60))).join('\n\n');
    const code = rand() < 0.3 ? `\n\n\`\`\`ts\nexport function step${i}(x: number) {\n  return x * ${i};\n}\n\`\`\`` : '';
    out.push(entry(agent(`**Answer ${i}.** ${body}${code}`, `a${i}`), { turnId }));
  }
  return out.slice(0, n);
}
