import { BridgeError } from '../../protocol/errors';
import type { ThreadLoadedListResponse } from '../../protocol/generated/codex/v2/ThreadLoadedListResponse';
import type { ThreadSettingsUpdateParams } from '../../protocol/generated/codex/v2/ThreadSettingsUpdateParams';
import type { RuntimeSupervisor } from '../appserver/supervisor';
import type { SessionMeta } from './session-index';
import { runtimeApprovalPolicy, sandboxPolicy } from './thread-meta';

/** The controls tuple codex-manager exposes for a session; `model: null` is the runtime's default. */
export type ControlsTuple = {
  model: string | null;
  approvalPolicy: SessionMeta['approvalPolicy'];
  networkAccess: SessionMeta['networkAccess'];
  filesystemSandbox: SessionMeta['filesystemSandbox'];
};

/** What happened on the runtime side when a session's controls changed. */
export type RuntimeSync = {
  status: 'applied' | 'deferred' | 'failed' | 'not_needed';
  message?: string;
};

/**
 * Makes a loaded thread use `controls` from its next turn, through the runtime's
 * `thread/settings/update` ("override ... for subsequent turns"; codex 0.169 answers
 * `{}` and notifies `thread/settings/updated`). A thread the runtime has not loaded
 * needs nothing now: it is resumed from the session index, which already holds the
 * new controls, before its next turn. The bridge has already stored the change, so a
 * runtime failure is reported rather than thrown.
 */
export async function pushControlsToRuntime(runtime: RuntimeSupervisor, threadId: string, controls: ControlsTuple): Promise<RuntimeSync> {
  try {
    const loaded = await runtime.request<ThreadLoadedListResponse>('thread/loaded/list', {});
    if (!loaded.data.includes(threadId)) return { status: 'deferred', message: 'the thread is not loaded; the controls apply when it is next resumed' };
    const params: ThreadSettingsUpdateParams = {
      threadId,
      approvalPolicy: runtimeApprovalPolicy(controls.approvalPolicy),
      sandboxPolicy: sandboxPolicy(controls.filesystemSandbox, controls.networkAccess),
      // null would mean "keep the current model": the runtime cannot be told to go back to its default.
      ...(controls.model ? { model: controls.model } : {}),
    };
    await runtime.request('thread/settings/update', params);
    return { status: 'applied' };
  } catch (error) {
    if (error instanceof BridgeError) return { status: error.code === 'runtime_unavailable' ? 'deferred' : 'failed', message: error.message };
    throw error;
  }
}
