import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BodyFormatError } from '../../../src/collector/formats/parsed-samples.js';
import { utf8Pieces, utf8TextBytes } from '../../../src/collector/formats/utf8-text.js';
import { prng } from '../../support/seeded-random.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const NOT_TEXT = 'body is not UTF-8 text (nor a binary format we read)';
const isNotText = (error: Error) => error instanceof BodyFormatError && error.message === NOT_TEXT;
/** What the body decodes to as the WHATWG strict decoder reads it, or null where it refuses it. */
const strictlyDecoded = (body: Uint8Array) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return null;
  }
};
/** One character of each UTF-8 length: 1, 2, 3 and 4 bytes (the last a surrogate pair in UTF-16). */
const CHARACTERS = ['a', 'я', '€', '😀'];

describe('utf8TextBytes', () => {
  test('gives the text of a UTF-8 body, without the byte order mark it may start with', () => {
    assert.deepEqual(utf8TextBytes(bytes('a;b 1')), bytes('a;b 1'));
    assert.deepEqual(utf8TextBytes(bytes('\ufeffa;b 1')), bytes('a;b 1'));
    assert.deepEqual(utf8TextBytes(bytes('\ufeff\ufeffa')), bytes('\ufeffa'), 'one mark is taken, as TextDecoder takes one');
    assert.deepEqual(utf8TextBytes(bytes('a\ufeff')), bytes('a\ufeff'), 'a mark later on is text');
    assert.deepEqual(utf8TextBytes(new Uint8Array(0)), new Uint8Array(0));
  });

  test('refuses whole what the strict decoder refuses: other encodings, overlong forms, surrogates, cut characters', () => {
    const invalid = {
      latin1: [0x63, 0x61, 0x66, 0xe9],
      'a lone continuation byte': [0x61, 0x80],
      'an overlong NUL': [0xc0, 0x80],
      'a UTF-16 surrogate': [0xed, 0xa0, 0x80],
      'a code point past U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
      'a character cut at the end': [0x61, 0xe2, 0x82],
      'a character cut by a newline': [0xe2, 0x82, 0x0a, 0xac],
    };
    for (const [name, body] of Object.entries(invalid)) {
      assert.throws(() => utf8TextBytes(Uint8Array.from(body)), isNotText, name);
    }
  });

  test('agrees with the strict decoder on random mixes of characters and stray bytes', () => {
    const random = prng(12);
    for (let body = 0; body < 500; body++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        random() < 0.1 ? Uint8Array.of(Math.floor(random() * 256)) : bytes(CHARACTERS[Math.floor(random() * CHARACTERS.length)]),
      );
      const joined = Buffer.concat(parts);
      const expected = strictlyDecoded(joined);
      if (expected === null) assert.throws(() => utf8TextBytes(joined), isNotText, `body ${body}`);
      else assert.equal([...utf8Pieces(utf8TextBytes(joined), 3)].join(''), expected, `body ${body}`);
    }
  });
});

describe('utf8Pieces', () => {
  test('cuts before a character the nominal cut would split, whichever of its bytes the cut falls on', () => {
    for (const character of CHARACTERS.slice(1)) {
      for (let before = 0; before < 6; before++) {
        const text = `${'x'.repeat(before)}${character}yz`;
        const pieces = [...utf8Pieces(bytes(text), 4)];
        assert.equal(pieces.join(''), text, `${character} after ${before}`);
        for (const piece of pieces) {
          assert.ok(piece !== '' && !piece.includes('\ufffd') && (piece as string & { isWellFormed(): boolean }).isWellFormed(), `${character} after ${before}: ${JSON.stringify(pieces)}`);
          assert.ok(Buffer.byteLength(piece) <= 4, `${character} after ${before}: ${JSON.stringify(pieces)}`);
        }
      }
    }
  });

  test('makes a piece of the one character that is longer than a piece', () => {
    assert.deepEqual([...utf8Pieces(bytes('a😀€b'), 1)], ['a', '😀', '€', 'b']);
    assert.deepEqual([...utf8Pieces(bytes('😀😀'), 2)], ['😀', '😀']);
  });

  test('gives no piece for no text, and never an empty one', () => {
    assert.deepEqual([...utf8Pieces(new Uint8Array(0), 4)], []);
    assert.deepEqual([...utf8Pieces(bytes('abcd'), 4)], ['abcd']);
    assert.deepEqual([...utf8Pieces(bytes('abcde'), 4)], ['abcd', 'e']);
    assert.deepEqual([...utf8Pieces(bytes('ab'), 0)], ['a', 'b'], 'a piece holds at least one character');
  });

  test('reads a view into a larger buffer from its own start', () => {
    const whole = bytes('skip€me');
    assert.deepEqual([...utf8Pieces(whole.subarray(4, 9), 2)], ['€', 'me']);
  });
});
