import { flameTreeJson } from '../profile/flame-tree-json.js';
import { stackCountsToDiffTree } from '../profile/stack-counts-to-diff-tree.js';
import type { StackShapes } from '../profile/stack-trie.js';
import type { StackStore } from '../store/stack-store.js';
import { parseBaselineRange, parsePath, unknownPath } from './analysis-params.js';
import { hostsToRead } from './host-names.js';
import { parseMaxNodes, parseThreshold, parseTimeRange, singleValue, type Query } from './query-params.js';
import { jsonAnswer, type ViewAnswer } from './view-answer.js';

export interface DiffViewDeps {
  store: StackStore;
  shapes: StackShapes;
  configuredHosts: readonly string[];
}

/**
 * GET /diff/:host/: the target range of `hosts` against a baseline range of
 * `base_host` (default the same host), as one tree with both sides' exact
 * samples per node; `path` answers the detail under one node.
 */
export function diffView(query: Query, deps: DiffViewDeps, host: string, hosts: string[], nowSeconds: number): ViewAnswer {
  const { store } = deps;
  const target = parseTimeRange(query, nowSeconds);
  const baseline = parseBaselineRange(query, nowSeconds, target);
  const baseHost = singleValue(query, 'base_host') ?? host;
  // Through hostsToRead like every route, so whatever names a host there (labels, selectors) names a baseline too.
  const baseHosts = hostsToRead(baseHost, deps.configuredHosts, store);
  const threshold = parseThreshold(query);
  const maxNodes = parseMaxNodes(query);
  const path = parsePath(query);
  const diff = stackCountsToDiffTree(
    store.read(hosts, target.from, target.until),
    store.read(baseHosts, baseline.from, baseline.until),
    { threshold, maxNodes, path: path ?? undefined },
    deps.shapes,
  );
  if (diff === null) throw unknownPath(path!);
  const { tree, ...figures } = diff;
  const meta = {
    host, from: target.from, until: target.until, baseHost, baseFrom: baseline.from, baseUntil: baseline.until,
    threshold, maxNodes, ...figures, ...(path !== null ? { path } : {}),
  };
  return jsonAnswer(flameTreeJson(tree, { meta }));
}
