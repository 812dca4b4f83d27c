import type { ParsedOptions, RawValue } from '../args';
import { configFile, loadConfig, parseHeaderPairs, saveConfig, type Profile } from '../config';
import type { Ctx } from '../context';
import { CliError, EXIT, usageError } from '../errors';
import { json, table } from '../output';
import { readSource } from '../values';

/**
 * `profile list|use|set|auth-set|delete`, in codex-manager's file format. The name is a
 * flag (`--name`) or, as codex-manager's scripts write it, the first argument. Output
 * with --json is the object codex-manager printed; tokens are masked either way.
 */

function text(parsed: ParsedOptions, name: string): string | undefined {
  const raws = parsed.values.get(name);
  const raw: RawValue | undefined = raws?.[raws.length - 1];
  if (!raw) return undefined;
  if (raw.kind === 'file') return readSource(raw.path, `${name}-file`).trim();
  return raw.kind === 'text' ? raw.text.trim() : undefined;
}

function profileName(parsed: ParsedOptions, command: string): string {
  const name = text(parsed, 'name') ?? parsed.positionals[0];
  if (!name) throw usageError(`${command} needs a profile name`, `e.g. codex-manager ${command} NAME`);
  if (parsed.positionals.length > (text(parsed, 'name') ? 0 : 1)) throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals.at(-1))}`, `see \`codex-manager ${command} --help\``);
  return name;
}

function mask(secret: unknown): string | null {
  if (typeof secret !== 'string' || !secret) return null;
  return secret.length <= 8 ? '****' : `****${secret.slice(-4)}`;
}

function masked(profile: Profile): Profile {
  const auth = profile.auth ?? {};
  return { ...profile, auth: { bearer: mask(auth.bearer), rbacToken: mask(auth.rbacToken), role: auth.role ?? null, actor: auth.actor ?? null } };
}

function done(ctx: Ctx, payload: Record<string, unknown>, human: string): number {
  if (ctx.globals.json || ctx.globals.jsonl) ctx.stdout.write(json(payload));
  else ctx.stdout.write(human);
  return EXIT.ok;
}

export function runProfile(ctx: Ctx, sub: string, parsed: ParsedOptions): number {
  const config = loadConfig(ctx.env);
  if (sub === 'list') {
    if (parsed.positionals.length) throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`, 'profile list takes no arguments');
    const profiles = Object.fromEntries(Object.entries(config.profiles).map(([n, p]) => [n, masked(p)]));
    const rows = Object.entries(config.profiles);
    const human = rows.length === 0
      ? `${ctx.paint('dim', `no profiles in ${configFile(ctx.env)}; without one the CLI uses the running bridge (discovery)`)}\n`
      : table(rows, [
        { header: '', get: ([n]) => (n === config.currentProfile ? '*' : '') },
        { header: 'profile', get: ([n]) => n },
        { header: 'base url', get: ([, p]) => p.baseUrl ?? '(discovery)' },
        { header: 'prefix', get: ([, p]) => p.apiPrefix ?? '/api' },
        { header: 'timeout', get: ([, p]) => (p.timeoutMs ? `${p.timeoutMs} ms` : '') },
        { header: 'bearer', get: ([, p]) => mask(p.auth?.bearer) ?? '' },
      ], ctx.paint, ctx.width);
    return done(ctx, { currentProfile: config.currentProfile ?? null, profiles }, human);
  }

  const name = profileName(parsed, `profile ${sub}`);
  if (sub === 'use') {
    if (!config.profiles[name]) {
      const names = Object.keys(config.profiles);
      throw new CliError('config', `no profile named ${JSON.stringify(name)}`, EXIT.notFound, names.length ? `use one of: ${names.join(', ')}` : `create it: codex-manager profile set ${name} --base-url URL`);
    }
    config.currentProfile = name;
    saveConfig(config, ctx.env);
    return done(ctx, { status: 'ok', currentProfile: name }, `${ctx.paint('green', '✓')} current profile: ${name}\n`);
  }
  if (sub === 'delete') {
    if (!config.profiles[name]) throw new CliError('config', `no profile named ${JSON.stringify(name)}`, EXIT.notFound, 'see `codex-manager profile list`');
    delete config.profiles[name];
    if (config.currentProfile === name) delete config.currentProfile;
    saveConfig(config, ctx.env);
    return done(ctx, { status: 'ok', deleted: name }, `${ctx.paint('green', '✓')} deleted profile ${name}\n`);
  }

  const profile: Profile = { ...(config.profiles[name] ?? {}) };
  if (sub === 'set') {
    const baseUrl = text(parsed, 'base-url');
    if (baseUrl !== undefined) {
      try {
        if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error('not http');
      } catch {
        throw usageError(`--base-url ${JSON.stringify(baseUrl)} is not an http(s) URL`, 'e.g. --base-url http://127.0.0.1:8080');
      }
      profile.baseUrl = baseUrl.replace(/\/+$/, '');
    }
    const prefix = text(parsed, 'api-prefix');
    if (prefix !== undefined) profile.apiPrefix = prefix.startsWith('/') ? prefix : `/${prefix}`;
    const timeout = text(parsed, 'timeout-ms');
    if (timeout !== undefined) {
      const n = Number(timeout);
      if (!Number.isFinite(n) || n <= 0) throw usageError(`--timeout-ms ${JSON.stringify(timeout)} is not a positive number`, 'e.g. --timeout-ms 60000');
      profile.timeoutMs = Math.floor(n);
    }
    const headers = (parsed.values.get('header') ?? []).flatMap((r) => (r.kind === 'text' ? [r.text] : []));
    if (headers.length) profile.headers = { ...(profile.headers ?? {}), ...parseHeaderPairs(headers, '--header') };
  } else if (sub === 'auth-set') {
    const auth = { ...(profile.auth ?? {}) };
    for (const [flag, key] of [['bearer', 'bearer'], ['rbac-token', 'rbacToken'], ['role', 'role'], ['actor', 'actor']] as const) {
      const value = text(parsed, flag);
      if (value !== undefined) auth[key] = value || null;
    }
    profile.auth = { bearer: null, rbacToken: null, role: null, actor: null, ...auth };
  }
  config.profiles[name] = profile;
  config.currentProfile ??= name;
  const file = saveConfig(config, ctx.env);
  return done(ctx, { status: 'ok', profileName: name, profile: masked(profile) },
    `${ctx.paint('green', '✓')} profile ${name} saved to ${file} (mode 0600)${config.currentProfile === name ? ' (current)' : ''}\n`);
}
