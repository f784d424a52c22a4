import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server-process.js';

const SECRET = 'headers-s3cr3t';

describe('security headers on every answer of the real server', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web1=127.0.0.1:9\ninterval = 3600\n`);
  });
  after(() => server.stop());

  const answers: Array<[string, string, RequestInit?]> = [
    ['the index page', '/'],
    ['a graph page', '/graph/web1/'],
    ['an unknown host\'s page (404)', '/graph/nobody/'],
    ['an asset', '/assets/style.css'],
    ['a missing asset (404)', '/assets/nothing.js'],
    ['a vendor file', '/vendor/d3.min.js'],
    ['the API', '/hosts'],
    ['an API error (400)', '/profile/web1/?from=someday'],
    ['an unknown route (404)', '/nowhere'],
    ['a refused push (403)', '/ingest?host=x', { method: 'POST', body: 'a 1' }],
  ];
  for (const [what, path, init] of answers) {
    test(`${what} carries CSP, nosniff and Referrer-Policy`, async () => {
      const response = await fetch(server.url + path, init);
      await response.arrayBuffer();
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /^default-src 'self'; script-src 'self'; style-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*; /, `${path}: ${csp}`);
      for (const directive of ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"]) {
        assert.ok(csp.includes(directive), `${path}: ${directive}`);
      }
      assert.ok(!csp.includes('unsafe-inline'), `${path}: no unsafe-inline`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    });
  }
});
