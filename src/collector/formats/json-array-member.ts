import { ENTRIES_PER_STEP, type ParseSteps } from './parse-steps.js';

/** Where a JSON object's member holds an array: offsets of its '[' and ']', and of the commas between its elements. */
export interface ArrayMember {
  open: number;
  close: number;
  commas: number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Bytes scanned between two pauses outside the array's elements. */
const BYTES_PER_STEP = 1024 * 1024;
/** JSON's white space: space, tab, line feed, carriage return. */
const WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Finds the array held by the member `key` of the JSON object whose UTF-8
 * text is `text` (bytes), so that its elements can be decoded and handed to
 * JSON.parse a few at a time instead of all at once. Offsets are in bytes:
 * the scan reads bytes, never a string of the whole text (no byte of a
 * character past U+007F is one of JSON's quotes, brackets, braces, commas
 * or colons). One pass, no recursion: it follows strings (to their closing
 * quote) and nesting, nothing else, and pauses every ENTRIES_PER_STEP
 * elements. Null when the text is not an object with such a member, or
 * spells a member name with escapes: the caller then parses the text
 * whole. It never judges validity: JSON.parse does, piece by piece, so a
 * text that fools the scan is refused, never misread.
 */
export function* findArrayMember(text: Buffer, key: string): ParseSteps<ArrayMember | null> {
  let at = skipWhiteSpace(text, 0);
  if (text[at] !== OPEN_BRACE) return null;
  let found: ArrayMember | null = null;
  let inArray: ArrayMember | null = null;
  let depth = 0;
  let expectKey = false;
  let memberKey: string | null = null;
  let pausedAt = 0;
  for (; at < text.length; at++) {
    const code = text[at];
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) return null;
      if (depth === 1 && expectKey) {
        memberKey = text.toString('utf8', at + 1, end);
        if (memberKey.includes('\\')) return null;
        expectKey = false;
      }
      at = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth === 1) expectKey = true;
      // The last such member wins, as in JSON.parse: an earlier one stays in the text parsed whole.
      else if (depth === 2 && code === OPEN_BRACKET && memberKey === key) found = inArray = { open: at, close: -1, commas: [] };
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (depth === 2 && inArray !== null) {
        inArray.close = at;
        inArray = null;
      }
      depth--;
      if (depth === 0) break;
    } else if (code === COMMA) {
      if (depth === 1) expectKey = true;
      else if (depth === 2 && inArray !== null && inArray.commas.push(at) % ENTRIES_PER_STEP === 0) yield;
    } else if (code === COLON && depth === 1) {
      expectKey = false;
    }
    if (at - pausedAt > BYTES_PER_STEP) {
      pausedAt = at;
      yield;
    }
  }
  return found !== null && found.close !== -1 ? found : null;
}

/** The index of the quote closing the string opened at `open`, or -1. */
function stringEnd(text: Buffer, open: number): number {
  for (let from = open + 1; ; ) {
    const quote = text.indexOf(QUOTE, from);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function skipWhiteSpace(text: Uint8Array, at: number): number {
  while (at < text.length && WHITE_SPACE.has(text[at])) at++;
  return at;
}
