import { setFlagsFromString } from 'node:v8';

/**
 * Keeps every thread's young generation at the size it has. V8 doubles a
 * young generation each time a scavenge finds much of it alive, up to a
 * maximum it sizes by the machine's memory (32 MB of semispaces on the main
 * thread here), and never gives it back to a busy process: one burst of
 * allocation (a large push, a day of timeline reads) left the main thread
 * holding 32 MB it used 0-9 MB of. The maximum can only be set on the
 * command line (--max-semi-space-size), which `node dist/server.js` does
 * not have; the growth factor is read at each growth, so a factor of 1 set
 * at run time stops the growth. It is one flag for the whole process, and
 * V8 raises it back to 2, its least, whenever it sets up a new thread's
 * heap: so a process that holds it sets it again once each worker has started.
 */
const NO_GROWTH = '--semi-space-growth-factor=1';

let held = false;

/** Stops the young generations' growth from now on, in every thread of the process. */
export function holdYoungGenerations(): void {
  held = true;
  setFlagsFromString(NO_GROWTH);
}

/** Once a worker thread has started (its heap set up, the factor raised back to 2): holds the young generations again if the process holds them. */
export function holdAgainAfterThreadStart(): void {
  if (held) setFlagsFromString(NO_GROWTH);
}

/**
 * Threads whose heaps V8 sets up from now on start with semispaces of `mb`
 * (their resource limits still cap them): the size a thread that is held
 * will keep. V8 reads it only when it sets up a thread's heap, so it never
 * changes a running one's.
 */
export function startNewThreadsWithSemiSpaces(mb: number): void {
  setFlagsFromString(`--min-semi-space-size=${mb}`);
}
