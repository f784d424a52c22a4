import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A parse cut into bounded pieces: the generator pauses (yields) between
 * them, and returns the result. The parse itself stays pure; its driver
 * decides whether to run it at once or with turns of the event loop between.
 */
export type ParseSteps<T> = Generator<void, T, void>;

/** Entries (lines, JSON items, samples) a parse handles between two pauses: about 10 ms. */
export const ENTRIES_PER_STEP = 5_000;

/** Runs every step at once: for callers that must answer synchronously. */
export function runAtOnce<T>(steps: ParseSteps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the steps with a turn of the event loop between them, so a body at
 * the [collector] max_stacks limit never holds the server for long.
 */
export async function runInTurns<T>(steps: ParseSteps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}
