import type { RunningVisualizer } from '../harness.js';
import { CollectionSource, dailyLoad, serviceModel, type ServiceKind } from '../../../scripts/fleet-stacks.js';

const HOUR = 3600;
const WEEK = 7 * 24 * HOUR;

/**
 * A week of the fleet demo's deep stacks for one host, one collection an hour
 * ending at `now` (Django frames `func(module)`, Express frames
 * `name (file:line)`), so a 7-day graph is as deep and wide as a real one.
 */
export async function writeFleetWeek(
  server: RunningVisualizer, host: string, kind: ServiceKind, now: number, seed = 7,
): Promise<void> {
  const source = new CollectionSource(serviceModel(host, kind, seed, 30), seed);
  for (let time = now - WEEK + HOUR; time <= now; time += HOUR) {
    const samples = Math.round(2000 * dailyLoad(time));
    await server.store.write(host, time, source.collection(samples, time > now - WEEK / 2));
  }
}
