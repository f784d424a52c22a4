import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareNames } from '../../src/profile/flame-tree.js';
import { buildStackTrie, buildStackTries, buildStackTriesOfIds, MAX_LEAF_CHARS, MIN_SHAPE_NODES, StackShapes, StackTrie, type StackSource } from '../../src/profile/stack-trie.js';
import { IdCounts } from '../../src/store/id-counts.js';
import { prng } from '../support/seeded-random.js';

/** The children of `node` that have samples, sorted by name. */
function sortedChildren(trie: StackTrie, node: number): number[] {
  const children: number[] = [];
  for (let child = trie.firstChild(node); child !== -1; child = trie.nextSibling(child)) children.push(child);
  return children.sort((a, b) => compareNames(trie.name(a), trie.name(b)));
}

/** The trie as folded lines "frame;frame value", depth first in name order. */
function folded(trie: StackTrie, node = trie.root, prefix = ''): string[] {
  return sortedChildren(trie, node).flatMap((child) => {
    const path = prefix + trie.name(child);
    return [`${path} ${trie.value(child)}`, ...folded(trie, child, path + ';')];
  });
}

test('an empty trie is the root alone', () => {
  const trie = buildStackTrie(new Map());
  assert.equal(trie.size, 1);
  assert.equal(trie.name(trie.root), 'root');
  assert.equal(trie.value(trie.root), 0);
  assert.equal(trie.firstChild(trie.root), -1);
});

test('shared prefixes become one path; values include the children', () => {
  const trie = buildStackTrie(new Map([['main;b', 2], ['main;a;x', 3], ['main', 1], ['other', 4]]));
  assert.deepEqual(folded(trie), ['main 6', 'main;a 3', 'main;a;x 3', 'main;b 2', 'other 4']);
  assert.equal(trie.value(trie.root), 10);
  assert.equal(trie.size, 6);
});

test('a frame is matched whole: a name that is a prefix of another stays apart', () => {
  const trie = buildStackTrie(new Map([['ab;c', 1], ['a;c', 2], ['abc', 4], ['a', 8]]));
  assert.deepEqual(folded(trie), ['a 10', 'a;c 2', 'ab 1', 'ab;c 1', 'abc 4']);
});

test('empty frames between separators are frames too, as split would make them', () => {
  const trie = buildStackTrie(new Map([['a;;b', 1], ['a;', 2]]));
  assert.deepEqual(folded(trie), ['a 3', 'a; 3', 'a;;b 1']);
});

test('nodes with many children still merge every repeated frame', () => {
  // 300 children under the root and under one frame, each seen three times in shuffled order.
  const stacks = new Map<string, number>();
  for (let round = 0; round < 3; round += 1) {
    for (let i = 0; i < 300; i += 1) {
      const n = (i * 7 + round * 13) % 300;
      stacks.set(`wide${n}${'#'.repeat(round)}`, 1);
      stacks.set(`hub;leaf${n};tail${round}`, 1);
    }
  }
  const trie = buildStackTrie(stacks);
  const rootChildren = sortedChildren(trie, trie.root);
  assert.equal(rootChildren.length, 1 + 900);
  const hub = rootChildren.find((child) => trie.name(child) === 'hub')!;
  const leaves = sortedChildren(trie, hub);
  assert.equal(leaves.length, 300);
  for (const leaf of leaves) {
    assert.equal(trie.value(leaf), 3, trie.name(leaf));
    assert.deepEqual(sortedChildren(trie, leaf).map((tail) => trie.name(tail)), ['tail0', 'tail1', 'tail2']);
  }
  assert.equal(trie.size, 1 + 900 + 1 + 300 + 900);
});

test('frame names are kept exactly, quotes, backslashes and lone surrogates included, under few children and many', () => {
  const odd = ['say "hi"(a.js:1)', 'back\\slash\\path(b.js:2)', 'half \ud800 pair(c.js:3)', 'other half \udc00(d.js:4)', 'line\u2028sep é(e.js:5)'];
  const stacks = new Map<string, number>();
  for (const name of odd) stacks.set(`few;${name}`, 1);
  for (let i = 0; i < 20; i++) for (const name of odd) stacks.set(`many;${name}${i}`, 1);
  const paths = [...stacks.keys()].map((stack) => stack.split(';'));
  const trie = buildStackTrie(stacks);
  for (const path of paths) {
    const node = trie.nodeAtPath(path);
    assert.notEqual(node, -1, JSON.stringify(path));
    assert.equal(trie.name(node), path[1]);
  }
});

