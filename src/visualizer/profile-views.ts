import { flameTreeJson } from '../profile/flame-tree-json.js';
import { HttpError } from '../http-error.js';
import { flameTreeToStackCounts } from '../profile/flame-tree-to-stack-counts.js';
import type { FlameNode } from '../profile/flame-tree.js';
import { flameSelectionCompactJson } from '../profile/flame-selection-compact-json.js';
import { flameSelectionJson } from '../profile/flame-selection-json.js';
import { pruneStackTrie, selectFlameNodes, type PruneFigures, type PruneOptions } from '../profile/prune-flame-tree.js';
import type { StackCounts } from '../profile/stack-counts.js';
import { sandwichStacks, sandwichTree } from '../profile/stack-counts-to-sandwich.js';
import { stackCountsUnderPath } from '../profile/stack-counts-under-path.js';
import type { StackTrie } from '../profile/stack-trie.js';
import { stackTrieToPathTree } from '../profile/stack-trie-to-path-tree.js';
import { asksForPruning, isExportFormat, parseFocus, parsePath, parseProfileFormat, unknownPath } from './analysis-params.js';
import { exportAnswer } from './export-response.js';
import { parseMaxNodes, parseThreshold, type Query, type TimeRange } from './query-params.js';
import { readStackTries, type StackTrieDeps } from './read-stack-tries.js';
import { jsonAnswer, type ViewAnswer } from './view-answer.js';

interface ViewTree extends PruneFigures {
  tree: FlameNode;
}

/**
 * GET /profile/:host/ in all its forms: the whole tree, one side of a
 * sandwich (`focus`, `view`), the detail under a node (`path`), each as
 * JSON or as an export (`format`); the whole tree and a detail also as
 * compact JSON (`format=compact`). Exports are the exact stacks of the view
 * unless `threshold` or `max_nodes` ask for the pruned picture.
 * A focus absent from the range is an empty tree rooted at it (the function
 * simply did not run); a path absent from it is a 404, as there is no node
 * to draw the detail of.
 */
export function profileView(query: Query, deps: StackTrieDeps, host: string, hosts: string[], range: TimeRange): ViewAnswer {
  const focus = parseFocus(query);
  const path = parsePath(query);
  if (focus !== null && path !== null) throw new HttpError(400, 'path: cannot be combined with focus; give one of them');
  const format = parseProfileFormat(query);
  if (format === 'compact' && focus !== null) throw new HttpError(400, 'format: compact is written for the whole tree and path=, not with focus; leave format out');
  const prune: PruneOptions = { threshold: parseThreshold(query), maxNodes: parseMaxNodes(query) };
  // The views that need every stack's string read them; the others are built from stack ids.
  const stacks = (): StackCounts => deps.store.read(hosts, range.from, range.until);
  const readTrie = (): StackTrie => readStackTries(deps, [{ hosts, from: range.from, until: range.until }])[0];

  const viewTree = (): ViewTree => {
    if (focus !== null) return sandwichTree(stacks(), focus.name, focus.view, prune);
    const trie = readTrie();
    if (path === null) return pruneStackTrie(trie, prune);
    const detail = stackTrieToPathTree(trie, path, prune);
    if (detail === null) throw unknownPath(path);
    return detail;
  };

  if (isExportFormat(format)) {
    let exported: StackCounts;
    if (asksForPruning(query)) exported = flameTreeToStackCounts(viewTree().tree, { includeRoot: focus !== null });
    else if (focus !== null) exported = sandwichStacks(stacks(), focus.name, focus.view);
    else if (path !== null) exported = stackCountsUnderPath(stacks(), path);
    else exported = stacks();
    if (path !== null && exported.size === 0) throw unknownPath(path);
    const title = focus !== null ? `${host} ${focus.view} of ${focus.name}` : host;
    const dataFrom = range.from === 0 ? Math.min(deps.store.firstTime(hosts) ?? range.until, range.until) : range.from;
    return exportAnswer(format, exported, host, range, title, dataFrom);
  }

  const meta = ({ nodes, prunedNodes, prunedSamples }: PruneFigures) => ({
    host, from: range.from, until: range.until, threshold: prune.threshold, maxNodes: prune.maxNodes,
    nodes, prunedNodes, prunedSamples,
    ...(focus !== null ? { focus: focus.name, view: focus.view } : {}),
    ...(path !== null ? { path } : {}),
  });
  const body = (): string | Buffer => {
    if (focus !== null) {
      const sandwich = sandwichTree(stacks(), focus.name, focus.view, prune);
      return flameTreeJson(sandwich.tree, { meta: meta(sandwich) });
    }
    // The whole tree and the detail under a path are written from the pruned selection: no node becomes an object.
    const trie = readTrie();
    const under = path === null ? trie.root : trie.nodeAtPath(path);
    if (under === -1) throw unknownPath(path!);
    const selection = selectFlameNodes(trie, { ...prune, under });
    const write = format === 'compact' ? flameSelectionCompactJson : flameSelectionJson;
    return write(selection, { meta: meta(selection) });
  };
  return jsonAnswer(body());
}
