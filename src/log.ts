import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout. LOG_LEVEL picks the level (default info); tests read
 * these lines, so each message is a stable phrase with its details as fields.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