test('grows past its first allocation without losing counts', () => {
  const stacks = new Map<string, number>();
  for (let i = 0; i < 5000; i += 1) stacks.set(`root${i % 10};mid${i % 100};leaf${i}`, i + 1);
  const trie = buildStackTrie(stacks);
  assert.equal(trie.size, 1 + 10 + 100 + 5000);
  assert.equal(trie.value(trie.root), (5000 * 5001) / 2);
});

test('shapes learned by earlier profiles change nothing in a later one', () => {
  const shapes = new StackShapes();
  buildStackTrie(new Map([['main;a;x', 9], ['other;y', 4], ['main;b', 1]]), shapes);
  const reused = buildStackTrie(new Map([['main;b', 2], ['main;c', 3]]), shapes);
  const fresh = buildStackTrie(new Map([['main;b', 2], ['main;c', 3]]));
  assert.deepEqual(folded(reused), folded(fresh));
  assert.deepEqual(folded(reused), ['main 5', 'main;b 2', 'main;c 3']);
  assert.equal(reused.size, fresh.size);
  assert.equal(reused.firstChild(shapes.leafOf('main;b')), -1);
});

test('tries built together share node numbers; a weighted sum combines them node by node', () => {
  const [a, b] = buildStackTries([new Map([['main;x', 4], ['main;y', 2]]), new Map([['main;y', 6], ['z', 1]])]);
  const y = a.nodeAtPath(['main', 'y']);
  assert.equal(y, b.nodeAtPath(['main', 'y']));
  assert.deepEqual([a.value(y), b.value(y)], [2, 6]);
  assert.equal(a.nodeAtPath(['z']), -1, 'z has no samples in a');
  assert.equal(a.nodeAtPath(['main', 'nope']), -1);
  const sum = StackTrie.weightedSum([a, b], [1, 0.5]);
  assert.deepEqual(folded(sum), ['main 9', 'main;x 4', 'main;y 5', 'z 0.5']);
  assert.equal(sum.size, 5);
  // Children without allocating: only those with samples, in no particular order.
  const children: string[] = [];
  for (let child = a.firstChild(a.root); child !== -1; child = a.nextSibling(child)) children.push(a.name(child));
  assert.deepEqual(children, ['main']);
  assert.equal(a.nameId(y), b.nameId(sum.nodeAtPath(['main', 'y'])));
  assert.equal(a.nameOfId(a.nameId(y)), 'y');
});

test('shapes whose leaf strings pass the bound are forgotten before the next profile, those of the last profile too when they alone pass half of it, and the next still comes out whole', () => {
  const shapes = new StackShapes();
  const frame = 'x'.repeat(1024 * 1024);
  const big = new Map<string, number>();
  for (let i = 0; big.size * frame.length <= MAX_LEAF_CHARS; i++) big.set(`main;${i}${frame}`, 1);
  buildStackTrie(big, shapes);
  assert.ok(shapes.leafCharacters > MAX_LEAF_CHARS);
  const next = buildStackTrie(new Map([['main;a', 2], ['main;b', 3]]), shapes);
  assert.equal(shapes.leafCharacters, 'main;a'.length + 'main;b'.length, 'the big stacks are no longer pinned');
  assert.equal(shapes.size, 4);
  assert.deepEqual(folded(next), ['main 5', 'main;a 2', 'main;b 3']);
});

/** `count` stacks of one sample each, main;<tag><i>, none shared with another tag. */
function distinctStacks(tag: string, count: number): Map<string, number> {
  return new Map(Array.from({ length: count }, (_, i) => [`main;${tag}${i}`, 1]));
}

