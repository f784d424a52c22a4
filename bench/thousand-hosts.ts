import { report } from './report.js';
import { queryMs, workloadServer } from './workload-server.js';
import { fleetWorkload } from './workload.js';

const HOSTS = Number(process.env.W4_HOSTS ?? 1000);
/** A collection a minute from a sampler that keeps a few hundred samples of a mostly idle minute. */
const SAMPLES_PER_COLLECTION = Number(process.env.W4_SAMPLES ?? 100);

/**
 * W4 (issue 12): 1,000 hosts of one application, a day of one collection a
 * minute each, written through the store's real write path (rollups
 * included), then `/profile/_all` over the whole day from the real server.
 */
export async function thousandHostsOneDay(runs: number): Promise<void> {
  console.error(`W4: ${HOSTS} hosts, one day, a collection every 60 s (${SAMPLES_PER_COLLECTION} samples each)`);
  const hosts = fleetWorkload('w4-', HOSTS, 4, SAMPLES_PER_COLLECTION);
  const { server, entries, ingest } = await workloadServer('w4', hosts, 60, 1);
  try {
    report(`W4 ingest (${HOSTS} hosts × 1,440 collections, ${(entries / 1e6).toFixed(0)} M entries, rollups included)`, entries / (ingest.ms / 1000), 'entries/s', 1_000_000, 'higher');
    // The stages apart, and CPU beside wall time: on a shared machine the wall time follows the load.
    report('W4 ingest, the writes alone', entries / ((ingest.ms - ingest.maintenanceMs) / 1000), 'entries/s', null, 'higher');
    report('W4 ingest per CPU second (every thread), rollups included', entries / (ingest.cpuMs / 1000), 'entries/s', null, 'higher');
    report('W4 maintenance after the writes (minute, hour and fleet buckets), CPU', ingest.maintenanceCpuMs / 1000, 's', null);
    report('W4 /profile/_all, last 24h', await queryMs(server, '/profile/_all/?from=-24h&until=now', Math.min(runs, 5)), 'ms', 300);
    report('W4 /profile/<one host>, last 24h', await queryMs(server, '/profile/w4-0/?from=-24h&until=now', runs), 'ms', null);
  } finally {
    await server.stop();
  }
}
