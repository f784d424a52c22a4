import type { FlameNode } from './flame-tree.js';
import { pruneStackTrie, type PruneOptions } from './prune-flame-tree.js';
import { StackTrie } from './stack-trie.js';

/**
 * A node of the comparison of two profiles. `target` and `baseline` are the
 * exact samples of this frame (children included) on each side. Ranges
 * differ in length, so the drawing works on shares of each side's total:
 * `value` (the width d3-flame-graph draws) is targetShare + baselineShare,
 * and `delta` (what its differential colour mapper reads) is
 * targetShare - baselineShare: positive grew, negative shrank, equal to
 * `value` new in the target.
 */
export interface DiffNode extends FlameNode {
  target: number;
  baseline: number;
  delta: number;
  children?: DiffNode[];
}

export interface DiffTree {
  tree: DiffNode & { name: 'root'; children: DiffNode[] };
  targetTotal: number;
  baselineTotal: number;
  nodes: number;
  prunedNodes: number;
  /** Samples of each side moved into "(other)" nodes. */
  prunedTarget: number;
  prunedBaseline: number;
}

export interface DiffOptions extends Omit<PruneOptions, 'under' | 'describe'> {
  /** Frames from the root to a node: answer the detail under it (see PruneOptions.under). */
  path?: readonly string[];
}

/**
 * One tree over the stacks of both profiles, from their tries (built
 * together, over the same shapes: a stack seen on one side only is present
 * with 0 on the other), pruned by combined share so what grew from nothing
 * and what vanished both stay visible; "(other)" nodes carry the exact sums
 * of what they hide on each side. Null when `path` names a node neither side
 * has.
 */
export function stackTriesToDiffTree(targetTrie: StackTrie, baselineTrie: StackTrie, options: DiffOptions): DiffTree | null {
  // The root holds every sample: the totals are exact integer sums.
  const targetTotal = targetTrie.value(targetTrie.root);
  const baselineTotal = baselineTrie.value(baselineTrie.root);
  // Pruned by each node's combined share, so both sides' heavy frames are kept.
  const combinedTrie = StackTrie.weightedSum(
    [targetTrie, baselineTrie],
    [targetTotal === 0 ? 0 : 1 / targetTotal, baselineTotal === 0 ? 0 : 1 / baselineTotal],
  );
  const share = (samples: number, total: number) => (total === 0 ? 0 : samples / total);
  let prunedTarget = 0;
  let prunedBaseline = 0;

  const under = options.path === undefined ? combinedTrie.root : combinedTrie.nodeAtPath(options.path);
  if (under === -1) return null;
  const pruned = pruneStackTrie(combinedTrie, {
    threshold: options.threshold,
    maxNodes: options.maxNodes,
    under,
    describe(node, trieNodes) {
      let targetSamples = 0;
      let baselineSamples = 0;
      for (const trieNode of trieNodes) {
        targetSamples += targetTrie.value(trieNode);
        baselineSamples += baselineTrie.value(trieNode);
      }
      const targetShare = share(targetSamples, targetTotal);
      const baselineShare = share(baselineSamples, baselineTotal);
      if (node.other) {
        prunedTarget += targetSamples;
        prunedBaseline += baselineSamples;
      }
      const diff = node as DiffNode;
      diff.target = targetSamples;
      diff.baseline = baselineSamples;
      // From the exact counts rather than the trie's float sums, so equal shares give exactly 0.
      diff.value = targetShare + baselineShare;
      diff.delta = targetShare - baselineShare;
    },
  });
  return {
    tree: pruned.tree as DiffTree['tree'],
    targetTotal,
    baselineTotal,
    nodes: pruned.nodes,
    prunedNodes: pruned.prunedNodes,
    prunedTarget,
    prunedBaseline,
  };
}
