// The graph page's selector field: type a series selector (`myapp`,
// `myapp{region="eu"}`, `{region=~"eu.*"}`, `_all`) and open its graph,
// with completion of apps, label names and values from the server.

import { fetchJson, hostUrl } from './api.js';
import { ALL_HOSTS } from './view-state.js';

/** Completions beyond this many would make the list useless, and the page slow. */
const MAX_OPTIONS = 500;

/**
 * Completions for what a user may want next: every app, `_all`, and for
 * each label value `{label="value"}` on its own and narrowing the current
 * app. Pure, so the options follow from the server's answers alone.
 * @param {string[]} apps
 * @param {Array<{ label: string, values: string[] }>} labels
 * @param {string | null} currentApp
 * @returns {string[]}
 */
export function selectorOptions(apps, labels, currentApp) {
  const options = [ALL_HOSTS, ...apps];
  for (const { label, values } of labels) {
    for (const value of values) {
      const matcher = `${label}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
      if (currentApp !== null) options.push(`${currentApp}{${matcher}}`);
      options.push(`{${matcher}}`);
    }
  }
  return [...new Set(options)].slice(0, MAX_OPTIONS);
}

/** The app a selector names before its labels, or null. */
function appOf(selector) {
  const app = selector.split('{')[0].trim();
  return app === '' || app === ALL_HOSTS ? null : app;
}

/**
 * Fills the field with `selector`, loads the completions once the field is
 * first focused, and opens the graph of what is submitted, keeping `query`
 * (the view's range and threshold).
 */
export function attachSelectorField({ form, input, datalist, selector, query }) {
  input.value = selector;
  let loaded = false;
  input.addEventListener('focus', async () => {
    if (loaded) return;
    loaded = true;
    try {
      const [{ hosts }, { labels }] = await Promise.all([fetchJson('/hosts'), fetchJson('/labels')]);
      const values = await Promise.all(labels.map((label) => fetchJson(`/labels/${encodeURIComponent(label)}/values`)));
      const apps = [...new Set(hosts.map((host) => host.app))];
      datalist.replaceChildren(...selectorOptions(apps, values, appOf(selector)).map((value) => {
        const option = document.createElement('option');
        option.value = value;
        return option;
      }));
    } catch {
      loaded = false; // completion is a convenience: typing still works, and the next focus retries
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = input.value.trim();
    if (chosen !== '') location.assign(`${hostUrl('graph', chosen)}?${query()}`);
  });
}
