// Starts the graph page's first requests at once. graph.js makes them only
// after d3 and d3-flame-graph have arrived and run (it draws with them); this
// module imports neither and runs as soon as it has arrived (async), so the
// server answers while those scripts load, and graph.js's fetchJson of the
// same URL takes that answer (api.js). It also has ICU set up on a worker
// thread meanwhile (intl-warm-up.js), so that Intl costs the draw little.

import { fetchEarly } from './api.js';
import { readAnalysisState } from './analysis-state.js';
import { loadUrls } from './load-urls.js';
import { hostFromPath, openingViewState } from './view-state.js';

const host = hostFromPath(location.pathname);
if (host !== null) {
  new Worker('/assets/intl-warm-up.js');

  const urls = loadUrls(host, openingViewState(location.search), readAnalysisState(location.search));
  for (const url of [urls.tree, urls.timeline, urls.functions]) {
    if (url !== null) fetchEarly(url);
  }
}
