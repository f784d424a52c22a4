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
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
      return { index, codePoint: code };
    }
    if (isUnprintable(code)) return { index, codePoint: code };
  }
  return null;
}

function isUnprintable(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** `U+001B`: how a refused character is named in a message (never the character itself). */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
