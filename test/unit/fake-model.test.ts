import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModel, writeCodexHome } from '../fake-model/index';
import type { FakeModel } from '../fake-model/index';
import { selectScenario, words } from '../fake-model/scenarios';
import { parseSse, sseFrame } from '../fake-model/sse';

// Request bodies shaped like codex 0.169 sends them.
const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const envContext = user('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>');
const developer = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex' }] };
const body = (...input: object[]) => ({ model: 'mock-model', stream: true, input: [developer, envContext, ...input] });
const call = (callId: string, name = 'exec_command') => ({ type: 'function_call', call_id: callId, name, arguments: '{}' });
const output = (callId: string, out: unknown) => ({ type: 'function_call_output', call_id: callId, output: out });

const textOf = (steps: ReturnType<typeof selectScenario>['steps']) =>
  steps.map((s) => (s.kind === 'text' ? s.chunks.join('') : '')).join('');

describe('fake model scenario selection', () => {
  const pick = (text: string) => selectScenario(body(user(text)));

  it('matches each built-in trigger on the latest user message', () => {
    assert.equal(pick('hello').scenario.name, 'hello');
    assert.equal(pick('anything else').scenario.name, 'hello');
    assert.equal(pick('stream 3 words').scenario.name, 'stream');
    assert.equal(pick('run command: ls -la').scenario.name, 'command');
    assert.equal(pick('run sandboxed: ls').scenario.name, 'sandboxed');
    assert.equal(pick('patch a.txt: old => new').scenario.name, 'patch');
    assert.equal(pick('ask me Which?').scenario.name, 'ask');
    assert.equal(pick('use tool lookup {"q":1}').scenario.name, 'tool');
    assert.equal(pick('slow').scenario.name, 'slow');
    assert.equal(pick('fail').scenario.name, 'fail');
    assert.equal(pick('fail stream').scenario.name, 'fail-stream');
  });

  it('matches the last line when a client framed the request (codex-manager\'s remote skills)', () => {
    const framed = pick('Session remote skill catalog (Python-managed):\n- echo: Echo text.\n\nUser request:\nuse tool echo {"text":"hi"}');
    assert.equal(framed.scenario.name, 'tool');
    assert.deepEqual(framed.steps[0], { kind: 'functionCall', name: 'echo', args: '{"text":"hi"}' });
    assert.equal(pick('a question\nhello').scenario.name, 'hello');
  });

  it('ignores codex-injected user messages and looks at the newest real one', () => {
    const sel = selectScenario(body(user('hello'), { type: 'message', role: 'assistant', content: [] }, user('slow'), envContext));
    assert.equal(sel.scenario.name, 'slow');
  });

  it('builds the escalated exec_command for a command', () => {
    const [step] = pick('run command: echo hi > out.txt').steps;
    assert.deepEqual(step && step.kind === 'functionCall' && step.name, 'exec_command');
    const args = step?.kind === 'functionCall' ? step.args : {};
    assert.equal((args as Record<string, unknown>).cmd, 'echo hi > out.txt');
    assert.equal((args as Record<string, unknown>).sandbox_permissions, 'require_escalated');
  });

  it('does not escalate a sandboxed command', () => {
    assert.deepEqual(pick('run sandboxed: cat a.txt').steps[0], { kind: 'functionCall', name: 'exec_command', args: { cmd: 'cat a.txt' } });
  });

  it('builds an apply_patch heredoc for a patch', () => {
    const [step] = pick('patch src/a.txt: old line => new line').steps;
    assert.ok(step?.kind === 'functionCall');
    const cmd = (step.args as { cmd: string }).cmd;
    assert.equal(cmd, "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: src/a.txt\n@@\n-old line\n+new line\n*** End Patch\nEOF");
  });

  it('passes dynamic tool arguments through verbatim', () => {
    const [step] = pick('use tool lookup_weather {"city":"Paris"}').steps;
    assert.deepEqual(step, { kind: 'functionCall', name: 'lookup_weather', args: '{"city":"Paris"}' });
    const [bare] = pick('use tool ping').steps;
    assert.deepEqual(bare, { kind: 'functionCall', name: 'ping', args: '{}' });
  });

  it('maps fail statuses to HTTP errors', () => {
    assert.deepEqual(pick('fail').steps[0], { kind: 'httpError', status: 500, code: 'server_error', message: 'Scripted 500 server_error from the fake model' });
    assert.equal((pick('fail 429 insufficient_quota').steps[0] as { code: string }).code, 'insufficient_quota');
    assert.equal((pick('fail 400').steps[0] as { status: number }).status, 400);
  });

  it('answers a follow-up from the call id in the trailing tool output, statelessly', () => {
    const id = 'call_command_resp-x-1_0';
    const sel = selectScenario(body(user('run command: echo hi'), call(id), output(id, 'hi\n')));
    assert.equal(sel.scenario.name, 'command');
    assert.equal(sel.followUpOf, id);
    assert.match(textOf(sel.steps), /The command finished\. Its output:\n\nhi\n/);
  });

  it('reads tool outputs given as content items and quotes the original request', () => {
    const id = 'call_tool_resp-x-3_0';
    const sel = selectScenario(body(user('use tool lookup {}'), call(id, 'lookup'), output(id, [{ type: 'input_text', text: 'Sunny' }])));
    assert.equal(textOf(sel.steps), 'The tool lookup returned:\n\nSunny');
  });

  it('falls back to a short final message for a call id it did not mint', () => {
    const sel = selectScenario(body(user('x'), call('call_abc'), output('call_abc', 'ok')));
    assert.equal(textOf(sel.steps), 'Done.');
  });

  it('streams N words as N deltas', () => {
    const [step] = pick('stream 20000 words').steps;
    assert.ok(step?.kind === 'text');
    assert.equal(step.chunks.length, 20000);
    assert.equal(step.chunks.join('').split(' ').length, 20000);
  });

  it('splits text into deltas that concatenate back', () => {
    assert.deepEqual(words('a bc  d'), ['a ', 'bc  ', 'd']);
  });
});

