/** Milliseconds since the epoch; passed in everywhere time is read, so tests can set it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function unixSeconds(clock: Clock): number {
  return Math.floor(clock() / 1000);
}
