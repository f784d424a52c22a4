import cron from 'node-cron';

/**
 * The cron expression (node-cron, with seconds) that runs every `seconds`,
 * aligned to the clock, or null when cron cannot express that interval evenly.
 */
export function intervalToCron(seconds: number): string | null {
  if (seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  if (seconds % 60 === 0 && seconds < 3600 && 3600 % seconds === 0) return `0 */${seconds / 60} * * * *`;
  if (seconds % 3600 === 0 && seconds < 86400 && 86400 % seconds === 0) return `0 0 */${seconds / 3600} * * *`;
  if (seconds === 86400) return '0 0 0 * * *';
  return null;
}

export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
}
