import type { OperationSpec } from '../../protocol/operation';

/** What the fuzzer set up before it started and checks is still there afterwards. */
export interface Fixture {
  sessionId: string;
  projectId: string;
}

export interface ParsedRequest {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  /** The body as the server would see it: undefined when none was sent, else the parsed JSON. */
  body: unknown;
  /** The body was sent but is not JSON. */
  malformed: boolean;
}

/** Commands the fuzzer may run through executeCommand: they print or do nothing. */
export const HARMLESS_COMMANDS = new Set(['echo', 'true', 'pwd']);

type Guard =
  | { when: 'valid'; why: string }
  | { when: 'valid-on-fixture'; why: string }
  | { when: 'valid-and-harmful'; why: string; harmless: (body: unknown) => boolean };

/**
 * Operations the fuzzer must not call with input that would pass validation, and why.
 * Nothing is excluded: with invalid input these are fuzzed like every other operation
 * (their validation is exactly what must hold); only the inputs that would act are held back.
 */
export const GUARDED: Record<string, Guard> = {
  restartRuntime: { when: 'valid', why: 'restarts the runtime; done over and over, the crash breaker would stop it' },
  startAccountLogin: { when: 'valid', why: 'stores credentials, or starts a login callback server on 127.0.0.1:1455' },
  logoutAccount: { when: 'valid', why: 'drops the credentials the runtime uses' },
  writeConfigValue: { when: 'valid', why: 'writes config.toml, which every later thread reads' },
  writeConfigBatch: { when: 'valid', why: 'writes config.toml, which every later thread reads' },
  writeSkillConfig: { when: 'valid', why: 'writes config.toml, which every later thread reads' },
  uploadFeedback: { when: 'valid', why: 'sends logs and text to OpenAI when the machine is online' },
  executeCommand: {
    when: 'valid-and-harmful',
    why: 'runs the command; only echo, true and pwd may run',
    harmless: (body) => HARMLESS_COMMANDS.has(String((body as { command: unknown[] }).command[0])),
  },
  deleteSession: { when: 'valid-on-fixture', why: 'deletes the session the fuzzer checks is still there' },
  archiveSession: { when: 'valid-on-fixture', why: 'hides the fixture session from the listing the fuzzer checks' },
  deleteProject: { when: 'valid-on-fixture', why: 'deletes the fixture project' },
  deleteProjectChats: { when: 'valid-on-fixture', why: 'deletes the fixture session with its project\'s chats' },
  moveProjectChats: { when: 'valid-on-fixture', why: 'can archive the fixture session with its project\'s chats' },
  sendSessionMessage: { when: 'valid-on-fixture', why: 'starts a turn; the fake model\'s scripted triggers run commands' },
  steerTurn: { when: 'valid-on-fixture', why: 'adds input to a turn; the fake model\'s scripted triggers run commands' },
  startReview: { when: 'valid-on-fixture', why: 'starts a review turn on the fake model' },
  compactSession: { when: 'valid-on-fixture', why: 'starts a compaction turn on the fake model' },
};

/** Why this request must not be sent, or undefined when it may. */
export function guardReason(spec: OperationSpec, req: ParsedRequest, fixture: Fixture): string | undefined {
  const guard = GUARDED[spec.id];
  if (!guard || !validInput(spec, req)) return undefined;
  switch (guard.when) {
    case 'valid':
      return guard.why;
    case 'valid-on-fixture':
      return req.params.sessionId === fixture.sessionId || req.params.projectId === fixture.projectId ? guard.why : undefined;
    case 'valid-and-harmful':
      return guard.harmless(req.body) ? undefined : guard.why;
  }
}

/** Whether the operation table would accept this input (the same rules as its parseInput). */
export function validInput(spec: OperationSpec, req: ParsedRequest): boolean {
  if (req.malformed) return false;
  const part = (schema: OperationSpec['params'], value: unknown) => !schema || schema.safeParse(value ?? {}).success;
  if (!part(spec.params, req.params) || !part(spec.query, req.query)) return false;
  if (!spec.body) return true;
  if ((req.body === undefined || req.body === null) && spec.bodyRequired) return false;
  return spec.body.safeParse(req.body ?? {}).success;
}

/** Query string → object, as the HTTP server builds it (a repeated key becomes an array). */
export function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** The body as JSON, or `malformed` when it is not. */
export function parseBody(body: string | Buffer | undefined): { body: unknown; malformed: boolean } {
  if (body === undefined || body.length === 0) return { body: undefined, malformed: false };
  try {
    return { body: JSON.parse(body.toString('utf8')) as unknown, malformed: false };
  } catch {
    return { body: undefined, malformed: true };
  }
}
