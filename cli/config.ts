import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRunningBridges, registryDir, type DiscoveryRecord } from '../protocol/discovery';
import { ENVIRONMENT, RBAC_HEADERS } from './compat';
import { CliError, EXIT } from './errors';

/**
 * Profiles (codex-manager's format, `$XDG_CONFIG_HOME/codex-manager/cli/config.json`,
 * written 0600) and how a command finds its bridge: flags, then environment, then the
 * profile, then the discovery registry (a running bridge and its token file).
 */

export interface ProfileAuth {
  bearer: string | null;
  rbacToken: string | null;
  role: string | null;
  actor: string | null;
}

export interface Profile {
  baseUrl?: string;
  apiPrefix?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  auth?: Partial<ProfileAuth>;
  [extra: string]: unknown;
}

export interface ConfigStore {
  currentProfile?: string;
  profiles: Record<string, Profile>;
  [extra: string]: unknown;
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(root, 'codex-manager', 'cli', 'config.json');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigStore {
  const file = configFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { profiles: {} };
  }
  try {
    const parsed = JSON.parse(text) as Partial<ConfigStore>;
    const profiles = parsed.profiles && typeof parsed.profiles === 'object' ? parsed.profiles : {};
    return { ...parsed, profiles } as ConfigStore;
  } catch (error) {
    throw new CliError('config', `the CLI config ${file} is not valid JSON (${(error as Error).message})`, EXIT.error,
      `fix or delete the file; profiles are rewritten by \`codex-manager profile set\``);
  }
}

