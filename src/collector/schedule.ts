import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface CollectionSchedule {
  stop(): Promise<void>;
}

/**
 * Runs `collect` on the cron expression. A tick that comes while a run is
 * still going is skipped (node-cron's noOverlap, and the collector joins
 * overlapping calls anyway), so runs never overlap.
 */
export function scheduleCollections(expression: string, collect: () => Promise<unknown>, log: Logger): CollectionSchedule {
  const task = cron.schedule(
    expression,
    async () => {
      try {
        await collect();
      } catch (error) {
        log.error({ err: error }, 'scheduled collection failed');
      }
    },
    { name: 'collector', noOverlap: true, logger: cronLogger(log) },
  );
  task.on('execution:overlap', () => log.warn('previous collection still running; tick skipped'));
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
