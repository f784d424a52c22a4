import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load-config.js';

const FILE = '/etc/liveprofiler/test.ini';
const MINIMAL = `[global]\ndbpath = data\n[collector]\nsecret_header = s3cr3t\nhosts = web1=10.0.0.5:8000\n`;

function configError(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the config was accepted');
}

describe('loadConfig', () => {
  test('loads the 2016 tool example unchanged, logging sections and inline comment included', () => {
    const file = new URL('../fixtures/config-2016-example.ini', import.meta.url).pathname;
    const { config, warnings } = loadConfig(file);
    assert.deepEqual(warnings, []);
    assert.equal(config.global.dbpath, '/tmp/liveprofiler');
    assert.equal(config.collector.schedule, '*/2 * * * * *');
    assert.equal(config.collector.secret, 'samplers3cr3t');
    assert.deepEqual(config.collector.hosts, [{ name: 'localhost:9999', url: 'http://localhost:9999/liveprofiler' }]);
    assert.deepEqual(config.sampler, { enabled: true, intervalSeconds: 0.01, secret: 'samplers3cr3t' });
  });

  test('the shipped example and production template both load', () => {
    for (const file of ['../../example/config.ini', '../../config/liveprofiler.ini']) {
      assert.doesNotThrow(() => loadConfig(new URL(file, import.meta.url).pathname));
    }
  });

  test('fills in the defaults of the design notes', () => {
    const { config } = parseConfig(MINIMAL, FILE);
    assert.equal(config.global.retentionSeconds, 30 * 86400);
    assert.deepEqual(config.server, { host: '127.0.0.1', port: 9999 });
    assert.equal(config.collector.schedule, '0 */1 * * * *');
    assert.equal(config.collector.timeoutSeconds, 10);
    assert.equal(config.collector.maxBodyBytes, 32 * 1024 * 1024);
    assert.equal(config.sampler.enabled, false);
  });

  test('resolves a relative dbpath against the config file folder', () => {
    assert.equal(parseConfig(MINIMAL, FILE).config.global.dbpath, '/etc/liveprofiler/data');
  });

  test('reads labels, HOST:PORT entries and full URLs, whose query may hold "="', () => {
    const text = MINIMAL.replace('hosts = web1=10.0.0.5:8000', 'hosts = web1=10.0.0.5:8000, 10.0.0.6:8000, batch=http://10.0.0.7:16384/?reset=true, http://h:1/x?a=b');
    assert.deepEqual(parseConfig(text, FILE).config.collector.hosts, [
      { name: 'web1', url: 'http://10.0.0.5:8000/liveprofiler' },
      { name: '10.0.0.6:8000', url: 'http://10.0.0.6:8000/liveprofiler' },
      { name: 'batch', url: 'http://10.0.0.7:16384/?reset=true' },
      { name: 'http://h:1/x?a=b', url: 'http://h:1/x?a=b' },
    ]);
  });

  test('reads durations, sizes, schedules and timeouts', () => {
    const { config } = parseConfig(
      MINIMAL.replace('dbpath = data', 'dbpath = data\nretention = 12h') +
        'interval = 300\ntimeout = 2.5\nmax_body_size = 512kb\n[server]\nport = 8080\nhost = 0.0.0.0\n',
      FILE,
    );
    assert.equal(config.global.retentionSeconds, 12 * 3600);
    assert.equal(config.collector.schedule, '0 */5 * * * *');
    assert.equal(config.collector.timeoutSeconds, 2.5);
    assert.equal(config.collector.maxBodyBytes, 512 * 1024);
    assert.deepEqual(config.server, { host: '0.0.0.0', port: 8080 });
    assert.equal(parseConfig(`${MINIMAL}schedule = */7 * * * * *\ninterval = 7\n`, FILE).config.collector.schedule, '*/7 * * * * *');
  });

  test('warns about unknown keys in known sections and ignores unknown sections', () => {
    const { warnings } = parseConfig(`${MINIMAL}colour = blue\n[elsewhere]\nx = 1\n`, FILE);
    assert.deepEqual(warnings, [`${FILE}: [collector] colour: unknown key, ignored`]);
  });

  const errors: [string, string, string][] = [
    ['a missing dbpath', MINIMAL.replace('dbpath = data', ''), '[global] dbpath: is required'],
    ['a missing secret', MINIMAL.replace('secret_header = s3cr3t', ''), '[collector] secret_header: is required'],
    ['missing hosts', MINIMAL.replace('hosts = web1=10.0.0.5:8000', ''), '[collector] hosts: is required'],
    ['an empty host list', MINIMAL.replace('web1=10.0.0.5:8000', ' , '), '[collector] hosts: lists no hosts'],
    ['a host that is neither', MINIMAL.replace('10.0.0.5:8000', 'ftp://x'), '[collector] hosts: has "ftp://x", which is neither HOST, HOST:PORT nor an http(s) URL'],
    ['a host named twice', MINIMAL.replace('hosts = web1=10.0.0.5:8000', 'hosts = a=h:1, a=h:2'), '[collector] hosts: names host "a" twice'],
    ['the reserved name', MINIMAL.replace('web1=', '_all='), '[collector] hosts: uses the reserved name "_all"'],
    ['an unreadable interval', `${MINIMAL}interval = soon\n`, '[collector] interval: cannot read "soon": expected a whole number of seconds'],
    ['an interval cron cannot keep', `${MINIMAL}interval = 7\n`, '[collector] interval: 7 seconds does not divide'],
    ['a bad schedule', `${MINIMAL}schedule = every day\n`, '[collector] schedule: cannot read "every day"'],
    ['a bad timeout', `${MINIMAL}timeout = -1\n`, '[collector] timeout: cannot read "-1"'],
    ['a bad retention', MINIMAL.replace('dbpath = data', 'dbpath = data\nretention = forever'), '[global] retention: cannot read "forever"'],
    ['a bad port', `${MINIMAL}[server]\nport = 99999\n`, '[server] port: cannot read "99999"'],
    ['a bad sampler switch', `${MINIMAL}[sampler]\nenabled = maybe\n`, '[sampler] enabled: cannot read "maybe"'],
    ['an enabled sampler without a secret', `${MINIMAL}[sampler]\nenabled = 1\n`, '[sampler] secret_header: is required'],
  ];
  for (const [what, text, expected] of errors) {
    test(`refuses ${what}, naming the file, section and key`, () => {
      const message = configError(text);
      assert.ok(message.startsWith(`${FILE}: ${expected}`), message);
      assert.ok(!message.includes('\n'), 'one line');
    });
  }

  test('refuses a file it cannot read, naming it', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'lp-config-'));
    assert.throws(() => loadConfig(path.join(folder, 'absent.ini')), (error: Error) => error.message === `${path.join(folder, 'absent.ini')}: cannot read the config file (ENOENT)`);
    const file = path.join(folder, 'ok.ini');
    writeFileSync(file, MINIMAL);
    assert.equal(loadConfig(file).config.global.dbpath, path.join(folder, 'data'));
  });
});
