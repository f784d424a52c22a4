import { addSamples, type StackCounts } from '../profile/stack-counts.js';
import type { CallSite } from './frame-label.js';

/** The parts of a V8 CPU profile (inspector `Profiler.Profile`) that stacks are made of. */
export interface CpuProfile {
  /** The call tree; the first node is V8's `(root)`. */
  nodes: CpuProfileNode[];
  /** The node on top of the stack at each sample. */
  samples?: number[];
  timeDeltas?: number[];
}

export interface CpuProfileNode {
  id: number;
  callFrame: CallSite;
  children?: number[];
  /** Samples with this node on top; used only when `samples` is absent. */
  hitCount?: number;
}

/** V8 samples the event loop waiting as `(idle)`: that is not CPU time, so it is not counted. */
const IDLE = '(idle)';

/**
 * Counts the samples of one CPU profile per stack, root first, frames labelled
 * by `labelFrame`. The tree's root (V8's `(root)`) is no frame of its own;
 * `(program)` and `(garbage collector)` are kept as stacks of one frame.
 */
export function cpuProfileToStacks(profile: CpuProfile, labelFrame: (site: CallSite) => string): StackCounts {
  const stackOf = stackLabeller(profile.nodes, labelFrame);
  const counts: StackCounts = new Map();
  for (const [id, samples] of samplesPerNode(profile)) {
    const stack = stackOf(id);
    if (stack !== undefined) addSamples(counts, stack, samples);
  }
  return counts;
}

function samplesPerNode(profile: CpuProfile): Map<number, number> {
  const perNode = new Map<number, number>();
  if (profile.samples === undefined) {
    for (const node of profile.nodes) if (node.hitCount) perNode.set(node.id, node.hitCount);
    return perNode;
  }
  for (const id of profile.samples) perNode.set(id, (perNode.get(id) ?? 0) + 1);
  return perNode;
}

/**
 * The folded stack of each node, or undefined for nodes whose samples are not
 * counted (idle, the bare root). Stacks are memoised, since every sample of a
 * busy function shares its callers' prefix.
 */
function stackLabeller(nodes: CpuProfileNode[], labelFrame: (site: CallSite) => string): (id: number) => string | undefined {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, CpuProfileNode>();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const stacks = new Map<number, string>();

  const stackOf = (node: CpuProfileNode): string => {
    // Walk up to the nearest labelled ancestor, then label back down: no recursion, so deep stacks are fine.
    const unlabelled: CpuProfileNode[] = [];
    let prefix = '';
    for (let at: CpuProfileNode | undefined = node; at !== undefined; at = parentOf.get(at.id)) {
      const labelled = stacks.get(at.id);
      if (labelled !== undefined) {
        prefix = labelled;
        break;
      }
      if (unlabelled.length > nodes.length) throw new Error(`CPU profile has a cycle through node ${at.id}`);
      unlabelled.push(at);
    }
    for (let i = unlabelled.length - 1; i >= 0; i--) {
      const at = unlabelled[i];
      const isRoot = !parentOf.has(at.id);
      const frame = isRoot ? '' : labelFrame(at.callFrame);
      prefix = prefix === '' ? frame : `${prefix};${frame}`;
      stacks.set(at.id, prefix);
    }
    return prefix;
  };

  return (id) => {
    const node = byId.get(id);
    if (node === undefined) throw new Error(`CPU profile has a sample of node ${id}, which it does not contain`);
    if (node.callFrame.functionName === IDLE && node.callFrame.url === '') return undefined;
    const stack = stackOf(node);
    return stack === '' ? undefined : stack;
  };
}
