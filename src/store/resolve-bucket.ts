import { bucketRange, type StoreDatabases } from './layout.js';
import { LEVEL_SECONDS } from './levels.js';

/**
 * The value stored for a coarse bucket whose period holds exactly one finer
 * bucket: that bucket already is the sum, so it is not stored twice (with one
 * collection a minute, level 1 would otherwise copy level 0).
 */
export const SAME_AS_ONLY_FINER: Buffer = Buffer.alloc(0);

/** The packed counts of `host`'s bucket (`level`, `start`) whose stored value is `stored`. */
export function resolveBucket(dbs: StoreDatabases, host: string, level: number, start: number, stored: Uint8Array): Uint8Array {
  let packed = stored;
  let finerLevel = level - 1;
  let periodStart = start;
  while (packed.length === 0) {
    const range = bucketRange(host, finerLevel, periodStart, periodStart + LEVEL_SECONDS[finerLevel + 1]);
    const [only] = dbs.counts.getRange({ ...range, limit: 1 });
    if (only === undefined) throw new Error(`store is corrupt: bucket ${host} level ${finerLevel + 1} at ${periodStart} has no finer data`);
    packed = only.value;
    periodStart = only.key[2];
    finerLevel--;
  }
  return packed;
}
