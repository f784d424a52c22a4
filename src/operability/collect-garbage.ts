import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's collector. Node exposes it only with --expose-gc, a flag of the whole
 * process: set here, it applies to contexts made after it, such as the one
 * this function is taken from. Called with no argument it collects the whole
 * heap; `{ type: 'minor' }` only the young generation. (Node 20's V8 reads
 * any other argument, `{ type: 'major' }` included, as the legacy truthy
 * one: a young-generation collection.)
 */
setFlagsFromString('--expose-gc');
export const collectGarbage = runInNewContext('gc') as (options?: { type: 'minor' }) => void;
