import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface CollectionSchedule {
  stop(): Promise<void>;
}

/**
 * Starts a collection (`tick`) on the cron expression, without waiting for
 * the previous one: each host keeps its own cadence, and the collector skips
 * a host whose previous pull is still running, so a hung host holds back no
 * other and two pulls of one host never overlap.
 */
export function scheduleCollections(expression: string, tick: () => Promise<unknown>, log: Logger): CollectionSchedule {
  const task = cron.schedule(
    expression,
    () => {
      tick().catch((error: unknown) => log.error({ err: error }, 'scheduled collection failed'));
    },
    { name: 'collector', logger: cronLogger(log) },
  );
  return {
    async stop() {
      await task.destroy();
    },
  };
}

/** node-cron's own messages (missed ticks and the like) as JSON lines like ours, not bare console text. */
function cronLogger(log: Logger) {
  const child = log.child({ component: 'node-cron' });
  const error = (message: string | Error, err?: Error) => child.error({ err: err ?? message }, String(message));
  return {
    info: (message: string) => child.info(message),
    warn: (message: string) => child.warn(message),
    error,
    debug: (message: string | Error, err?: Error) => child.debug({ err: err ?? message }, String(message)),
  };
}
