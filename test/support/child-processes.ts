import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Children spawned through spawnOwned that have not exited, with the signal each is ended by. */
const running = new Map<ChildProcess, NodeJS.Signals>();
// Ended when this process exits with them still running (a failed test, Ctrl-C, the runner's
// --test-timeout), and before the temp folders go: an orphan would run on, holding its port and
// writing into a deleted folder.
process.prependListener('exit', () => {
  for (const [child, signal] of running) child.kill(signal);
});

export interface OwnedOptions {
  /**
   * The signal that ends the child if this process exits first. SIGKILL by default; SIGTERM for a
   * child with children of its own, which it stops on SIGTERM (a SIGKILL would orphan them).
   */
  endWith?: NodeJS.Signals;
}

/** `spawn`, the child ended (see OwnedOptions) if this process exits while it runs. */
export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions, { endWith = 'SIGKILL' }: OwnedOptions = {}): ChildProcess {
  const child = spawn(command, args, options);
  running.set(child, endWith);
  child.once('exit', () => running.delete(child));
  return child;
}
