import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse as parseIni } from 'ini';
import type { AccessCredentials } from '../http/access-control.js';
import { parsePasswordHash } from '../http/password-hash.js';
import type { Config } from './config.js';
import { intervalToCron, isValidCron } from './cron-schedule.js';
import { DEFAULT_MAX_STACKS } from '../collector/formats/parsed-samples.js';
import { parseHostEntries } from './host-entries.js';
import { STACK_CACHE_CHARS } from '../store/stack-cache.js';
import { ANSWER_CACHE_BYTES } from '../visualizer/answer-cache.js';
import { parseBoolean, parseDuration, parsePort, parsePositiveInteger, parsePositiveNumber, parseSize } from './units.js';

/** A configuration problem, worded as the one line start-up prints. */
export class ConfigError extends Error {
  constructor(file: string, section: string | null, key: string | null, problem: string) {
    const where = section === null ? '' : key === null ? `[${section}]: ` : `[${section}] ${key}: `;
    super(`${file}: ${where}${problem}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: Config;
  /** Unknown keys in known sections: worth a warning, not a refusal. */
  warnings: string[];
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  global: ['dbpath', 'retention'],
  server: ['host', 'port', 'max_connections', 'header_timeout', 'request_timeout', 'shutdown_grace', 'user', 'password_hash', 'token_sha256', 'query_workers', 'query_queue', 'query_timeout', 'query_memory'],
  collector: ['enabled', 'secret_header', 'hosts', 'interval', 'schedule', 'timeout', 'max_body_size', 'max_stacks', 'max_concurrent', 'max_buffered'],
  sampler: ['enabled', 'interval', 'secret_header'],
  store: ['stack_cache', 'answer_cache'],
};

type Section = Record<string, unknown>;

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, null, null, `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseConfig(text, path.resolve(file));
}

/** Validates the INI text of `file` into a Config; relative paths resolve against the file's folder. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const ini = parseIni(text) as Record<string, unknown>;
  const warnings: string[] = [];
  const sections = Object.fromEntries(
    Object.keys(KNOWN_KEYS).map((name) => {
      const section = ini[name];
      return [name, typeof section === 'object' && section !== null ? (section as Section) : {}];
    }),
  ) as Record<keyof typeof KNOWN_KEYS, Section>;
  for (const [name, keys] of Object.entries(KNOWN_KEYS)) {
    for (const key of Object.keys(sections[name])) {
      if (!keys.includes(key)) warnings.push(`${file}: [${name}] ${key}: unknown key, ignored`);
    }
  }

  /** Reads one key: the raw text, or the default when absent; `read` turns text into a value or null. */
  function value<T>(section: string, key: string, read: (text: string) => T | null, fallback: T | undefined, expected: string): T {
    const raw = sections[section][key];
    if (raw === undefined || raw === '') {
      if (fallback === undefined) throw new ConfigError(file, section, key, 'is required');
      return fallback;
    }
    if (typeof raw !== 'string') throw new ConfigError(file, section, key, `must be a single value, ${expected}`);
    const parsed = read(raw.trim());
    if (parsed === null) throw new ConfigError(file, section, key, `cannot read "${raw}": expected ${expected}`);
    return parsed;
  }
  const text_ = (raw: string) => raw;

  // A read-only visualizer (enabled = 0) pulls nothing, so needs neither hosts nor the samplers' secret.
  const collectorEnabled = value('collector', 'enabled', parseBoolean, true, '1 or 0');
  const hosts = value('collector', 'hosts', (raw) => raw, collectorEnabled ? undefined : '', 'a list');
  const hostEntries = hosts === '' ? [] : parseHostEntries(hosts);
  if (typeof hostEntries === 'string') throw new ConfigError(file, 'collector', 'hosts', hostEntries);

  const schedule = value<string | null>('collector', 'schedule', text_, null, 'a cron expression');
  if (schedule !== null && !isValidCron(schedule)) {
    throw new ConfigError(file, 'collector', 'schedule', `cannot read "${schedule}": expected a cron expression such as "*/30 * * * * *"`);
  }
  const interval = value('collector', 'interval', parsePositiveInteger, 60, 'a whole number of seconds');
  const cronExpression = schedule ?? intervalToCron(interval);
  if (cronExpression === null) {
    throw new ConfigError(file, 'collector', 'interval', `${interval} seconds does not divide a minute, an hour or a day evenly; set [collector] schedule to a cron expression instead`);
  }

  const maxBodyBytes = value('collector', 'max_body_size', parseSize, 32 * 1024 ** 2, 'a size such as 32MB');
  // Default: room for the bodies of 8 of the largest hosts at once; many more hosts than that answer in a few KB.
  const maxBufferedBytes = value('collector', 'max_buffered', parseSize, Math.max(256 * 1024 ** 2, maxBodyBytes), 'a size such as 256MB');
  if (maxBufferedBytes < maxBodyBytes) {
    throw new ConfigError(file, 'collector', 'max_buffered', `${maxBufferedBytes} bytes is less than max_body_size (${maxBodyBytes} bytes): one full body must fit`);
  }

  const samplerEnabled = value('sampler', 'enabled', parseBoolean, false, '1 or 0');
  const collectorSecret = value('collector', 'secret_header', text_, collectorEnabled ? undefined : '', 'the secret');

  const headerTimeoutSeconds = value('server', 'header_timeout', parseDuration, 10, 'a duration such as 10s');
  const requestTimeoutSeconds = value('server', 'request_timeout', parseDuration, 60, 'a duration such as 60s');
  if (requestTimeoutSeconds < headerTimeoutSeconds) {
    throw new ConfigError(file, 'server', 'request_timeout', `${requestTimeoutSeconds} s is shorter than [server] header_timeout (${headerTimeoutSeconds} s)`);
  }

  return {
    warnings,
    config: {
      file,
      global: {
        dbpath: path.resolve(path.dirname(file), value('global', 'dbpath', text_, undefined, 'a folder')),
        retentionSeconds: value('global', 'retention', parseDuration, 30 * 86400, 'a duration such as 30d or 12h'),
      },
      store: {
        stackCacheChars: value('store', 'stack_cache', parseSize, STACK_CACHE_CHARS, 'a size such as 64MB'),
        answerCacheBytes: value('store', 'answer_cache', parseSizeOrZero, ANSWER_CACHE_BYTES, 'a size such as 16MB, or 0 for none'),
      },
      server: {
        host: value('server', 'host', text_, '127.0.0.1', 'an address'),
        port: value('server', 'port', parsePort, 9999, 'a port number'),
        maxConnections: value('server', 'max_connections', parsePositiveInteger, 512, 'a whole number above 0'),
        headerTimeoutSeconds,
        requestTimeoutSeconds,
        shutdownGraceSeconds: value('server', 'shutdown_grace', parseDuration, 10, 'a duration such as 10s'),
        access: readAccessCredentials(value, file),
        // One core stays for the event loop: collection, /hosts and sending answers.
        queryWorkers: value('server', 'query_workers', parsePositiveInteger, Math.max(1, availableParallelism() - 1), 'a whole number of worker threads'),
        queryQueue: value('server', 'query_queue', parsePositiveInteger, 64, 'a whole number of queries'),
        queryTimeoutSeconds: value('server', 'query_timeout', parseDuration, 60, 'a duration such as 60s'),
        queryMemoryMb: value<number | null>('server', 'query_memory', parseMegabytes, null, 'a size of at least 16MB, such as 1GB'),
      },
      collector: {
        enabled: collectorEnabled,
        secret: collectorSecret,
        hosts: hostEntries,
        schedule: cronExpression,
        timeoutSeconds: value('collector', 'timeout', parsePositiveNumber, 10, 'seconds'),
        maxBodyBytes,
        maxStacks: value('collector', 'max_stacks', parsePositiveInteger, DEFAULT_MAX_STACKS, 'a whole number of stacks such as 100000'),
        // Default far above the hung hosts a fleet is likely to have at once: each holds its slot until its timeout.
        maxConcurrent: value('collector', 'max_concurrent', parsePositiveInteger, 256, 'a whole number of hosts'),
        maxBufferedBytes,
      },
      sampler: {
        enabled: samplerEnabled,
        intervalSeconds: value('sampler', 'interval', parsePositiveNumber, 0.01, 'seconds such as 0.01'),
        // The 2016 tool configured the sampler's secret separately; an enabled sampler needs one.
        secret: value('sampler', 'secret_header', text_, samplerEnabled ? undefined : '', 'the secret'),
      },
    },
  };
}

type ReadValue = <T>(section: string, key: string, read: (text: string) => T | null, fallback: T | undefined, expected: string) => T;

/** `[server] user` + `password_hash` (HTTP Basic) and/or `token_sha256` (bearer); null when neither is set. */
function readAccessCredentials(value: ReadValue, file: string): AccessCredentials | null {
  // Basic splits the login at its first ':', so a user name cannot hold one.
  const user = value<string | null>('server', 'user', (raw) => (raw.includes(':') ? null : raw), null, 'a user name without ":"');
  const password = value('server', 'password_hash', parsePasswordHash, null, 'scrypt:N:r:p:SALT:HASH as printed by liveprofiler --hash-password');
  const tokenSha256 = value('server', 'token_sha256', parseSha256Hex, null, '64 hex digits, the SHA-256 of the token');
  if (user !== null && password === null) throw new ConfigError(file, 'server', 'password_hash', 'is required with [server] user');
  if (user === null && password !== null) throw new ConfigError(file, 'server', 'user', 'is required with [server] password_hash');
  if (user === null && tokenSha256 === null) return null;
  return { basic: user !== null && password !== null ? { user, password } : null, tokenSha256 };
}

/** A size, or 0 for none of it. */
function parseSizeOrZero(text: string): number | null {
  return text.trim() === '0' ? 0 : parseSize(text);
}

/** A worker's heap limit: whole MB, at least what a worker needs to start. */
function parseMegabytes(text: string): number | null {
  const bytes = parseSize(text);
  return bytes !== null && bytes >= 16 * 1024 ** 2 ? Math.floor(bytes / 1024 ** 2) : null;
}

function parseSha256Hex(text: string): Buffer | null {
  return /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : null;
}
