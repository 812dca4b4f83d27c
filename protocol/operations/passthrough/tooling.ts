import { z } from 'zod';
import { defineOperation } from '../../operation';
import { RUNTIME_FAILURES, writeAck } from './shared';

export const writeSkillConfig = defineOperation({
  id: 'writeSkillConfig',
  domain: 'skills',
  name: 'set_config',
  method: 'POST',
  path: '/api/skills/config',
  summary: 'Enable or disable a local skill, chosen by its SKILL.md path (or by name)',
  description: 'Give `path` or `name` (not both; empty means not given). The runtime judges them: '
    + 'neither, both, or a path that is not absolute is a 400 from it.',
  body: z.object({
    path: z.string().max(4096).optional().describe('Absolute path of the SKILL.md, as listed by listSkills'),
    name: z.string().max(200).optional().describe('The skill name instead of its path (bridge extension)'),
    enabled: z.boolean(),
  }),
  bodyRequired: true,
  responses: { 200: { description: 'Skill config written', schema: writeAck(z.looseObject({ effectiveEnabled: z.boolean() })) }, ...RUNTIME_FAILURES },
});

export const readRemoteSkills = defineOperation({
  id: 'readRemoteSkills',
  domain: 'skills',
  name: 'remote_get',
  method: 'GET',
  path: '/api/skills/remote',
  summary: 'Read remote skill settings (runtime `skills/remote/read`)',
  idempotent: true,
  responses: { 200: { description: 'Remote skill settings', schema: writeAck(z.unknown()) }, ...RUNTIME_FAILURES },
});

export const writeRemoteSkills = defineOperation({
  id: 'writeRemoteSkills',
  domain: 'skills',
  name: 'remote_set',
  method: 'POST',
  path: '/api/skills/remote',
  summary: 'Write remote skill settings (runtime `skills/remote/write`)',
  body: z.object({ hazelnutId: z.string().max(200), isPreload: z.boolean() }),
  bodyRequired: true,
  responses: { 200: { description: 'Remote settings written', schema: writeAck(z.unknown()) }, ...RUNTIME_FAILURES },
});

export const reloadMcpConfig = defineOperation({
  id: 'reloadMcpConfig',
  domain: 'mcp',
  name: 'reload',
  method: 'POST',
  path: '/api/mcp/reload',
  summary: 'Reload the MCP server configuration from config.toml',
  body: z.looseObject({}).describe('Ignored; any object is accepted'),
  bodyRequired: false,
  responses: { 200: { description: 'Reload triggered', schema: writeAck(z.looseObject({})) }, ...RUNTIME_FAILURES },
});

export const startMcpOauthLogin = defineOperation({
  id: 'startMcpOauthLogin',
  domain: 'mcp',
  name: 'oauth_login',
  method: 'POST',
  path: '/api/mcp/servers/{serverName}/oauth/login',
  summary: 'Start OAuth login for a streamable-HTTP MCP server',
  description: 'Answers the `authorizationUrl` to open; `mcp_oauth_completed` follows on the stream. Unknown servers and stdio servers are a 400 from the runtime.',
  params: z.object({ serverName: z.string().min(1).max(200).describe('MCP server name') }),
  body: z.object({
    scopes: z.array(z.string().max(200)).max(64).optional().describe('OAuth scopes; empty entries are dropped'),
    timeoutSecs: z.number().int().min(1).optional(),
  }),
  bodyRequired: false,
  responses: {
    200: { description: 'OAuth login started', schema: writeAck(z.looseObject({ authorizationUrl: z.string(), loginId: z.string().optional() })) },
    ...RUNTIME_FAILURES,
  },
});

export const executeCommand = defineOperation({
  id: 'executeCommand',
  domain: 'runtime',
  name: 'exec',
  method: 'POST',
  path: '/api/commands/exec',
  summary: "Run one command (argv) in the runtime's sandbox, outside any thread",
  description: "The sandbox is the user's configured one (e.g. read-only); the answer carries the exit code and the captured output. A timeout ends the command with exit code 124.",
  body: z.object({
    command: z.array(z.string().max(100_000)).min(1).max(1000),
    cwd: z.string().max(4096).optional().describe("Working directory, which must exist (400 otherwise); a relative one resolves against the runtime's, empty means the runtime's"),
    timeoutMs: z.number().int().min(1).optional(),
  }),
  bodyRequired: true,
  responses: {
    200: { description: 'Command result', schema: writeAck(z.looseObject({ exitCode: z.number().int(), stdout: z.string(), stderr: z.string() })) },
    ...RUNTIME_FAILURES,
  },
});

export const uploadFeedback = defineOperation({
  id: 'uploadFeedback',
  domain: 'feedback',
  name: 'submit',
  method: 'POST',
  path: '/api/feedback',
  summary: 'Upload feedback to Codex (needs network access; offline it is a 500 naming the cause)',
  body: z.object({
    classification: z.string().max(200),
    includeLogs: z.boolean(),
    reason: z.string().max(20_000).optional(),
    threadId: z.string().max(200).optional(),
  }),
  bodyRequired: true,
  responses: { 200: { description: 'Feedback accepted', schema: writeAck(z.looseObject({ threadId: z.string() })) }, ...RUNTIME_FAILURES },
});

export const TOOLING_OPERATIONS = {
  writeSkillConfig, readRemoteSkills, writeRemoteSkills, reloadMcpConfig, startMcpOauthLogin, executeCommand, uploadFeedback,
} as const;
