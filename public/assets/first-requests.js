// Starts the graph page's first requests at once. graph.js makes them only
// after d3 and d3-flame-graph have arrived and run (it draws with them); this
// module imports neither and runs as soon as it has arrived (async), so the
// server answers while those scripts load, and graph.js's fetchJson of the
// same URL takes that answer (api.js). Where the server could name them, the
// page's head preloads the same URLs, and these fetches take those answers.
// It also has ICU's date formats set up the first time the page is idle
// while those scripts and answers are in flight: the first Intl.DateTimeFormat
// a page makes costs 40-110 ms of its main thread (here, a worker's made
// beforehand did not lower it), and otherwise it is the header's, on the way
// to the draw.

import { fetchEarly } from './api.js';
import { openingLoadUrls } from './load-urls.js';

const { urls } = openingLoadUrls(location.pathname, location.search);
if (urls.length > 0) {
  requestIdleCallback(() => {
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(0);
    new Intl.NumberFormat('en-US').format(0);
  });
  for (const url of urls) fetchEarly(url);
}
