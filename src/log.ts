import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/**
 * JSON lines on stdout, one object a line, for log shippers and for the
 * tests that read them; a person at a terminal gets the same lines pretty,
 * one line each. LOG_LEVEL picks the level (default info); each message is a
 * stable phrase with its details as fields.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (!process.stdout.isTTY) return pino(options);
  return pino(options, PinoPretty({ colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', sync: true }));
}
