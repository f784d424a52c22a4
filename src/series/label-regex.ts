/**
 * Regular expressions for label matchers, matched in time linear in the
 * value: the pattern becomes a Thompson NFA whose state set is advanced one
 * character at a time, so no pattern can backtrack (JavaScript's RegExp
 * can, exponentially, and selectors come from URLs). Everything is iterative.
 *
 * Syntax: literals, `.`, `\d \w \s \D \W \S`, `\` before any other character
 * for itself, classes `[a-z_]` and `[^…]`, groups `(…)` and `(?:…)`, `|`,
 * `*`, `+`, `?`. As in Prometheus, the pattern must match the whole value;
 * a leading `^` and trailing `$` are allowed and change nothing.
 */
export interface LabelRegex {
  matches(value: string): boolean;
}

type CharTest = (code: number) => boolean;
type Token = { kind: 'atom'; test: CharTest } | { kind: 'empty' } | { kind: '(' | ')' | '|' | '*' | '+' | '?' | 'concat' };

/** Compiles `pattern`, or throws what `error` makes of the reason. */
export function compileLabelRegex(pattern: string, error: (message: string) => Error): LabelRegex {
  try {
    return new Nfa(toPostfix(tokenize(stripAnchors(pattern))));
  } catch (cause) {
    if (cause instanceof RegexSyntaxError) throw error(`regex ${JSON.stringify(pattern)}: ${cause.message}`);
    throw cause;
  }
}

class RegexSyntaxError extends Error {}

function stripAnchors(pattern: string): string {
  let body = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  let backslashes = 0;
  for (let i = body.length - 2; i >= 0 && body[i] === '\\'; i -= 1) backslashes += 1;
  if (body.endsWith('$') && backslashes % 2 === 0) body = body.slice(0, -1);
  return body;
}

const isDigit: CharTest = (code) => code >= 48 && code <= 57;
const isWord: CharTest = (code) => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isSpace: CharTest = (code) => code === 32 || (code >= 9 && code <= 13);
const CLASS_ESCAPES: Record<string, CharTest> = {
  d: isDigit,
  w: isWord,
  s: isSpace,
  D: (code) => !isDigit(code),
  W: (code) => !isWord(code),
  S: (code) => !isSpace(code),
};

function tokenize(pattern: string): Token[] {
  const chars = [...pattern];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i];
    if (char === '\\') {
      i += 1;
      if (i === chars.length) throw new RegexSyntaxError('ends with a lone "\\"');
      tokens.push({ kind: 'atom', test: escapeTest(chars[i]) });
    } else if (char === '[') {
      const { test, end } = readClass(chars, i + 1);
      tokens.push({ kind: 'atom', test });
      i = end;
    } else if (char === '(') {
      if (chars[i + 1] === '?') {
        if (chars[i + 2] !== ':') throw new RegexSyntaxError('only (?:…) groups are supported');
        i += 2;
      }
      tokens.push({ kind: '(' });
    } else if (char === ')' || char === '|' || char === '*' || char === '+' || char === '?') {
      tokens.push({ kind: char });
    } else if (char === '.') {
      tokens.push({ kind: 'atom', test: (code) => code !== 10 });
    } else if (char === '{' || char === '^' || char === '$') {
      throw new RegexSyntaxError(`"${char}" is not supported here (escape it with "\\" to match it)`);
    } else {
      const code = char.codePointAt(0)!;
      tokens.push({ kind: 'atom', test: (other) => other === code });
    }
  }
  return tokens;
}

function escapeTest(char: string): CharTest {
  const test = CLASS_ESCAPES[char];
  if (test) return test;
  const code = char === 'n' ? 10 : char === 't' ? 9 : char.codePointAt(0)!;
  return (other) => other === code;
}

/** Reads a class from just after its `[`; returns its test and the index of its `]`. */
function readClass(chars: string[], start: number): { test: CharTest; end: number } {
  let i = start;
  const negated = chars[i] === '^';
  if (negated) i += 1;
  const ranges: [number, number][] = [];
  const tests: CharTest[] = [];
  for (let first = true; i < chars.length; i += 1, first = false) {
    let char = chars[i];
    if (char === ']' && !first) {
      const test: CharTest = (code) => ranges.some(([low, high]) => code >= low && code <= high) || tests.some((t) => t(code));
      return { test: negated ? (code) => !test(code) : test, end: i };
    }
    if (char === '\\') {
      i += 1;
      char = chars[i] ?? '';
      if (CLASS_ESCAPES[char]) {
        tests.push(CLASS_ESCAPES[char]);
        continue;
      }
    }
    const low = char.codePointAt(0) ?? 0;
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      const high = chars[i + 2].codePointAt(0)!;
      if (high < low) throw new RegexSyntaxError(`range ${char}-${chars[i + 2]} is backwards`);
      ranges.push([low, high]);
      i += 2;
    } else {
      ranges.push([low, low]);
    }
  }
  throw new RegexSyntaxError('missing "]"');
}

