import { Session, console as inspectorConsole, type Profiler } from 'node:inspector';

const BRIDGE_PROFILE = 'liveprofiler rotation';

/**
 * This thread's V8 CPU profiler, through an inspector session. A session
 * connected to its own thread answers `post` before it returns, so every
 * method here has finished, and its cost has been paid, when it returns.
 */
export class V8CpuProfiler {
  private readonly session = new Session();

  constructor(intervalMicroseconds: number) {
    this.session.connect();
    try {
      this.post('Profiler.enable');
      this.post('Profiler.setSamplingInterval', { interval: intervalMicroseconds });
      this.post('Profiler.start');
    } catch (err) {
      this.session.disconnect();
      throw err;
    }
  }

  /** Ends the running profile and starts the next at once: the inspector keeps one profile at a time. */
  rotate(): Profiler.Profile {
    // Stopping the only profile disposes V8's CpuProfiler, and starting again
    // rebuilds its code map by walking the whole heap: 50-180 ms measured in a
    // small Express app. A console profile kept open across the swap keeps the
    // CpuProfiler, and so its code map, alive; the swap then takes about 1 ms.
    inspectorConsole.profile(BRIDGE_PROFILE);
    try {
      const { profile } = this.post('Profiler.stop') as Profiler.StopReturnType;
      this.post('Profiler.start');
      return profile;
    } finally {
      inspectorConsole.profileEnd(BRIDGE_PROFILE);
    }
  }

  stop(): void {
    try {
      this.post('Profiler.stop');
      this.post('Profiler.disable');
    } finally {
      this.session.disconnect();
    }
  }

  private post(method: string, params?: object): object {
    let answer: { err: Error | null; result?: object } | undefined;
    this.session.post(method, params, (err, result) => {
      answer = { err, result };
    });
    if (answer === undefined) throw new Error(`inspector did not answer ${method} synchronously`);
    if (answer.err) throw answer.err;
    return answer.result ?? {};
  }
}
