/** `count` distinct one-frame stacks as a folded body: as many stacks as possible per byte. */
export function distinctStacks(count: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`s${i.toString(36)} 1`);
  return Buffer.from(lines.join('\n'));
}

/**
 * `count` distinct stacks of 12 frames sharing their outer frames, as a
 * service's stacks do, as a folded body; `tag` makes another call's stacks new.
 */
export function serviceLikeStacks(count: number, tag = ''): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const frames = ['main(app.server)', 'serve(app.server)', `route_${i % 20}(app.routes)`];
    for (let level = 3; level < 11; level++) frames.push(`step_${level}_${(i >> level) % 7}(app.module${level})`);
    frames.push(`leaf_${tag}${i}(app.work)`);
    lines.push(`${frames.join(';')} ${1 + (i % 50)}`);
  }
  return Buffer.from(lines.join('\n'));
}
