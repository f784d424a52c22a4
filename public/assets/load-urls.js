// The requests that load a view of the graph page: graph.js makes them, and
// first-requests.js starts them early on the page's first load, as the server
// asks the browser to in the page's head (src/visualizer/graph-page.ts runs
// openingLoadUrls too, so both name the same URLs).

import { hostUrl } from './api.js';
import { diffQuery, graphProfileQuery, isComparing, readAnalysisState, wantsFunctions } from './analysis-state.js';
import { isZoneFree } from './time-zone.js';
import { hostFromPath, openingViewState, readViewState, timelineQuery } from './view-state.js';

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

/**
 * What a graph page opened at `pathname` and `search` (location's) asks for
 * first, in that order: no URLs for a path that names no host. `browserZone`:
 * whether they depend on the browser's time zone (the range has a time
 * without an offset, or a calendar word, shown in the local zone), which
 * only the browser knows.
 * @param {string} pathname @param {string} search
 * @returns {{ urls: string[], browserZone: boolean }}
 */
export function openingLoadUrls(pathname, search) {
  const host = hostFromPath(pathname);
  if (host === null) return { urls: [], browserZone: false };
  const view = openingViewState(search);
  const typed = readViewState(search);
  const { tree, timeline, functions } = loadUrls(host, view, readAnalysisState(search));
  return {
    urls: functions === null ? [tree, timeline] : [tree, timeline, functions],
    browserZone: view.zone === 'local' && !(isZoneFree(typed.from) && isZoneFree(typed.until)),
  };
}
