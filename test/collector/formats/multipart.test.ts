import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { multipartBoundary, multipartField } from '../../../src/collector/formats/multipart.js';
import { encodeForm } from '../../support/multipart-form.js';

describe('multipart/form-data', () => {
  test('finds the named field among others, byte for byte', async () => {
    const profile = Buffer.from([0x1f, 0x8b, 0, 13, 10, 45, 45, 255]);
    const { body, contentType } = await encodeForm({ sample_type_config: '{"cpu":{}}', profile, prev_profile: Buffer.from('old') });
    const boundary = multipartBoundary(contentType)!;
    assert.deepEqual(multipartField(body, boundary, 'profile'), profile);
    assert.equal(multipartField(body, boundary, 'sample_type_config')!.toString(), '{"cpu":{}}');
    assert.equal(multipartField(body, boundary, 'missing'), null);
  });

  test('reads a quoted boundary and ignores other content types', () => {
    assert.equal(multipartBoundary('multipart/form-data; boundary="a b"'), 'a b');
    assert.equal(multipartBoundary('application/octet-stream'), null);
    assert.equal(multipartBoundary(undefined), null);
    assert.throws(() => multipartBoundary('multipart/form-data; charset=utf-8'), /without a usable boundary/);
    assert.throws(() => multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`), /without a usable boundary/);
  });

  test('refuses broken bodies with a reason', () => {
    const part = (name: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nx\r\n`;
    assert.throws(() => multipartField(Buffer.from('no boundary here'), 'b', 'profile'), /without its boundary/);
    assert.throws(() => multipartField(Buffer.from(`--b\r\nContent-Disposition: form-data; name="profile"\r\n\r\nunclosed`), 'b', 'profile'), /without a closing boundary/);
    assert.throws(() => multipartField(Buffer.from(`--b\r\n${'X-Long: y\r\n'.repeat(1000)}\r\nx\r\n--b--`), 'b', 'profile'), /too long/);
    assert.throws(() => multipartField(Buffer.from(`${Array.from({ length: 17 }, (_, i) => part(`f${i}`)).join('')}--b--`), 'b', 'profile'), /more than 16 parts/);
    assert.equal(multipartField(Buffer.from(`${part('a')}--b--\r\n`), 'b', 'profile'), null);
  });
});