test('shapes of stacks no longer asked for are forgotten once they pass twice the largest recent profile, but those of the latest profiles, up to a third of the bound', () => {
  const shapes = new StackShapes();
  const small = Math.ceil(MIN_SHAPE_NODES / 20);
  // Profiles of new stacks each time, as a churning vocabulary gives: the shapes grow by one profile each.
  let round = 0;
  for (; shapes.size <= MIN_SHAPE_NODES; round++) buildStackTrie(distinctStacks(`r${round}_`, small), shapes);
  const keptRounds = Math.floor(MIN_SHAPE_NODES / 3 / small);
  const next = buildStackTrie(distinctStacks('last', 2), shapes);
  assert.equal(shapes.size, 2 + keptRounds * small + 2, "root, main, the latest profiles' stacks and the two new ones: the rest was forgotten");
  assert.deepEqual(folded(next), ['main 2', 'main;last0 1', 'main;last1 1']);
  const oldestKept = distinctStacks(`r${round - keptRounds}_`, small);
  const again = buildStackTrie(oldestKept, shapes);
  assert.equal(shapes.size, 2 + keptRounds * small + 2, "the oldest kept profile's stacks were known still");
  assert.deepEqual(folded(again), folded(buildStackTrie(oldestKept)));
  const forgotten = distinctStacks(`r${round - keptRounds - 1}_`, small);
  const relearned = buildStackTrie(forgotten, shapes);
  assert.equal(shapes.size, 2 + (keptRounds + 1) * small + 2, 'the profile before them was forgotten, and learned again');
  assert.deepEqual(folded(relearned), folded(buildStackTrie(forgotten)));
});

test('shapes within twice the largest recent profile are kept, however many', () => {
  const shapes = new StackShapes();
  const large = MIN_SHAPE_NODES;
  buildStackTrie(distinctStacks('big', large), shapes);
  for (let round = 0; round < 3; round++) buildStackTrie(distinctStacks(`r${round}_`, large / 4), shapes);
  const learned = shapes.size;
  assert.ok(learned > 1.5 * MIN_SHAPE_NODES);
  buildStackTrie(distinctStacks('big', 1), shapes);
  assert.equal(shapes.size, learned, 'nothing forgotten, nothing added: the stack was known');
});

/** Stack strings by id, counting what is asked of it. */
class CountedStacks implements StackSource {
  asked = 0;
  constructor(private readonly stackOf: (id: number) => string) {}
  stackOfId(id: number): string {
    this.asked += 1;
    return this.stackOf(id);
  }
}

function idCounts(counts: ReadonlyArray<readonly [number, number]>): IdCounts {
  const ids = new IdCounts();
  for (const [id, count] of counts) ids.add(id, count);
  return ids;
}

test('stacks by id: those of the latest profiles survive a trim unasked, the others are forgotten and, asked again, come back with their frames', () => {
  // Names repeat across paths, and kept nodes have more children than a scan covers.
  const stackOf = (id: number) => ['main', `route${id % 40}`, `step${(id * 7) % 12}`, ...(id % 3 === 0 ? [`deep${id % 17}`, 'shared "name"'] : []), `leaf${id}`].join(';');
  const source = new CountedStacks(stackOf);
  const countOf = (id: number) => 1 + (id % 5);
  const profileOf = (ids: readonly number[]) => idCounts(ids.map((id) => [id, countOf(id)] as const));
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const shapes = new StackShapes();
  const churn = MIN_SHAPE_NODES / 8;
  const first = range(0, churn / 2);
  buildStackTriesOfIds([profileOf(first)], shapes, source);
  // Churn, new stacks every profile, past the bound: the last profile asked for `last`, the one before for the `churn` stacks before them.
  let next = first.length;
  while (shapes.size <= MIN_SHAPE_NODES) buildStackTriesOfIds([profileOf(range(next, (next += churn)))], shapes, source);
  const last = range(next - 2 * churn, next);
  const askedBefore = source.asked;
  const [trie] = buildStackTriesOfIds([profileOf([...first, ...last])], shapes, source);
  assert.equal(source.asked - askedBefore, first.length, "only the forgotten stacks' strings were asked for again");
  assert.ok(shapes.size < MIN_SHAPE_NODES / 2, `${shapes.size} nodes: the churn's were forgotten`);
  const expected = buildStackTrie(new Map([...first, ...last].map((id) => [stackOf(id), countOf(id)])));
  assert.deepEqual(folded(trie), folded(expected));
  assert.equal(trie.size, expected.size);
  assertRanksInNameOrder(shapes);
  const shared = trie.nodeAtPath(stackOf(3).split(';'));
  assert.equal(nameJson(trie, shared), JSON.stringify('leaf3'));
  assert.equal(nameJson(trie, trie.parent(shared)), JSON.stringify('shared "name"'));
});

