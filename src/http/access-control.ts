import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { HttpError } from '../http-error.js';
import { sha256 } from '../profiler-token.js';
import { verifyPassword, type PasswordHash } from './password-hash.js';

/** Who may read the pages and the API: `[server] user`/`password_hash` and/or `token_sha256`. */
export interface AccessCredentials {
  basic: { user: string; password: PasswordHash } | null;
  /** SHA-256 of the bearer token: the config never holds the token itself. */
  tokenSha256: Buffer | null;
}

const REALM = 'liveprofiler';
/** Verified Authorization values remembered, so a page's dozen requests cost one scrypt. */
const REMEMBERED_LOGINS = 64;
/** Distinct password checks running at once; beyond it a guesser waits, the thread pool stays free. */
const MAX_CHECKS_AT_ONCE = 4;

/**
 * Requires credentials on every path except `openPaths` (routes that carry
 * their own secret, and health probes): HTTP Basic checked against an scrypt
 * hash, or a bearer token checked against its SHA-256. Every comparison is
 * constant-time; a wrong user name costs the same scrypt as a wrong password.
 */
export function accessControl(credentials: AccessCredentials, openPaths: readonly string[]): RequestHandler {
  const verified = new Set<string>();
  const checking = new Map<string, Promise<boolean>>();

  async function basicLoginIsValid(encoded: string): Promise<boolean> {
    const { basic } = credentials;
    if (basic === null) return false;
    const key = sha256(encoded).toString('hex');
    if (verified.has(key)) return true;
    let check = checking.get(key);
    if (check === undefined) {
      if (checking.size >= MAX_CHECKS_AT_ONCE) throw new HttpError(429, 'too many logins being checked at once; retry in a second');
      check = checkBasic(basic, encoded).finally(() => checking.delete(key));
      checking.set(key, check);
    }
    if (!(await check)) return false;
    if (verified.size >= REMEMBERED_LOGINS) verified.delete(verified.values().next().value!);
    verified.add(key);
    return true;
  }

  return async (req, res, next) => {
    if (openPaths.includes(req.path)) return next();
    const [scheme, value] = splitAuthorization(req.headers.authorization);
    let allowed = false;
    if (scheme === 'bearer' && credentials.tokenSha256 !== null) {
      allowed = timingSafeEqual(sha256(value), credentials.tokenSha256);
    } else if (scheme === 'basic') {
      allowed = await basicLoginIsValid(value);
    }
    if (allowed) return next();
    refuse(res, credentials, scheme === null ? 'credentials required' : 'wrong credentials');
  };
}

function splitAuthorization(header: string | undefined): [scheme: 'basic' | 'bearer' | null, value: string] {
  if (header === undefined) return [null, ''];
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return [null, ''];
  return [scheme, space < 0 ? '' : header.slice(space + 1).trim()];
}

async function checkBasic(basic: NonNullable<AccessCredentials['basic']>, encoded: string): Promise<boolean> {
  const login = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = login.indexOf(':');
  const user = colon < 0 ? login : login.slice(0, colon);
  const password = colon < 0 ? '' : login.slice(colon + 1);
  const userMatches = timingSafeEqual(sha256(user), sha256(basic.user));
  const passwordMatches = await verifyPassword(password, basic.password);
  return userMatches && passwordMatches;
}

/** 401 with the challenge a browser answers with its login prompt. */
function refuse(res: Response, credentials: AccessCredentials, reason: string): void {
  const challenges: string[] = [];
  if (credentials.basic !== null) challenges.push(`Basic realm="${REALM}", charset="UTF-8"`);
  if (credentials.tokenSha256 !== null) challenges.push(`Bearer realm="${REALM}"`);
  res.setHeader('WWW-Authenticate', challenges);
  res.status(401).json({ error: reason });
}
