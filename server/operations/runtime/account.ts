import { BridgeError } from '../../../protocol/errors';
import type { ACCOUNT_OPERATIONS } from '../../../protocol/operations/passthrough/account';
import { given } from '../../../protocol/schemas/common';
import type { CancelLoginAccountParams } from '../../../protocol/generated/codex/v2/CancelLoginAccountParams';
import type { CancelLoginAccountResponse } from '../../../protocol/generated/codex/v2/CancelLoginAccountResponse';
import type { GetAccountParams } from '../../../protocol/generated/codex/v2/GetAccountParams';
import type { GetAccountRateLimitsResponse } from '../../../protocol/generated/codex/v2/GetAccountRateLimitsResponse';
import type { GetAccountResponse } from '../../../protocol/generated/codex/v2/GetAccountResponse';
import type { LoginAccountParams } from '../../../protocol/generated/codex/v2/LoginAccountParams';
import type { LoginAccountResponse } from '../../../protocol/generated/codex/v2/LoginAccountResponse';
import type { LogoutAccountResponse } from '../../../protocol/generated/codex/v2/LogoutAccountResponse';
import type { RuntimeSupervisor } from '../../appserver/supervisor';
import type { BridgeServices } from '../services';
import type { HandlersFor } from '../table';

export function accountHandlers(s: BridgeServices): HandlersFor<typeof ACCOUNT_OPERATIONS> {
  return {
    async readAccount() {
      return { status: 200, body: await readAccountState(s.runtime) };
    },
    async startAccountLogin({ body }) {
      // The runtime would sign in with an empty key, replacing working credentials with none.
      if (body.type === 'apiKey' && given(body.apiKey) === undefined) {
        throw new BridgeError('invalid_request', 'apiKey must not be empty', { issues: [{ path: ['body', 'apiKey'], message: 'must not be empty' }] });
      }
      const params: LoginAccountParams = body.type === 'chatgptAuthTokens' ? { ...body, chatgptPlanType: given(body.chatgptPlanType) ?? null } : body;
      const result = await s.runtime.request<LoginAccountResponse>('account/login/start', params);
      return { status: 200, body: { status: 'ok', result } };
    },
    async cancelAccountLogin({ body }) {
      const params: CancelLoginAccountParams = { loginId: body.loginId };
      const result = await s.runtime.request<CancelLoginAccountResponse>('account/login/cancel', params);
      if (result.status === 'notFound') {
        const message = `no login ${body.loginId} in progress (it finished, was canceled, or never started)`;
        return { status: 404, body: { status: 'not_found', loginId: body.loginId, code: 'not_found', message } };
      }
      return { status: 200, body: { status: 'ok', result: { ...result, status: 'canceled' } } };
    },
    async logoutAccount() {
      const result = await s.runtime.request<LogoutAccountResponse>('account/logout', undefined);
      return { status: 200, body: { status: 'ok', result } };
    },
    async readAccountRateLimits() {
      try {
        return { status: 200, body: await s.runtime.request<GetAccountRateLimitsResponse>('account/rateLimits/read', undefined) };
      } catch (error) {
        throw await explainRateLimitRefusal(s.runtime, error);
      }
    },
  };
}

function readAccountState(runtime: RuntimeSupervisor): Promise<GetAccountResponse> {
  const params: GetAccountParams = {};
  return runtime.request<GetAccountResponse>('account/read', params);
}

/**
 * The runtime refuses rate limits without an account with a plain "invalid request"
 * (-32600, no codexErrorInfo). Its message is not a contract, so we ask the runtime for
 * the account instead: none means codex-manager's 401 "authentication required".
 */
async function explainRateLimitRefusal(runtime: RuntimeSupervisor, error: unknown): Promise<unknown> {
  if (!(error instanceof BridgeError) || error.code !== 'invalid_request') return error;
  const state = await readAccountState(runtime).catch(() => undefined);
  if (state?.account !== null) return error;
  return new BridgeError('unauthorized', 'sign in to a ChatGPT account to read rate limits (the runtime has no account)', {
    details: { runtimeMethod: 'account/rateLimits/read', reason: 'account_required', runtimeMessage: error.message },
  });
}