/** Atomic write (temp file + rename) with mode 0600 in a 0700 directory: profiles may hold tokens. */
export function saveConfig(config: ConfigStore, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

export interface GlobalOptions {
  profile?: string;
  baseUrl?: string;
  apiPrefix?: string;
  timeoutMs?: string;
  bearer?: string;
  headers: string[];
  rbacToken?: string;
  role?: string;
  actor?: string;
}

export interface Connection {
  /** Origin (and path, when the base URL has one), without a trailing slash or the API prefix. */
  baseUrl: string;
  apiPrefix: string;
  timeoutMs: number;
  headers: Record<string, string>;
  /** Where each setting came from, for --verbose and error hints. */
  source: { baseUrl: string; bearer: string; profile: string | null };
  bridge?: DiscoveryRecord;
  tokenFile?: string;
}

const nonEmpty = (v: string | undefined | null): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function normalizePrefix(prefix: string): string {
  const p = prefix.trim();
  if (!p || p === '/') return '';
  return (p.startsWith('/') ? p : `/${p}`).replace(/\/+$/, '');
}

export function parseHeaderPairs(pairs: readonly string[], flag = '--headers'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf(':');
    if (i <= 0) throw new CliError('usage', `${flag} ${JSON.stringify(pair)} is not key:value`, EXIT.usage, `write it as ${flag} "X-Name: value"`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

function readToken(file: string): string | undefined {
  try {
    return nonEmpty(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const host = (h: string) => (h === 'localhost' || h === '[::1]' ? '127.0.0.1' : h);
    return x.protocol === y.protocol && host(x.hostname) === host(y.hostname) && x.port === y.port;
  } catch {
    return false;
  }
}

/**
 * Resolves the connection. Precedence, per setting: flag, environment, profile (the
 * one named by --profile, else the config's current one), then discovery. With none of
 * them naming a URL, the newest running bridge registered for this user is used with its
 * token file; a URL from elsewhere still gets the token file of a bridge registered there.
 */
export function resolveConnection(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env, version = '0'): Connection {
  const config = loadConfig(env);
  const profileName = nonEmpty(opts.profile) ?? nonEmpty(config.currentProfile);
  let profile: Profile = {};
  if (profileName) {
    const found = config.profiles[profileName];
    if (!found && opts.profile) {
      const names = Object.keys(config.profiles);
      throw new CliError('config', `no profile named ${JSON.stringify(profileName)} in ${configFile(env)}`, EXIT.usage,
        names.length ? `use one of: ${names.join(', ')}` : 'create it with `codex-manager profile set NAME --base-url URL`');
    }
    profile = found ?? {};
  }
  const auth = profile.auth ?? {};

  let baseUrl = nonEmpty(opts.baseUrl);
  let baseSource = '--base-url';
  if (!baseUrl && nonEmpty(env.CODEX_MANAGER_API_BASE)) {
    baseUrl = nonEmpty(env.CODEX_MANAGER_API_BASE);
    baseSource = 'CODEX_MANAGER_API_BASE';
  }
  if (!baseUrl && nonEmpty(profile.baseUrl)) {
    baseUrl = nonEmpty(profile.baseUrl);
    baseSource = `profile ${profileName}`;
  }

  let bridge: DiscoveryRecord | undefined;
  const bridges = (): DiscoveryRecord[] => findRunningBridges(env);
  if (!baseUrl) {
    const running = bridges();
    bridge = running[0];
    if (!bridge) {
      throw new CliError('config', `no running bridge found (discovery looked in ${registryDir(env)}) and no URL configured`, EXIT.error,
        'start one with `codex-manager serve`, or pass --base-url URL (or set CODEX_MANAGER_API_BASE, or a profile)');
    }
    baseUrl = bridge.url;
    baseSource = `discovery (${bridge.mode} bridge, pid ${bridge.pid})`;
  }
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError('usage', `${baseSource} ${JSON.stringify(baseUrl)} is not an http(s) URL`, EXIT.usage, 'give it as http://HOST:PORT');
  }
  baseUrl = baseUrl.replace(/\/+$/, '');

  let apiPrefix = normalizePrefix(nonEmpty(opts.apiPrefix) ?? nonEmpty(env.CODEX_MANAGER_API_PREFIX) ?? nonEmpty(profile.apiPrefix) ?? '/api');
  // `codex-manager serve` prints http://HOST:PORT/api; accept that as the base URL too.
  if (apiPrefix && baseUrl.endsWith(apiPrefix)) baseUrl = baseUrl.slice(0, -apiPrefix.length);
  if (!apiPrefix && baseUrl.endsWith('/api')) apiPrefix = '';

  const timeoutRaw = nonEmpty(opts.timeoutMs) ?? nonEmpty(env.CODEX_MANAGER_TIMEOUT_MS);
  let timeoutMs = typeof profile.timeoutMs === 'number' && profile.timeoutMs > 0 ? profile.timeoutMs : 30_000;
  if (timeoutRaw !== undefined) {
    const n = Number(timeoutRaw);
    if (!Number.isFinite(n) || n <= 0) {
      throw new CliError('usage', `timeout ${JSON.stringify(timeoutRaw)} is not a positive number of milliseconds`, EXIT.usage, 'e.g. --timeout-ms 60000');
    }
    timeoutMs = Math.floor(n);
  }

  let bearer = nonEmpty(opts.bearer);
  let bearerSource = '--bearer';
  if (!bearer && nonEmpty(env.CODEX_MANAGER_BEARER_TOKEN)) {
    bearer = nonEmpty(env.CODEX_MANAGER_BEARER_TOKEN);
    bearerSource = 'CODEX_MANAGER_BEARER_TOKEN';
  }
  if (!bearer && nonEmpty(auth.bearer)) {
    bearer = nonEmpty(auth.bearer);
    bearerSource = `profile ${profileName}`;
  }
  let tokenFile: string | undefined;
  if (!bearer) {
    const match = bridge ?? bridges().find((b) => sameOrigin(b.url, baseUrl!));
    if (match) {
      bridge = match;
      tokenFile = match.tokenFile;
      bearer = readToken(match.tokenFile);
      bearerSource = bearer ? `token file ${match.tokenFile}` : `token file ${match.tokenFile} (unreadable)`;
    } else {
      bearerSource = 'none';
    }
  }

  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': `codex-manager-cli/${version}`,
    'x-codex-manager-client': 'cli',
    ...(profile.headers ?? {}),
    ...parseHeaderPairs(opts.headers),
  };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const rbac = {
    rbacToken: nonEmpty(opts.rbacToken) ?? nonEmpty(env.CODEX_MANAGER_RBAC_TOKEN) ?? nonEmpty(auth.rbacToken),
    role: nonEmpty(opts.role) ?? nonEmpty(env.CODEX_MANAGER_RBAC_ROLE) ?? nonEmpty(auth.role),
    actor: nonEmpty(opts.actor) ?? nonEmpty(env.CODEX_MANAGER_RBAC_ACTOR) ?? nonEmpty(auth.actor),
  };
  for (const [key, header] of Object.entries(RBAC_HEADERS)) {
    const value = rbac[key as keyof typeof rbac];
    if (value) headers[header] = value;
  }

  return {
    baseUrl,
    apiPrefix,
    timeoutMs,
    headers,
    source: { baseUrl: baseSource, bearer: bearerSource, profile: profileName ?? null },
    ...(bridge ? { bridge } : {}),
    ...(tokenFile ? { tokenFile } : {}),
  };
}

/** The request path for a declared operation path (`/api/...`) under the configured prefix. */
export function apiPath(conn: Pick<Connection, 'apiPrefix'>, declared: string): string {
  if (declared === '/api') return conn.apiPrefix || '/';
  if (declared.startsWith('/api/')) return `${conn.apiPrefix}${declared.slice(4)}`;
  if (conn.apiPrefix && (declared === conn.apiPrefix || declared.startsWith(`${conn.apiPrefix}/`))) return declared;
  return `${conn.apiPrefix}${declared.startsWith('/') ? '' : '/'}${declared}`;
}

export { ENVIRONMENT };