test("each name's JSON is made once, and forgotten with the shapes: a name id reused after the bound means the new name", () => {
  const shapes = new StackShapes();
  const first = buildStackTrie(new Map([['main;old "one"\\', 1]]), shapes);
  const old = first.nodeAtPath(['main', 'old "one"\\']);
  assert.equal(nameJson(first, old), JSON.stringify('old "one"\\'));
  const table = first.nameJsons([old]);
  assert.equal(first.nameJsons([old]), table, 'the same table: the name was not made again');
  assertRanksInNameOrder(shapes);
  const frame = 'x'.repeat(1024 * 1024);
  const big = new Map<string, number>();
  for (let i = 0; big.size * frame.length <= MAX_LEAF_CHARS; i++) big.set(`main;${i}${frame}`, 1);
  buildStackTrie(big, shapes);
  const next = buildStackTrie(new Map([['main;new\u2028é', 2]]), shapes);
  const renamed = next.nodeAtPath(['main', 'new\u2028é']);
  assert.equal(next.nameId(renamed), first.nameId(old), 'the id is reused after the shapes were forgotten');
  assert.equal(nameJson(next, renamed), JSON.stringify('new\u2028é'));
  assertRanksInNameOrder(shapes);
});

test('the names of many nodes are kept end to end, each as its JSON string, the table growing as names are added', () => {
  const names = Array.from({ length: 3000 }, (_, i) => `f${i} "quoted" \u00e9 ${'x'.repeat(i % 40)}`);
  const shapes = new StackShapes();
  const trie = buildStackTrie(new Map(names.map((name) => [`main;${name}`, 1])), shapes);
  const nodes = names.map((name) => trie.nodeAtPath(['main', name]));
  // Asked in two rounds, so the table grows after holding some of them.
  trie.nameJsons(nodes.slice(0, 10));
  const table = trie.nameJsons(nodes);
  for (const [i, node] of nodes.entries()) {
    const nameId = trie.nameId(node);
    assert.equal(Buffer.from(table.bytes.subarray(table.start[nameId], table.end[nameId])).toString(), JSON.stringify(names[i]));
  }
});

/** The JSON string of `node`'s name, read back from the trie's name table. */
function nameJson(trie: StackTrie, node: number): string {
  const table = trie.nameJsons([node]);
  const nameId = trie.nameId(node);
  return Buffer.from(table.bytes.subarray(table.start[nameId], table.end[nameId])).toString();
}

/** Every name id's rank is its place among all names in compareNames order. */
function assertRanksInNameOrder(shapes: StackShapes): void {
  const ranks = shapes.nameRanks();
  const ids = Array.from({ length: shapes.nameCount }, (_, id) => id);
  const byName = [...ids].sort((a, b) => compareNames(shapes.nameOfId(a), shapes.nameOfId(b)));
  assert.deepEqual([...ids].sort((a, b) => ranks[a] - ranks[b]), byName);
  assert.equal(new Set(ranks).size, shapes.nameCount, 'one rank per name');
}

test('name ranks follow compareNames as names arrive in batches, merged into those ranked before', () => {
  const random = prng(7);
  const alphabet = ['a', 'B', 'é', '\u{1f600}', '\ud800', ' ', 'z', '"'];
  const shapes = new StackShapes();
  for (let batch = 0; batch < 25; batch++) {
    const stacks = new Map<string, number>();
    for (let i = 0; i < batch % 5; i++) {
      const frames = Array.from({ length: 1 + Math.floor(random() * 4) }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      stacks.set(frames.join(';'), 1);
    }
    buildStackTrie(stacks, shapes);
    assertRanksInNameOrder(shapes);
  }
  assert.ok(shapes.nameCount > 20);
});
