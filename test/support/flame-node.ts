/** A node of the JSON flame tree /profile answers with. */
export interface FlameNode {
  name: string;
  value: number;
  children?: FlameNode[];
}

/** Samples under the outermost frames whose name contains `part`, walked without recursion. */
export function samplesUnder(root: FlameNode, part: string): number {
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.name.includes(part)) total += node.value;
    else pending.push(...(node.children ?? []));
  }
  return total;
}
