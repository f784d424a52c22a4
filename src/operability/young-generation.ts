import { setFlagsFromString } from 'node:v8';

/**
 * Keeps every thread's young generation at the size it starts with. V8
 * doubles a young generation each time a scavenge finds much of it alive,
 * up to a maximum it sizes by the machine's memory (32 MB of semispaces on
 * the main thread here), and never gives it back: one burst of allocation
 * (a large push, a day of timeline reads) left the main thread holding
 * 32 MB it used 0-9 MB of. The maximum can only be set on the command line
 * (--max-semi-space-size), which `node dist/server.js` does not have, but
 * the growth factor is read at each growth, so setting it to 1 here, before
 * the server allocates, stops the growth for the main thread and for every
 * worker started after it. Imported for this effect by server.ts, first.
 */
setFlagsFromString('--semi-space-growth-factor=1');
