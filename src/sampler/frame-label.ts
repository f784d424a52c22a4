import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldSafeFrame } from '../profile/stack-counts.js';

/** Where a sampled function is defined, as V8's CPU profiler reports it. */
export interface CallSite {
  functionName: string;
  /** file:// URL, absolute path, `node:…` for Node's internals, or '' for V8's own frames. */
  url: string;
  /** 0-based; -1 when unknown (module top level, native code). */
  lineNumber: number;
  columnNumber: number;
}

/**
 * One frame of a folded stack: `name (file:line)`, `(anonymous)` for unnamed
 * functions, the bare name for frames without a script (`(garbage collector)`).
 */
export function frameLabel(site: CallSite, root: string): string {
  const name = site.functionName === '' ? '(anonymous)' : site.functionName;
  const file = displayedFile(site.url, root);
  if (file === '') return foldSafeFrame(name);
  const line = site.lineNumber >= 0 ? `:${site.lineNumber + 1}` : '';
  return foldSafeFrame(`${name} (${file}${line})`);
}

/** Files under `root` relative to it; others absolute; non-file URLs (`node:events`) as they are. */
function displayedFile(url: string, root: string): string {
  const file = url.startsWith('file:') ? filePath(url) : url;
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(root, file);
  const outsideRoot = relative === '' || relative.startsWith('..') || path.isAbsolute(relative);
  return outsideRoot ? file : relative;
}

function filePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url; // a file URL naming a remote host: nothing local to shorten
  }
}
