import { unixSeconds } from '../clock.js';
import { sortFunctions, stackTrieToFunctions } from '../profile/stack-trie-to-functions.js';
import { parseFunctionOrder, parseLimit } from './analysis-params.js';
import { diffView } from './diff-view.js';
import { hostsToRead } from './host-names.js';
import { profileView } from './profile-views.js';
import { parseTimeRange, type Query } from './query-params.js';
import { readStackTries, type StackTrieDeps } from './read-stack-tries.js';
import { timelineOf } from './timeline.js';
import { jsonAnswer, type ViewAnswer } from './view-answer.js';

/** The routes whose answers are computed from stored samples: /profile (and its exports), /functions, /diff, /timeline. */
export type QueryRoute = 'profile' | 'functions' | 'diff' | 'timeline';

/** One request of a query route, as plain data: what crosses to the thread that answers it. */
export interface QueryJob {
  route: QueryRoute;
  /** The `:host` of the URL: a host, a series, a selector or `_all`. */
  host: string;
  query: Query;
  /**
   * The clock's reading when the request arrived (ms): relative ranges and
   * retention are resolved against it, wherever and whenever the job runs.
   * The store the job reads must read the same clock.
   */
  nowMs: number;
  /** Whether the client takes the answer gzipped. */
  gzip: boolean;
  /** Whether the answer is to be kept (see answer-cache.ts): then it comes with its MetaTail where it has one. */
  keep?: boolean;
}

export interface QueryViewDeps extends StackTrieDeps {
  /** Host names (labels) from the config, in config order. */
  configuredHosts: readonly string[];
}

/** The finished answer to `job`; a bad request throws the HttpError the route answers with. */
export function answerQuery(job: QueryJob, deps: QueryViewDeps): ViewAnswer {
  const { store, configuredHosts } = deps;
  const { host, query } = job;
  const hosts = hostsToRead(host, configuredHosts, store);
  const now = unixSeconds(() => job.nowMs);
  if (job.route === 'profile') return profileView(query, deps, host, hosts, parseTimeRange(query, now));
  if (job.route === 'diff') return diffView(query, deps, host, hosts, now);
  if (job.route === 'timeline') return jsonAnswer(JSON.stringify(timelineOf(store, hosts, parseTimeRange(query, now))));
  return functionsView(query, deps, host, hosts, now);
}

/** GET /functions/:host/: every function's self and total samples, sorted, optionally the first `limit`. */
function functionsView(query: Query, deps: QueryViewDeps, host: string, hosts: string[], now: number): ViewAnswer {
  const { from, until } = parseTimeRange(query, now);
  const sort = parseFunctionOrder(query);
  const limit = parseLimit(query);
  const [trie] = readStackTries(deps, [{ hosts, from, until }]);
  const functions = sortFunctions(stackTrieToFunctions(trie), sort);
  return jsonAnswer(JSON.stringify({
    total: trie.value(trie.root),
    functions: functions.slice(0, limit),
    meta: { host, from, until, sort, limit: Number.isFinite(limit) ? limit : null, count: functions.length },
  }));
}
