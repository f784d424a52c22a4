// Starts the graph page's first requests at once. graph.js makes them only
// after d3 and d3-flame-graph have arrived and run (it draws with them); this
// module imports neither and runs as soon as it has arrived (async), so the
// server answers while those scripts load, and graph.js's fetchJson of the
// same URL takes that answer (api.js). Where the server could name them, the
// page's head preloads the same URLs, and these fetches take those answers.
// It also has ICU set up on a worker thread meanwhile (intl-warm-up.js), so
// that Intl costs the draw little.

import { fetchEarly } from './api.js';
import { openingLoadUrls } from './load-urls.js';

const { urls } = openingLoadUrls(location.pathname, location.search);
if (urls.length > 0) {
  new Worker('/assets/intl-warm-up.js');
  for (const url of urls) fetchEarly(url);
}
