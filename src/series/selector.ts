import { ALL_HOSTS } from '../host-name.js';
import { compileLabelRegex, type LabelRegex } from './label-regex.js';
import { SERIES_TYPE_LABEL, type SeriesName } from './series-name.js';


export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOperator;
  value: string;
}

/** A parsed selector: an application (or any, when null) and label matchers, all of which must hold. */
export interface Selector {
  app: string | null;
  matchers: LabelMatcher[];
}

/** A selector that cannot be read; the message says where and why. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

const MAX_SELECTOR_LENGTH = 1024;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Reads `app`, `app{k="v",…}`, `{k=~"re",…}` or `_all` (Prometheus' matcher
 * syntax: `=`, `!=`, `=~`, `!~`; values quoted with `\` escapes, or bare up to
 * `,` or `}`). One pass over the text; regexes are compiled to a linear-time
 * matcher, so no selector can make matching slow.
 */
export function parseSelector(text: string): Selector {
  if (text.length > MAX_SELECTOR_LENGTH) throw new SelectorError(`longer than ${MAX_SELECTOR_LENGTH} characters`);
  if (text.trim() === ALL_HOSTS) return { app: null, matchers: [] };
  const brace = text.indexOf('{');
  const app = (brace < 0 ? text : text.slice(0, brace)).trim();
  checkApp(app, brace >= 0);
  const matchers = brace < 0 ? [] : new MatcherScanner(text, brace + 1).scan();
  for (const matcher of matchers) {
    if (matcher.op === '=~' || matcher.op === '!~') compileLabelRegex(matcher.value, (message) => new SelectorError(`label ${matcher.name}: ${message}`));
  }
  return { app: app === '' ? null : app, matchers };
}

function checkApp(app: string, hasLabels: boolean): void {
  if (app === '' && !hasLabels) throw new SelectorError('empty: name an application, {labels} or _all');
  for (const char of app) {
    // Any host name is an app (pushed names were never restricted); only "}" and control characters cannot be one.
    if (char === '}' || char < ' ') throw new SelectorError(`application name "${app}" holds ${JSON.stringify(char)}`);
  }
}

/** Scans `name op value` items separated by commas up to the closing brace, which must end the text. */
class MatcherScanner {
  private position: number;
  private readonly matchers: LabelMatcher[] = [];

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.position = start;
  }

  scan(): LabelMatcher[] {
    for (;;) {
      this.skipSpaces();
      if (this.peek() === '}') break;
      this.matchers.push(this.matcher());
      this.skipSpaces();
      const next = this.peek();
      if (next === ',') this.position += 1;
      else if (next !== '}') throw this.error(next === '' ? 'missing "}"' : `expected "," or "}", found ${JSON.stringify(next)}`);
    }
    this.position += 1;
    if (this.text.slice(this.position).trim() !== '') throw this.error('text after "}"');
    return this.matchers;
  }

  private matcher(): LabelMatcher {
    const nameStart = this.position;
    while (this.position < this.text.length && !'=!~,}"'.includes(this.text[this.position]) && this.text[this.position] !== ' ') this.position += 1;
    const name = this.text.slice(nameStart, this.position);
    if (!LABEL_NAME.test(name)) throw this.error(name === '' ? 'expected a label name' : `bad label name "${name}"`);
    this.skipSpaces();
    const op = this.operator();
    this.skipSpaces();
    return { name, op, value: this.peek() === '"' ? this.quoted() : this.bare() };
  }

  private operator(): MatchOperator {
    for (const op of ['=~', '!=', '!~', '='] as const) {
      if (this.text.startsWith(op, this.position)) {
        this.position += op.length;
        return op;
      }
    }
    throw this.error('expected =, !=, =~ or !~');
  }

  private quoted(): string {
    let value = '';
    for (this.position += 1; this.position < this.text.length; this.position += 1) {
      const char = this.text[this.position];
      if (char === '"') {
        this.position += 1;
        return value;
      }
      if (char === '\\') {
        this.position += 1;
        if (this.position === this.text.length) break;
        value += this.text[this.position];
      } else {
        value += char;
      }
    }
    throw this.error('unterminated quoted value');
  }

  private bare(): string {
    const start = this.position;
    while (this.position < this.text.length && !',}"'.includes(this.text[this.position])) this.position += 1;
    return this.text.slice(start, this.position).trim();
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position += 1;
  }

  private peek(): string {
    return this.text[this.position] ?? '';
  }

  private error(message: string): SelectorError {
    return new SelectorError(`${message} at character ${this.position + 1}`);
  }
}

/**
 * Tests series against one selector. A series without the profile-type label
 * is CPU samples (what the liveprofiler samplers send), so `__type__="cpu"`
 * matches configured hosts too.
 */
export function selectorMatcher(selector: Selector): (series: SeriesName) => boolean {
  const tests = selector.matchers.map((matcher) => labelTest(matcher));
  return (series) => {
    if (selector.app !== null && series.app !== selector.app) return false;
    return tests.every(({ name, test }) => test(series.labels.get(name) ?? (name === SERIES_TYPE_LABEL ? 'cpu' : '')));
  };
}

function labelTest(matcher: LabelMatcher): { name: string; test: (value: string) => boolean } {
  const { name, op, value } = matcher;
  if (op === '=') return { name, test: (actual) => actual === value };
  if (op === '!=') return { name, test: (actual) => actual !== value };
  const regex: LabelRegex = compileLabelRegex(value, (message) => new SelectorError(message));
  return op === '=~' ? { name, test: (actual) => regex.matches(actual) } : { name, test: (actual) => !regex.matches(actual) };
}
