import { performance } from 'node:perf_hooks';
import type { StackCounts } from '../profile/stack-counts.js';
import { addCapped } from './capped-stack-counts.js';
import { cpuProfileToStacks } from './cpu-profile-to-stacks.js';
import { frameLabel, type CallSite } from './frame-label.js';
import { originalCallSite } from './original-call-site.js';
import { rememberedLabels } from './remembered-labels.js';
import type { SamplerSettings } from './sampler-options.js';
import { V8CpuProfiler } from './v8-cpu-profiler.js';

/** What one read of the sampler hands out. */
export interface SamplerReading {
  /** Seconds since the previous reading (or since sampling started). */
  elapsed: number;
  /** Seconds between samples. */
  granularity: number;
  stacks: StackCounts;
}

/**
 * How long folding the V8 profile blocked the event loop: stopping the
 * profile, starting the next, and turning it into counts.
 */
export interface RotationPause {
  lastMs: number;
  maxMs: number;
  rotations: number;
}

/** Far more functions than a service runs, far less memory than a profile. */
const REMEMBERED_LABELS = 50_000;

type SamplerSettingsUsed = Pick<SamplerSettings, 'intervalSeconds' | 'rotateSeconds' | 'maxStacks' | 'root'>;

/**
 * Samples this thread's stacks with V8's CPU profiler from construction until
 * stop(), keeping counts per stack between readings. The profile is folded on
 * a timer, so memory stays bounded however rarely anybody reads.
 */
export class StackSampler {
  private profiler: V8CpuProfiler | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private counts: StackCounts = new Map();
  private since = performance.now();
  private readonly pause: RotationPause = { lastMs: 0, maxMs: 0, rotations: 0 };
  private readonly labelFrame: (site: CallSite) => string;

  constructor(private readonly settings: SamplerSettingsUsed) {
    this.labelFrame = rememberedLabels((site) => frameLabel(originalCallSite(site), settings.root), REMEMBERED_LABELS);
    try {
      this.profiler = new V8CpuProfiler(Math.round(settings.intervalSeconds * 1e6));
    } catch (err) {
      warn('could not start the V8 CPU profiler; serving no samples', err);
      return;
    }
    // unref: a profiler must never be what keeps a process alive.
    this.timer = setInterval(() => this.fold(), settings.rotateSeconds * 1000).unref();
  }

  /** The counts since the last reading, then counting starts afresh; undefined when not sampling. */
  read(): SamplerReading | undefined {
    this.fold();
    if (this.profiler === undefined) return undefined;
    const now = performance.now();
    const reading = { elapsed: (now - this.since) / 1000, granularity: this.settings.intervalSeconds, stacks: this.counts };
    this.counts = new Map();
    this.since = now;
    return reading;
  }

  rotationPause(): RotationPause {
    return { ...this.pause };
  }

  stop(): void {
    clearInterval(this.timer);
    const profiler = this.profiler;
    this.profiler = undefined;
    this.counts = new Map();
    profiler?.stop();
  }

  private stopAfterFailure(): void {
    try {
      this.stop();
    } catch {
      // The profiler has failed already and was reported; a second error says nothing new.
    }
  }

  private fold(): void {
    if (this.profiler === undefined) return;
    const started = performance.now();
    try {
      const stacks = cpuProfileToStacks(this.profiler.rotate(), this.labelFrame);
      addCapped(this.counts, stacks, this.settings.maxStacks);
    } catch (err) {
      // Runs on a timer inside someone else's service: failing must not crash it.
      warn('the V8 CPU profiler failed; sampling stopped', err);
      this.stopAfterFailure();
      return;
    }
    const pauseMs = performance.now() - started;
    this.pause.lastMs = pauseMs;
    this.pause.maxMs = Math.max(this.pause.maxMs, pauseMs);
    this.pause.rotations++;
  }
}

function warn(message: string, err: unknown): void {
  process.emitWarning(`liveprofiler sampler: ${message}: ${err instanceof Error ? err.message : String(err)}`);
}
