import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHostEntries } from '../../src/config/host-entries.js';

describe('parseHostEntries', () => {
  test("reads the 2016 tool's test list of bare host names as port 80 samplers", () => {
    assert.deepEqual(parseHostEntries('localhost,otherhost.fa,google.com'), [
      { name: 'localhost', url: 'http://localhost/liveprofiler' },
      { name: 'otherhost.fa', url: 'http://otherhost.fa/liveprofiler' },
      { name: 'google.com', url: 'http://google.com/liveprofiler' },
    ]);
    assert.deepEqual(parseHostEntries('web=10.0.0.5, [::1]'), [
      { name: 'web', url: 'http://10.0.0.5/liveprofiler' },
      { name: '[::1]', url: 'http://[::1]/liveprofiler' },
    ]);
  });

  test('takes a pprof endpoint as a URL, its query included', () => {
    assert.deepEqual(parseHostEntries('go=http://10.0.0.5:6060/debug/pprof/profile?seconds=10'), [
      { name: 'go', url: 'http://10.0.0.5:6060/debug/pprof/profile?seconds=10' },
    ]);
  });

  test('still refuses what is no host at all', () => {
    assert.match(parseHostEntries('two words') as string, /neither HOST, HOST:PORT nor an http\(s\) URL/);
    assert.match(parseHostEntries('host:99999999') as string, /neither/);
  });
});
