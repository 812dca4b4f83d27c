import { z } from 'zod';
import { defineOperation } from '../../operation';
import { RUNTIME_FAILURES, writeAck } from './shared';

export const AccountStateSchema = z.looseObject({
  account: z.looseObject({ type: z.string() }).nullable(),
  requiresOpenaiAuth: z.boolean(),
}).meta({ id: 'RuntimeAccountState' });

export const readAccount = defineOperation({
  id: 'readAccount',
  domain: 'account',
  name: 'get',
  method: 'GET',
  path: '/api/account',
  summary: 'Read account state (the runtime answer, untouched)',
  idempotent: true,
  responses: { 200: { description: 'Account details', schema: AccountStateSchema }, ...RUNTIME_FAILURES },
});

export const AccountLoginRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('apiKey'), apiKey: z.string().max(4096).describe('An empty key is refused (400): the runtime would store it') }),
  z.object({ type: z.literal('chatgpt') }),
  z.object({
    type: z.literal('chatgptAuthTokens'),
    accessToken: z.string().max(65_536),
    chatgptAccountId: z.string().max(1000),
    chatgptPlanType: z.string().max(200).optional().describe('Empty means not given'),
  }),
  z.object({ type: z.literal('chatgptDeviceCode') }).describe('Sign in from another device with a one-time code (bridge extension)'),
]).meta({ id: 'AccountLoginRequest' });

export const startAccountLogin = defineOperation({
  id: 'startAccountLogin',
  domain: 'account',
  name: 'login_start',
  method: 'POST',
  path: '/api/account/login/start',
  summary: 'Start account login',
  description: '`chatgpt` answers a `loginId` and an `authUrl` to open in a browser (the runtime listens for the callback on 127.0.0.1); `account_login_completed` follows on the stream.',
  body: AccountLoginRequestSchema,
  bodyRequired: true,
  responses: {
    200: { description: 'Login started', schema: writeAck(z.looseObject({ type: z.string(), loginId: z.string().optional() })) },
    ...RUNTIME_FAILURES,
  },
});

export const cancelAccountLogin = defineOperation({
  id: 'cancelAccountLogin',
  domain: 'account',
  name: 'login_cancel',
  method: 'POST',
  path: '/api/account/login/cancel',
  summary: 'Cancel an account login in progress',
  body: z.object({ loginId: z.string().max(200).describe('As startAccountLogin answered it; the runtime refuses a malformed one (400)') }),
  bodyRequired: true,
  responses: {
    200: { description: 'Login canceled', schema: writeAck(z.looseObject({ status: z.literal('canceled') })) },
    404: {
      description: 'Login id not found (already finished or canceled)',
      schema: z.looseObject({ status: z.literal('not_found'), loginId: z.string(), code: z.string(), message: z.string() }),
    },
    ...RUNTIME_FAILURES,
  },
});

export const logoutAccount = defineOperation({
  id: 'logoutAccount',
  domain: 'account',
  name: 'logout',
  method: 'POST',
  path: '/api/account/logout',
  summary: 'Log out of the account',
  body: z.looseObject({}).describe('Ignored; any object is accepted'),
  bodyRequired: false,
  responses: { 200: { description: 'Logged out', schema: writeAck(z.looseObject({})) }, ...RUNTIME_FAILURES },
});

export const readAccountRateLimits = defineOperation({
  id: 'readAccountRateLimits',
  domain: 'account',
  name: 'rate_limits',
  method: 'GET',
  path: '/api/account/rate-limits',
  summary: 'Read account rate limits (needs a signed-in ChatGPT account: 401 otherwise)',
  idempotent: true,
  responses: {
    200: { description: 'Rate limits', schema: z.looseObject({ rateLimits: z.looseObject({}) }).meta({ id: 'RuntimeRateLimits' }) },
    ...RUNTIME_FAILURES,
  },
});

export const ACCOUNT_OPERATIONS = {
  readAccount, startAccountLogin, cancelAccountLogin, logoutAccount, readAccountRateLimits,
} as const;
