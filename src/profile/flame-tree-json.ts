import type { FlameNode } from './flame-tree.js';

/**
 * The JSON text of a flame tree, exactly as JSON.stringify writes it, with
 * `fields` (say, `meta`) added to the root after its own. Written with an
 * explicit stack of pending work: V8's JSON.stringify recurses and throws on
 * a tree some 5,000 frames deep, and a stack may be 10,000 deep.
 */
export function flameTreeJson(root: FlameNode, fields: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  const rootTail = Object.entries(fields).map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`).join('');
  /** Nodes still to write, and text to write once the nodes pushed after it are written. */
  const pending: Array<FlameNode | string> = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === 'string') {
      parts.push(next);
      continue;
    }
    parts.push(`{"name":${JSON.stringify(next.name)},"value":${JSON.stringify(next.value)}`);
    const close = `${next.other ? ',"other":true' : ''}${next === root ? rootTail : ''}}`;
    if (next.children === undefined) {
      parts.push(close);
      continue;
    }
    parts.push(',"children":[');
    pending.push(`]${close}`);
    for (let i = next.children.length - 1; i >= 0; i--) {
      pending.push(next.children[i]);
      if (i > 0) pending.push(',');
    }
  }
  return parts.join('');
}
