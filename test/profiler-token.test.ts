import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carriesSecret, sha256 } from '../src/profiler-token.js';

const digest = sha256('open sesame');

describe('carriesSecret', () => {
  it('accepts the secret in profiler-token or profiler_token', () => {
    assert.equal(carriesSecret({ 'profiler-token': 'open sesame' }, digest), true);
    assert.equal(carriesSecret({ profiler_token: 'open sesame' }, digest), true);
  });

  it('accepts the secret when the other spelling holds something else', () => {
    assert.equal(carriesSecret({ 'profiler-token': 'stale', profiler_token: 'open sesame' }, digest), true);
  });

  it('refuses a missing, wrong, longer, shorter or empty secret', () => {
    for (const token of ['', 'open', 'open sesame!', 'Open Sesame']) {
      assert.equal(carriesSecret({ 'profiler-token': token }, digest), false, token);
    }
    assert.equal(carriesSecret({}, digest), false);
  });

  it('accepts the secret as an Authorization Bearer token, as the Pyroscope agents send authToken', () => {
    assert.equal(carriesSecret({ authorization: 'Bearer open sesame' }, digest), true);
    assert.equal(carriesSecret({ authorization: 'bearer open sesame' }, digest), true);
    assert.equal(carriesSecret({ authorization: 'Bearer open' }, digest), false);
  });

  it('accepts the secret as the password of HTTP Basic, whatever the user', () => {
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
    assert.equal(carriesSecret({ authorization: basic('pyroscope:open sesame') }, digest), true);
    assert.equal(carriesSecret({ authorization: basic(':open sesame') }, digest), true);
    assert.equal(carriesSecret({ authorization: basic('open sesame') }, digest), false);
    assert.equal(carriesSecret({ authorization: basic('open sesame:wrong') }, digest), false);
  });

  it('refuses the secret in any other header or scheme', () => {
    assert.equal(carriesSecret({ 'x-token': 'open sesame', authorization: 'open sesame' }, digest), false);
    assert.equal(carriesSecret({ authorization: 'Token open sesame' }, digest), false);
    assert.equal(carriesSecret({ authorization: 'Bearer ' }, digest), false);
  });

  it('refuses a header sent twice, which Node joins into one value', () => {
    assert.equal(carriesSecret({ 'profiler-token': 'open sesame, open sesame' }, digest), false);
  });
});
