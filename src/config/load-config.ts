import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseIni } from 'ini';
import type { Config } from './config.js';
import { intervalToCron, isValidCron } from './cron-schedule.js';
import { parseHostEntries } from './host-entries.js';
import { parseBoolean, parseDuration, parsePort, parsePositiveNumber, parseSize } from './units.js';

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
  server: ['host', 'port'],
  collector: ['secret_header', 'hosts', 'interval', 'schedule', 'timeout', 'max_body_size', 'max_concurrent', 'max_buffered'],
  sampler: ['enabled', 'interval', 'secret_header'],
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

  const hosts = value('collector', 'hosts', (raw) => raw, undefined, 'a list');
  const hostEntries = parseHostEntries(hosts);
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
  const collectorSecret = value('collector', 'secret_header', text_, undefined, 'the secret');

  return {
    warnings,
    config: {
      file,
      global: {
        dbpath: path.resolve(path.dirname(file), value('global', 'dbpath', text_, undefined, 'a folder')),
        retentionSeconds: value('global', 'retention', parseDuration, 30 * 86400, 'a duration such as 30d or 12h'),
      },
      server: {
        host: value('server', 'host', text_, '127.0.0.1', 'an address'),
        port: value('server', 'port', parsePort, 9999, 'a port number'),
      },
      collector: {
        secret: collectorSecret,
        hosts: hostEntries,
        schedule: cronExpression,
        timeoutSeconds: value('collector', 'timeout', parsePositiveNumber, 10, 'seconds'),
        maxBodyBytes,
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

/** Whole seconds, whole hosts. */
function parsePositiveInteger(text: string): number | null {
  const number = parsePositiveNumber(text);
  return number !== null && Number.isSafeInteger(number) ? number : null;
}
