import { pino } from 'pino';
import type { Logger } from '../../src/log.js';

/** A logger as the server's (pino JSON lines) that keeps every line for the test to read. */
export function captureLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}
