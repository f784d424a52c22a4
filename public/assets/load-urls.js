// The requests that load a view of the graph page: graph.js makes them, and
// first-requests.js starts them early on the page's first load.

import { hostUrl } from './api.js';
import { diffQuery, graphProfileQuery, isComparing, wantsFunctions } from './analysis-state.js';
import { timelineQuery } from './view-state.js';

/** The URLs of the tree (a profile, or a comparison), the timeline and, when wanted, the functions; functions is null when not. */
export function loadUrls(host, view, analysis) {
  return {
    tree: isComparing(analysis)
      ? `${hostUrl('diff', host)}?${diffQuery(view, analysis)}`
      : `${hostUrl('profile', host)}?${graphProfileQuery(view, analysis)}`,
    timeline: `${hostUrl('timeline', host)}?${timelineQuery(view)}`,
    functions: wantsFunctions(analysis) ? `${hostUrl('functions', host)}?${timelineQuery(view)}` : null,
  };
}
