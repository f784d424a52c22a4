import { buildStackTriesOfIds, type StackShapes, type StackTrie } from '../profile/stack-trie.js';
import type { StackStore, UnixSeconds } from '../store/stack-store.js';

export interface StackTrieDeps {
  store: StackStore;
  /** Learned once per stack id, reused by every profile. */
  shapes: StackShapes;
}

/** The samples of `hosts` from `from` to `until` (both inclusive). */
export interface SampleRead {
  hosts: readonly string[];
  from: UnixSeconds;
  until: UnixSeconds;
}

/**
 * One trie per read, all over `deps.shapes` (see buildStackTries), built
 * from stack ids: only the stacks the shapes have not seen yet are read as
 * strings, and none is kept; the answer needs only the names of the frames
 * it shows, which the shapes hold once each.
 */
export function readStackTries(deps: StackTrieDeps, reads: readonly SampleRead[]): StackTrie[] {
  const { store, shapes } = deps;
  const profiles = reads.map(({ hosts, from, until }) => store.readIds(hosts, from, until));
  return buildStackTriesOfIds(profiles, shapes, store);
}
