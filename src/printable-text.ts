/**
 * Frame and host names are shown to people and put in URLs, so they must be
 * text that shows as itself. Refused: C0 controls (NUL, tab, newline, …), DEL,
 * C1 controls, lone UTF-16 surrogates (they cannot be stored as UTF-8), and the
 * bidirectional embedding, override and isolate controls U+202A–U+202E and
 * U+2066–U+2069: no call stack or host name needs them (right-to-left letters
 * show right to left without them), and they can make one name look like
 * another on the page ("Trojan Source"). U+FFFD is allowed: a sampler may
 * have substituted it for a name it could not decode, and it shows as itself.
 */
export function firstUnprintable(text: string): { index: number; codePoint: number } | null {
  // One character class, no quantifier: nothing to backtrack, and V8 scans it far faster than a loop.
  const control = UNPRINTABLE.exec(text);
  const surrogate = isWellFormed(text) ? -1 : firstLoneSurrogate(text);
  const index = control === null ? surrogate : surrogate === -1 ? control.index : Math.min(control.index, surrogate);
  return index === -1 ? null : { index, codePoint: text.charCodeAt(index) };
}

/**
 * `text` made acceptable: every unprintable character a space, every lone
 * surrogate U+FFFD. For producers of frames (our sampler), so a strange
 * function name never gets its whole profile refused.
 */
export function toPrintable(text: string): string {
  return (text as WellFormedString).toWellFormed().replace(EVERY_UNPRINTABLE, ' ');
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EVERY_UNPRINTABLE = new RegExp(UNPRINTABLE.source, 'g');

/** Node 20 has these (ES2024); the ES2022 lib we compile against does not declare them. */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** False when the text holds a lone surrogate. */
function isWellFormed(text: string): boolean {
  return (text as WellFormedString).isWellFormed();
}

function firstLoneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(index + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) index += 1;
    else return index;
  }
  return -1;
}

/** `U+001B`: how a refused character is named in a message (never the character itself). */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
