/**
 * Who may use the agent extension routes. Roles are codex-manager's (member < admin,
 * owner, system); listing needs any role, reloading admin/owner/system.
 * - `disabled` (default): no credentials, but only from loopback (and the editor, which
 *   talks over stdio); remote callers get 403.
 * - `header`: `x-codex-rbac-token` must equal the shared secret (compared in constant
 *   time); the role comes from `x-codex-role`, the actor from `x-codex-actor`.
 * - `jwt`: an HS256 JWT, verified with `jose` (issuer/audience when configured). The
 *   Authorization header already carries the bridge's own token, so the JWT travels in
 *   `x-codex-rbac-jwt` (`Bearer <jwt>` or the bare token).
 */
import { timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';

export type RbacMode = 'disabled' | 'header' | 'jwt';
export const ROLES = ['member', 'admin', 'owner', 'system'] as const;
export type Role = (typeof ROLES)[number];

export interface RbacConfig {
  mode: RbacMode;
  headerSecret?: string;
  jwt?: { secret: string; issuer?: string; audience?: string; roleClaim?: string; actorClaim?: string };
}

export interface RequestInfo {
  headers: Record<string, string | string[] | undefined>;
  remoteAddress: string | null;
}

export type RoleResolution =
  | { ok: true; role: Role; actorId: string | null }
  | { ok: false; httpStatus: 401 | 403; body: { status: 'unauthorized' | 'forbidden'; code: string; message: string } };

const header = (h: RequestInfo['headers'], name: string): string | null => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() ? s.trim() : null;
};

const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const refuse = (httpStatus: 401 | 403, code: string, message: string): RoleResolution => ({
  ok: false, httpStatus, body: { status: httpStatus === 401 ? 'unauthorized' : 'forbidden', code, message },
});

/** Checks the configuration once, at start-up, so a bad one fails loudly instead of per request. */
export function validateRbacConfig(config: RbacConfig): void {
  if (config.mode === 'header' && !config.headerSecret?.trim()) throw new Error('extension RBAC mode "header" needs a shared secret');
  if (config.mode === 'jwt' && !config.jwt?.secret?.trim()) throw new Error('extension RBAC mode "jwt" needs a JWT secret');
}

/** `request` is undefined for in-process and editor calls, which are local by construction. */
export async function resolveRole(config: RbacConfig, request: RequestInfo | undefined): Promise<RoleResolution> {
  if (!request) return { ok: true, role: 'admin', actorId: 'local' };
  if (config.mode === 'disabled') {
    if (!isLoopback(request.remoteAddress)) return refuse(403, 'rbac_disabled_remote_forbidden', 'extension routes are local-only unless RBAC is configured');
    return { ok: true, role: 'admin', actorId: 'local-disabled-rbac' };
  }
  if (config.mode === 'jwt') {
    const raw = header(request.headers, 'x-codex-rbac-jwt');
    if (!raw) return refuse(401, 'missing_bearer_token', 'send the JWT in the x-codex-rbac-jwt header');
    const token = raw.replace(/^Bearer\s+/i, '');
    const jwt = config.jwt!;
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(jwt.secret), {
        algorithms: ['HS256', 'HS384', 'HS512'],
        ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
        ...(jwt.audience ? { audience: jwt.audience } : {}),
      });
      const role = payload[jwt.roleClaim ?? 'role'];
      if (!isRole(role)) return refuse(403, 'invalid_role_claim', `the token's ${jwt.roleClaim ?? 'role'} claim is not a known role`);
      const actor = payload[jwt.actorClaim ?? 'sub'];
      return { ok: true, role, actorId: typeof actor === 'string' ? actor : null };
    } catch {
      return refuse(401, 'invalid_bearer_token', 'the JWT is invalid or expired');
    }
  }
  const presented = header(request.headers, 'x-codex-rbac-token');
  if (!presented) return refuse(401, 'missing_header_token', 'send the shared secret in x-codex-rbac-token');
  const expected = Buffer.from(config.headerSecret!.trim());
  const given = Buffer.from(presented);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse(401, 'invalid_header_token', 'the shared secret does not match');
  const role = header(request.headers, 'x-codex-role');
  if (!isRole(role)) return refuse(401, 'missing_role', 'send a role (member, admin, owner, system) in x-codex-role');
  return { ok: true, role, actorId: header(request.headers, 'x-codex-actor') };
}
