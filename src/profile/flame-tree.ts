/**
 * A node of the tree d3-flame-graph draws: `value` is the samples of this
 * frame including its children. Leaves carry no `children`.
 */
export interface FlameNode {
  name: string;
  value: number;
  children?: FlameNode[];
  /** Set only on the "(other)" node that holds the weight of pruned siblings. */
  other?: true;
}

/** The root always lists its children, even when there are none. */
export interface FlameTree extends FlameNode {
  name: 'root';
  children: FlameNode[];
}

/** Orders names by UTF-16 code units: stable and locale-independent. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