describe('fake model SSE framing', () => {
  it('frames events as event/data pairs and parses them back', () => {
    const frame = sseFrame({ type: 'response.created', response: { id: 'r1' } });
    assert.equal(frame, 'event: response.created\ndata: {"type":"response.created","response":{"id":"r1"}}\n\n');
    assert.deepEqual(parseSse(frame + frame)[1], { event: 'response.created', data: { type: 'response.created', response: { id: 'r1' } } });
  });
});

describe('fake model server', () => {
  let model: FakeModel;
  beforeEach(async () => {
    model = await startFakeModel({ label: 'unit test model' });
  });
  afterEach(() => model.close());

  const post = (input: object[], signal?: AbortSignal) =>
    fetch(`${model.baseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body(...input)),
      ...(signal ? { signal } : {}),
    });

  it('streams a message: created, added, deltas, done, completed', async () => {
    const res = await post([user('hello')]);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const events = parseSse(await res.text());
    const types = events.map((e) => e.event);
    assert.deepEqual(types.slice(0, 2), ['response.created', 'response.output_item.added']);
    assert.deepEqual(types.slice(-2), ['response.output_item.done', 'response.completed']);
    const deltas = events.filter((e) => e.event === 'response.output_text.delta').map((e) => e.data.delta);
    assert.ok(deltas.length > 3);
    assert.equal(deltas.join(''), 'Hello from unit test model. This is a scripted offline answer, not a real model.');
    assert.equal(model.requests[0]?.scenario, 'hello');
    assert.equal(model.requests[0]?.outcome, 'completed');
    assert.ok(model.baseUrl.endsWith('/v1'));
  });

  it('emits function calls whose call id names the scenario', async () => {
    const events = parseSse(await (await post([user('run command: true')])).text());
    const done = events.find((e) => e.event === 'response.output_item.done');
    const item = done?.data.item as { type: string; call_id: string; name: string; arguments: string };
    assert.equal(item.type, 'function_call');
    assert.match(item.call_id, /^call_command_/);
    assert.deepEqual(JSON.parse(item.arguments).cmd, 'true');
  });

  it('streams 20000 deltas quickly', async () => {
    const t0 = Date.now();
    const events = parseSse(await (await post([user('stream 20000 words')])).text());
    assert.equal(events.filter((e) => e.event === 'response.output_text.delta').length, 20000);
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });

  it('answers fail with an HTTP 500 JSON error', async () => {
    const res = await post([user('fail')]);
    assert.equal(res.status, 500);
    const json = (await res.json()) as { error: { code: string } };
    assert.equal(json.error.code, 'server_error');
    assert.equal(model.requests[0]?.outcome, 'httpError');
  });

  it('ends fail stream with response.failed', async () => {
    const events = parseSse(await (await post([user('fail stream')])).text());
    assert.equal(events.at(-1)?.event, 'response.failed');
  });

  it('stops a slow stream when the client goes away', async () => {
    const ac = new AbortController();
    const res = await post([user('slow')], ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const t0 = Date.now();
    while (model.requests[0]?.outcome === undefined && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
    assert.equal(model.requests[0]?.outcome, 'clientClosed');
  });

  it('answers 404 to other routes and still records them', async () => {
    const res = await fetch(`${model.baseUrl}/models`);
    assert.equal(res.status, 404);
    assert.equal(model.requests[0]?.path, '/v1/models');
  });
});

describe('writeCodexHome', () => {
  it('writes a config.toml pointing at the fake model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-model-home-'));
    try {
      writeCodexHome(join(dir, 'home'), 'http://127.0.0.1:1234/v1', { sandboxMode: 'workspace-write', extraToml: '# extra' });
      const toml = readFileSync(join(dir, 'home', 'config.toml'), 'utf8');
      assert.match(toml, /^model_provider = "mock"$/m);
      assert.match(toml, /^base_url = "http:\/\/127\.0\.0\.1:1234\/v1"$/m);
      assert.match(toml, /^sandbox_mode = "workspace-write"$/m);
      assert.match(toml, /^approval_policy = "on-request"$/m);
      assert.match(toml, /^stream_max_retries = 0$/m);
      assert.match(toml, /# extra/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
