// The functions table: self and total samples per function, sortable, filtered
// by the search box. Rows are built with textContent: names are data.

import { formatCount, formatPercent } from './format.js';

/** More rows than anyone scrolls through; the note says how many are left out. */
const MAX_ROWS = 500;

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const ORDERS = {
  self: (a, b) => b.self - a.self || byName(a, b),
  total: (a, b) => b.total - a.total || byName(a, b),
  name: byName,
};

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/**
 * @param {HTMLTableElement} table  with a thead of buttons carrying data-sort
 * @param {HTMLElement} note  says how many rows are shown
 * @param {{ onSort(sort: string): void, onSelect(name: string): void }} handlers
 */
export function createFunctionsTable(table, note, { onSort, onSelect }) {
  let answer = null;
  let view = { sort: 'self', search: '', selected: '' };

  for (const button of table.tHead.querySelectorAll('button[data-sort]')) {
    button.addEventListener('click', () => onSort(button.dataset.sort));
  }
  table.tBodies[0].addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-name]');
    if (row) onSelect(row.dataset.name);
  });
  // Rows take the keyboard focus too: Enter opens the sandwich as a click does.
  table.tBodies[0].addEventListener('keydown', (event) => {
    const row = event.target.closest('tr[data-name]');
    if (row && event.key === 'Enter') onSelect(row.dataset.name);
  });

  function render() {
    for (const button of table.tHead.querySelectorAll('button[data-sort]')) {
      button.setAttribute('aria-pressed', String(button.dataset.sort === view.sort));
    }
    const tbody = table.tBodies[0];
    tbody.replaceChildren();
    if (answer === null) return;
    const term = view.search.toLowerCase();
    const matching = answer.functions.filter((fn) => term === '' || fn.name.toLowerCase().includes(term));
    matching.sort(ORDERS[view.sort]);
    for (const fn of matching.slice(0, MAX_ROWS)) {
      const row = tbody.insertRow();
      row.dataset.name = fn.name;
      row.tabIndex = 0;
      row.title = 'open the callers and callees of this function';
      if (fn.name === view.selected) row.className = 'selected';
      cell(row, fn.name, 'name');
      cell(row, formatCount(fn.self), 'number');
      cell(row, formatPercent(fn.self, answer.total), 'number');
      cell(row, formatCount(fn.total), 'number');
      cell(row, formatPercent(fn.total, answer.total), 'number');
    }
    const shown = Math.min(matching.length, MAX_ROWS);
    note.textContent = matching.length > MAX_ROWS || term !== ''
      ? `${formatCount(shown)} of ${formatCount(matching.length)} matching functions shown (${formatCount(answer.functions.length)} in all)`
      : `${formatCount(answer.functions.length)} functions`;
  }

  return {
    /** `{total, functions}` from GET /functions. */
    update(functionsAnswer) {
      answer = functionsAnswer;
      render();
    },
    /** `{sort, search, selected}`: re-sorts and re-filters what it has. */
    show(nextView) {
      view = nextView;
      render();
    },
    clear() {
      answer = null;
      render();
      note.textContent = '';
    },
  };
}

/** Fills a changes table (grew or shrank) with rows from changedFunctions(). */
export function renderChanges(table, rows) {
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  for (const row of rows) {
    const tr = tbody.insertRow();
    cell(tr, row.name, 'name');
    cell(tr, formatPercent(row.baselineShare, 1), 'number');
    cell(tr, formatPercent(row.targetShare, 1), 'number');
    cell(tr, `${row.change > 0 ? '+' : ''}${(100 * row.change).toFixed(2)} pts`, row.change > 0 ? 'number grew' : 'number shrank');
  }
  if (rows.length === 0) cell(tbody.insertRow(), 'none', 'muted');
}
