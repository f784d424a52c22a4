import type { FlameNode } from '../../src/profile/flame-tree.js';

/** One stack `depth` frames deep: `f0;f1;…`. */
export function deepStack(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `f${i}`).join(';');
}

/** The frame names along a tree's first children from the root down, read without recursion. */
export function firstPath(root: FlameNode): string[] {
  const names: string[] = [];
  for (let node = root.children?.[0]; node !== undefined; node = node.children?.[0]) names.push(node.name);
  return names;
}
