// @ts-check
// The package a frame belongs to, read from its name as the samplers write it,
// so the graph can colour by it. Pure string work: no regex, so no
// backtracking over names that are untrusted data.
//
//   Python  `func(module)`          -> the module's top package: `get(shop.views.orders)` -> `shop`
//   Node    `name (file:line:col)`  -> the npm package under node_modules, `node` for
//   pprof   `function (file:line)`     node:internal files, else the file's folder

/** Drops `:line` and `:line:col` from the end of a location. @param {string} location */
function withoutLineNumbers(location) {
  let rest = location;
  for (let i = 0; i < 2; i++) {
    const colon = rest.lastIndexOf(':');
    const digits = rest.slice(colon + 1);
    if (colon < 0 || digits === '' || [...digits].some((c) => c < '0' || c > '9')) break;
    rest = rest.slice(0, colon);
  }
  return rest;
}

/** @param {string} file  a path, `file://` URL or `node:` module */
function packageOfFile(file) {
  if (file.startsWith('node:')) return 'node';
  const path = file.startsWith('file://') ? file.slice('file://'.length) : file;
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : path;
}

/**
 * The package of a frame, or '' for a frame that names none (the root, `(other)`).
 * @param {string} frame
 * @returns {string}
 */
export function packageOfFrame(frame) {
  if (!frame.endsWith(')')) return '';
  const open = frame.lastIndexOf('(');
  if (open <= 0) return ''; // `(other)`, `(unknown)`: no function before the parentheses
  const inside = frame.slice(open + 1, -1);
  if (frame[open - 1] === ' ') return packageOfFile(withoutLineNumbers(inside));
  const dot = inside.indexOf('.');
  return dot > 0 ? inside.slice(0, dot) : inside;
}
