import type { TOOLING_OPERATIONS } from '../../../protocol/operations/passthrough/tooling';
import { given } from '../../../protocol/schemas/common';
import type { CommandExecParams } from '../../../protocol/generated/codex/v2/CommandExecParams';
import type { CommandExecResponse } from '../../../protocol/generated/codex/v2/CommandExecResponse';
import type { FeedbackUploadParams } from '../../../protocol/generated/codex/v2/FeedbackUploadParams';
import type { FeedbackUploadResponse } from '../../../protocol/generated/codex/v2/FeedbackUploadResponse';
import type { McpServerOauthLoginParams } from '../../../protocol/generated/codex/v2/McpServerOauthLoginParams';
import type { McpServerOauthLoginResponse } from '../../../protocol/generated/codex/v2/McpServerOauthLoginResponse';
import type { SkillsConfigWriteParams } from '../../../protocol/generated/codex/v2/SkillsConfigWriteParams';
import type { SkillsConfigWriteResponse } from '../../../protocol/generated/codex/v2/SkillsConfigWriteResponse';
import type { BridgeServices } from '../services';
import type { HandlersFor } from '../table';
import { spawnableCommand } from './exec-input';

/** ts-rs types the u64 `timeoutSecs` as bigint; on the wire it is a plain JSON number. */
type OauthLoginParams = Omit<McpServerOauthLoginParams, 'timeoutSecs'> & { timeoutSecs?: number | null };

/** How much longer than the command's own timeout we wait for the runtime's answer. */
const EXEC_ANSWER_MARGIN_MS = 30_000;
/** The longest delay a Node timer can hold (~24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function toolingHandlers(s: BridgeServices): HandlersFor<typeof TOOLING_OPERATIONS> {
  const ack = <T>(result: T) => ({ status: 200 as const, body: { status: 'ok' as const, result } });
  return {
    async writeSkillConfig({ body }) {
      // Exactly one of path or name: the runtime enforces it (400), and that an absolute path.
      const params: SkillsConfigWriteParams = { enabled: body.enabled };
      const path = given(body.path);
      const name = given(body.name);
      if (path !== undefined) params.path = path;
      if (name !== undefined) params.name = name;
      return ack(await s.runtime.request<SkillsConfigWriteResponse>('skills/config/write', params));
    },
    // codex-manager's remote-skill methods; the supervisor answers 501 where the runtime lacks them.
    async readRemoteSkills() {
      return ack(await s.runtime.request<unknown>('skills/remote/read', {}));
    },
    async writeRemoteSkills({ body }) {
      return ack(await s.runtime.request<unknown>('skills/remote/write', { hazelnutId: body.hazelnutId, isPreload: body.isPreload }));
    },
    async reloadMcpConfig() {
      return ack(await s.runtime.request<Record<string, never>>('config/mcpServer/reload', undefined));
    },
    async startMcpOauthLogin({ params, body }) {
      const scopes = body.scopes?.filter((scope) => given(scope) !== undefined);
      const login: OauthLoginParams = { name: params.serverName, scopes: scopes ?? null, timeoutSecs: body.timeoutSecs ?? null };
      return ack(await s.runtime.request<McpServerOauthLoginResponse>('mcpServer/oauth/login', login));
    },
    async executeCommand({ body }) {
      const exec: CommandExecParams = { ...(await spawnableCommand(body, s.sessions.defaultCwd)), timeoutMs: body.timeoutMs ?? null };
      // The answer comes when the command exits, so wait for the command's own timeout first.
      const timeoutMs = body.timeoutMs === undefined ? undefined : Math.min(body.timeoutMs + EXEC_ANSWER_MARGIN_MS, MAX_TIMER_MS);
      return ack(await s.runtime.request<CommandExecResponse>('command/exec', exec, timeoutMs === undefined ? {} : { timeoutMs }));
    },
    async uploadFeedback({ body }) {
      const feedback: FeedbackUploadParams = {
        classification: body.classification,
        includeLogs: body.includeLogs,
        reason: given(body.reason) ?? null,
        threadId: given(body.threadId) ?? null,
      };
      return ack(await s.runtime.request<FeedbackUploadResponse>('feedback/upload', feedback));
    },
  };
}
