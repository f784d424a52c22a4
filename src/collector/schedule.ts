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
    { name: 'collector', noOverlap: true },
  );
  task.on('execution:overlap', () => log.warn('previous collection still running; tick skipped'));
  return {
    async stop() {
      await task.destroy();
    },
  };
}
