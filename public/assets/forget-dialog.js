// The index's "forget" flow: a small form asks for the collector's secret,
// then DELETE /hosts/NAME for each series of the row. The secret lives in the
// password box only while the form is open; it is never stored.

import { fetchJson } from './api.js';
import { formatCount } from './format.js';

const byId = (id) => document.getElementById(id);

/**
 * Wires the dialog once; returns `open(title, names)`. `onForgotten(message)`
 * runs after every series of the row is gone.
 */
export function createForgetDialog({ onForgotten }) {
  const dialog = byId('forget-dialog');
  const secret = byId('forget-secret');
  const error = byId('forget-error');
  const submit = byId('forget-submit');
  let target = null;

  const close = () => {
    secret.value = '';
    target = null;
    dialog.close();
  };
  byId('forget-cancel').addEventListener('click', close);
  // Escape closes the dialog without the cancel button: the secret goes all the same.
  dialog.addEventListener('close', () => {
    secret.value = '';
  });

  byId('forget-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (target === null) return;
    const { title, names } = target;
    error.textContent = '';
    submit.disabled = true;
    let samples = 0;
    try {
      for (const name of names) {
        const forgotten = await fetchJson(`/hosts/${encodeURIComponent(name)}`, {
          method: 'DELETE',
          headers: { 'Profiler-Token': secret.value },
        });
        samples += forgotten.samples;
      }
    } catch (failure) {
      // A wrong secret leaves the form open to try again; what was forgotten already stays forgotten.
      error.textContent = `Could not forget ${title}: ${failure.message}`;
      secret.select();
      return;
    } finally {
      submit.disabled = false;
    }
    close();
    onForgotten(`Forgot ${title}: ${formatCount(samples)} ${samples === 1 ? 'sample' : 'samples'} deleted.`);
  });

  return function open(title, names) {
    target = { title, names };
    byId('forget-name').textContent = title;
    byId('forget-series').textContent = names.length === 1 ? names[0] : `its ${names.length} series (${names.join(', ')})`;
    error.textContent = '';
    secret.value = '';
    dialog.showModal();
    secret.focus();
  };
}
