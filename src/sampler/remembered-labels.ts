import type { CallSite } from './frame-label.js';

/**
 * `labelFrame` remembered per call site across profiles: V8 reports the same
 * functions rotation after rotation, and looking them up in source maps is
 * most of a fold's cost. At most `maxEntries` are remembered, because code
 * generated at run time (eval, new Function) could otherwise grow it without end.
 */
export function rememberedLabels(labelFrame: (site: CallSite) => string, maxEntries: number): (site: CallSite) => string {
  const labels = new Map<string, string>();
  return (site) => {
    const key = `${site.url}\n${site.lineNumber}\n${site.columnNumber}\n${site.functionName}`;
    let label = labels.get(key);
    if (label === undefined) {
      if (labels.size >= maxEntries) labels.clear();
      label = labelFrame(site);
      labels.set(key, label);
    }
    return label;
  };
}