/** Shunting-yard with explicit concatenation; empty alternatives become an `empty` operand. */
function toPostfix(tokens: Token[]): Token[] {
  const output: Token[] = [];
  const operators: Token[] = [];
  const precedence = (token: Token) => (token.kind === 'concat' ? 2 : token.kind === '|' ? 1 : 0);
  let operandEnded = false;
  let repeated = false;
  const pushOperator = (operator: Token) => {
    while (operators.length > 0 && precedence(operators[operators.length - 1]) >= precedence(operator)) output.push(operators.pop()!);
    operators.push(operator);
  };
  for (const token of tokens) {
    const wasRepeated = repeated;
    repeated = false;
    if (token.kind === 'atom' || token.kind === '(') {
      if (operandEnded) pushOperator({ kind: 'concat' });
      if (token.kind === 'atom') output.push(token);
      else operators.push(token);
      operandEnded = token.kind === 'atom';
    } else if (token.kind === '*' || token.kind === '+' || token.kind === '?') {
      if (!operandEnded) throw new RegexSyntaxError(`"${token.kind}" follows nothing`);
      if (wasRepeated) throw new RegexSyntaxError('repeats a repetition (write a group)');
      output.push(token);
      repeated = true;
    } else if (token.kind === '|') {
      if (!operandEnded) output.push({ kind: 'empty' });
      pushOperator(token);
      operandEnded = false;
    } else if (token.kind === ')') {
      if (!operandEnded) output.push({ kind: 'empty' });
      while (operators.length > 0 && operators[operators.length - 1].kind !== '(') output.push(operators.pop()!);
      if (operators.pop() === undefined) throw new RegexSyntaxError('unbalanced ")"');
      operandEnded = true;
    }
  }
  if (!operandEnded) output.push({ kind: 'empty' });
  while (operators.length > 0) {
    const operator = operators.pop()!;
    if (operator.kind === '(') throw new RegexSyntaxError('missing ")"');
    output.push(operator);
  }
  return output;
}

interface State {
  test: CharTest | null;
  /** Next states: one after a character, up to two for a split, none for the match state. */
  out: number[];
}

interface Fragment {
  start: number;
  /** States whose `out` still needs the fragment's continuation. */
  dangling: number[];
}

class Nfa implements LabelRegex {
  private readonly states: State[] = [];
  private readonly start: number;
  private readonly match: number;

  constructor(postfix: Token[]) {
    const stack: Fragment[] = [];
    const pop = () => stack.pop()!;
    for (const token of postfix) {
      if (token.kind === 'atom') {
        const state = this.add(token.test);
        stack.push({ start: state, dangling: [state] });
      } else if (token.kind === 'empty') {
        const state = this.add(null);
        stack.push({ start: state, dangling: [state] });
      } else if (token.kind === 'concat') {
        const second = pop();
        const first = pop();
        this.patch(first.dangling, second.start);
        stack.push({ start: first.start, dangling: second.dangling });
      } else if (token.kind === '|') {
        const second = pop();
        const first = pop();
        const split = this.add(null, [first.start, second.start]);
        stack.push({ start: split, dangling: [...first.dangling, ...second.dangling] });
      } else {
        const inner = pop();
        const split = this.add(null, [inner.start]);
        if (token.kind === '?') stack.push({ start: split, dangling: [...inner.dangling, split] });
        else {
          this.patch(inner.dangling, split);
          stack.push({ start: token.kind === '*' ? split : inner.start, dangling: [split] });
        }
      }
    }
    const whole = pop();
    this.match = this.add(null);
    this.patch(whole.dangling, this.match);
    this.start = whole.start;
  }

  matches(value: string): boolean {
    let current = this.closure([this.start]);
    for (const char of value) {
      const code = char.codePointAt(0)!;
      const next: number[] = [];
      for (const index of current) {
        const state = this.states[index];
        if (state.test !== null && state.test(code)) next.push(...state.out);
      }
      if (next.length === 0) return false;
      current = this.closure(next);
    }
    return current.includes(this.match);
  }

  /** The states reachable from `from` without reading a character: character states and the match. */
  private closure(from: number[]): number[] {
    const seen = new Uint8Array(this.states.length);
    const result: number[] = [];
    const pending = [...from];
    while (pending.length > 0) {
      const index = pending.pop()!;
      if (seen[index]) continue;
      seen[index] = 1;
      const state = this.states[index];
      if (state.test !== null || index === this.match) result.push(index);
      else pending.push(...state.out);
    }
    return result;
  }

  private add(test: CharTest | null, out: number[] = []): number {
    this.states.push({ test, out });
    return this.states.length - 1;
  }

  private patch(dangling: number[], to: number): void {
    for (const index of dangling) this.states[index].out.push(to);
  }
}
