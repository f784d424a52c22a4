import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactUrl, redactUrlsIn } from '../src/redact-url.js';

describe('redactUrl', () => {
  for (const [url, shown] of [
    ['http://admin:pass@host/liveprofiler?apikey=abc', 'http://***@host/liveprofiler?apikey=***'],
    ['https://token@host:8443/p?a=1&b=&flag&c=x=y#part', 'https://***@host:8443/p?a=***&b=***&flag&c=***#part'],
    ['http://host/p@q?next=a@b', 'http://host/p@q?next=***'],
    ['http://a@b@host/', 'http://***@host/'],
    ['admin@h:80', '***@h:80'],
  ]) {
    test(`shows ${url} as ${shown}`, () => assert.equal(redactUrl(url), shown));
  }

  test('leaves a URL without user-info or query exactly as written', () => {
    for (const url of ['http://10.0.0.7:16384/', 'HTTP://Host:1/Path#frag', '10.0.0.5:8000', 'http://[::1]:9/x']) assert.equal(redactUrl(url), url);
  });
});

test('redactUrlsIn redacts every URL in a message, such as the one node-fetch writes', () => {
  assert.equal(
    redactUrlsIn('request to http://u:p@h:1/x?k=v failed, reason: connect ECONNREFUSED; see https://h/?t=1'),
    'request to http://***@h:1/x?k=*** failed, reason: connect ECONNREFUSED; see https://h/?t=***',
  );
  assert.equal(redactUrlsIn('no url here, just http and https'), 'no url here, just http and https');
});
