import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The bearer token: random, created once with mode 0600 in the data dir, reused across
 * restarts so clients keep working. Only its file path is ever printed or logged.
 */
export function loadOrCreateToken(tokenFile: string): string {
  try {
    const existing = fs.readFileSync(tokenFile, 'utf8').trim();
    if (existing.length >= 32) {
      fs.chmodSync(tokenFile, 0o600);
      return existing;
    }
  } catch {
    // missing: create below
  }
  fs.mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const tmp = `${tokenFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, token + '\n', { mode: 0o600 });
  fs.renameSync(tmp, tokenFile);
  return token;
}

/** Constant-time comparison; hashing first makes the lengths equal without leaking them. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerFrom(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `host[:port]` → lowercase host name, brackets kept for IPv6. */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * DNS rebinding defence: a browser tricked into calling us through another name sends
 * that name as Host. Only loopback names and explicitly configured hosts are served.
 */
export function hostAllowed(hostHeader: string | undefined, extraHosts: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  return LOOPBACK_NAMES.has(name) || extraHosts.includes(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * Drive-by defence: browsers send Origin on cross-site requests. Non-browser clients
 * (CLI, Python) send none and pass; a page from anywhere but loopback or a configured
 * origin is refused.
 */
export function originAllowed(origin: string | undefined, extraOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (extraOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && hostAllowed(url.host, []);
  } catch {
    return false;
  }
}
