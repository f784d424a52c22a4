// Beside an empty graph: when the host's newest data arrived, and a link to
// the hour up to it, so "no samples in this range" is never a dead end.

import { fetchJson, hostUrl, isAbort } from './api.js';
import { formatAgo } from './format.js';
import { formatInZone, isoInZone, zoneLabel } from './time-zone.js';
import { viewStateQuery } from './view-state.js';

/** The range the link opens: the hour up to a few minutes past the newest sample. */
const BEFORE_SECONDS = 3300;
const AFTER_SECONDS = 300;

/** Fills `element` (hidden until then) for `host`'s graph in `state`; the caller hides it when data shows. */
export async function showLastData(element, host, state, signal) {
  let answer;
  try {
    answer = await fetchJson(`${hostUrl('last-data', host)}`, { signal });
  } catch (error) {
    // The empty graph says enough on its own; this is a hint, not the view.
    if (!isAbort(error)) hideLastData(element);
    return;
  }
  const { now, lastSample, lastSuccess } = answer;
  const when = (time) => `${formatAgo(time, now)} (${formatInZone(time, state.zone)} ${zoneLabel(time, state.zone)})`;
  element.replaceChildren();
  if (lastSample === null) {
    element.textContent = lastSuccess === null
      ? 'Nothing is stored for it yet.'
      : `Its last collection, ${when(lastSuccess)}, stored no samples.`;
  } else {
    const range = {
      from: isoInZone(lastSample - BEFORE_SECONDS, state.zone),
      until: isoInZone(lastSample + AFTER_SECONDS, state.zone),
    };
    const jump = document.createElement('a');
    jump.id = 'last-data-link';
    jump.href = `${location.pathname}?${viewStateQuery({ ...state, ...range, zoom: [] })}`;
    jump.textContent = 'Show the hour up to it';
    element.append(`Its last data arrived ${when(lastSample)}. `, jump);
  }
  element.hidden = false;
}

export function hideLastData(element) {
  element.hidden = true;
  element.replaceChildren();
}
