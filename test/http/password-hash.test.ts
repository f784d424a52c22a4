import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/http/password-hash.js';

const CHEAP = 2 ** 10;

describe('password hashes', () => {
  test('a hash verifies its password and no other', async () => {
    const stored = parsePasswordHash(await hashPassword('correct horse ✓', CHEAP))!;
    assert.ok(await verifyPassword('correct horse ✓', stored));
    for (const wrong of ['correct horse', 'correct horse ✓ ', '', 'x'.repeat(10_000)]) {
      assert.equal(await verifyPassword(wrong, stored), false, JSON.stringify(wrong.slice(0, 20)));
    }
  });

  test('is scrypt:N:r:p:SALT:HASH with a fresh salt each time, in characters INI keeps', async () => {
    const [a, b] = await Promise.all([hashPassword('same', CHEAP), hashPassword('same', CHEAP)]);
    assert.match(a, /^scrypt:1024:8:1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
  });

  test('the default cost is the one the CLI writes', async () => {
    assert.match(await hashPassword('x'), /^scrypt:32768:8:1:/);
  });

  test('refuses what is not a usable hash', () => {
    for (const text of [
      'hunter2',
      'bcrypt:10:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA',
      'scrypt:1000:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA', // N not a power of two
      'scrypt:1048576:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA', // 1 GiB a check
      'scrypt:1024:0:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA',
      'scrypt:1024:8:1:c2Fsd:aGFzaGhhc2hoYXNoaGFzaA', // salt too short
      'scrypt:1024:8:1:c2FsdHNhbHQ:aGFzaA', // hash too short
      'scrypt:1024:8:1:c2Fsd+Nh/HQ=:aGFzaGhhc2hoYXNoaGFzaA', // not base64url
      'scrypt:1024:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA:extra',
    ]) {
      assert.equal(parsePasswordHash(text), null, text);
    }
  });
});
