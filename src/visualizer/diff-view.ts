import { flameTreeJson } from '../profile/flame-tree-json.js';
import { stackTriesToDiffTree } from '../profile/stack-tries-to-diff-tree.js';
import { parseBaselineRange, parsePath, unknownPath } from './analysis-params.js';
import { hostsToRead } from './host-names.js';
import { parseMaxNodes, parseThreshold, parseTimeRange, singleValue, type Query } from './query-params.js';
import { readStackTries, type StackTrieDeps } from './read-stack-tries.js';
import { jsonAnswer, type ViewAnswer } from './view-answer.js';

export interface DiffViewDeps extends StackTrieDeps {
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
  const [targetTrie, baselineTrie] = readStackTries(deps, [
    { hosts, from: target.from, until: target.until },
    { hosts: baseHosts, from: baseline.from, until: baseline.until },
  ]);
  const diff = stackTriesToDiffTree(targetTrie, baselineTrie, { threshold, maxNodes, path: path ?? undefined });
  if (diff === null) throw unknownPath(path!);
  const { tree, ...figures } = diff;
  const meta = {
    host, from: target.from, until: target.until, baseHost, baseFrom: baseline.from, baseUntil: baseline.until,
    threshold, maxNodes, ...figures, ...(path !== null ? { path } : {}),
  };
  return jsonAnswer(flameTreeJson(tree, { meta }));
}
