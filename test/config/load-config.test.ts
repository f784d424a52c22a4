import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load-config.js';
import { hashPassword, verifyPassword } from '../../src/http/password-hash.js';
import { tempFolder } from '../support/temp-folder.js';

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
    assert.deepEqual(config.server, {
      host: '127.0.0.1',
      port: 9999,
      maxConnections: 512,
      headerTimeoutSeconds: 10,
      requestTimeoutSeconds: 60,
      shutdownGraceSeconds: 10,
      access: null,
      queryWorkers: Math.max(1, availableParallelism() - 1),
      queryQueue: 64,
      queryTimeoutSeconds: 60,
      queryMemoryMb: null,
    });
    assert.equal(config.collector.enabled, true);
    assert.equal(config.collector.schedule, '0 */1 * * * *');
    assert.equal(config.collector.timeoutSeconds, 10);
    assert.equal(config.collector.maxBodyBytes, 32 * 1024 * 1024);
    assert.equal(config.collector.maxStacks, 100_000);
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
      { name: 'http://h:1/x?a=***', url: 'http://h:1/x?a=b' },
    ]);
  });

  test('names an unlabelled URL entry by the URL without its user-info and query values', () => {
    const text = MINIMAL.replace('hosts = web1=10.0.0.5:8000', 'hosts = http://admin:pass@h:1/liveprofiler?apikey=k&debug');
    assert.deepEqual(parseConfig(text, FILE).config.collector.hosts, [
      { name: 'http://***@h:1/liveprofiler?apikey=***&debug', url: 'http://admin:pass@h:1/liveprofiler?apikey=k&debug' },
    ]);
  });

  test('reads durations, sizes, schedules and timeouts', () => {
    const { config } = parseConfig(
      MINIMAL.replace('dbpath = data', 'dbpath = data\nretention = 12h') +
        'interval = 300\ntimeout = 2.5\nmax_body_size = 512kb\nmax_stacks = 5000\n[server]\nport = 8080\nhost = 0.0.0.0\n',
      FILE,
    );
    assert.equal(config.global.retentionSeconds, 12 * 3600);
    assert.equal(config.collector.schedule, '0 */5 * * * *');
    assert.equal(config.collector.timeoutSeconds, 2.5);
    assert.equal(config.collector.maxBodyBytes, 512 * 1024);
    assert.equal(config.collector.maxStacks, 5000);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.server.port, 8080);
    assert.equal(parseConfig(`${MINIMAL}schedule = */7 * * * * *\ninterval = 7\n`, FILE).config.collector.schedule, '*/7 * * * * *');
  });

  test('reads the [server] limits and shutdown grace', () => {
    const { config } = parseConfig(
      `${MINIMAL}[server]\nmax_connections = 64\nheader_timeout = 5s\nrequest_timeout = 2m\nshutdown_grace = 30\n`,
      FILE,
    );
    assert.equal(config.server.maxConnections, 64);
    assert.equal(config.server.headerTimeoutSeconds, 5);
    assert.equal(config.server.requestTimeoutSeconds, 120);
    assert.equal(config.server.shutdownGraceSeconds, 30);
  });

  test('reads the query workers, their queue, timeout and memory', () => {
    const { config } = parseConfig(`${MINIMAL}[server]
query_workers = 3
query_queue = 10
query_timeout = 2m
query_memory = 1GB
`, FILE);
    assert.equal(config.server.queryWorkers, 3);
    assert.equal(config.server.queryQueue, 10);
    assert.equal(config.server.queryTimeoutSeconds, 120);
    assert.equal(config.server.queryMemoryMb, 1024);
  });

  test('reads the stack cache size, 64 Mi characters by default', () => {
    assert.equal(parseConfig(MINIMAL, FILE).config.store.stackCacheChars, 64 * 1024 ** 2);
    assert.equal(parseConfig(`${MINIMAL}[store]\nstack_cache = 256MB\n`, FILE).config.store.stackCacheChars, 256 * 1024 ** 2);
  });

  test('reads the answer cache size, 16 MB by default, 0 for none', () => {
    assert.equal(parseConfig(MINIMAL, FILE).config.store.answerCacheBytes, 16 * 1024 ** 2);
    assert.equal(parseConfig(`${MINIMAL}[store]\nanswer_cache = 64MB\n`, FILE).config.store.answerCacheBytes, 64 * 1024 ** 2);
    assert.equal(parseConfig(`${MINIMAL}[store]\nanswer_cache = 0\n`, FILE).config.store.answerCacheBytes, 0);
  });

  test('reads access control: a Basic login with its scrypt hash, and a bearer token digest', async () => {
    const hash = await hashPassword('correct horse', 2 ** 10);
    const digest = createHash('sha256').update('t0ken').digest('hex');
    const { config } = parseConfig(`${MINIMAL}[server]\nuser = ops\npassword_hash = ${hash}\ntoken_sha256 = ${digest}\n`, FILE);
    const access = config.server.access!;
    assert.equal(access.basic!.user, 'ops');
    assert.ok(await verifyPassword('correct horse', access.basic!.password));
    assert.ok(!(await verifyPassword('wrong horse', access.basic!.password)));
    assert.equal(access.tokenSha256!.toString('hex'), digest);
    const tokenOnly = parseConfig(`${MINIMAL}[server]\ntoken_sha256 = ${digest.toUpperCase()}\n`, FILE).config.server.access!;
    assert.equal(tokenOnly.basic, null);
  });

  test('a read-only visualizer ([collector] enabled = 0) needs neither hosts nor the secret', () => {
    const { config } = parseConfig('[global]\ndbpath = data\n[collector]\nenabled = 0\n', FILE);
    assert.equal(config.collector.enabled, false);
    assert.deepEqual(config.collector.hosts, []);
    assert.equal(config.collector.secret, '');
    const named = parseConfig('[global]\ndbpath = data\n[collector]\nenabled = 0\nhosts = web1=h:1\n', FILE).config.collector;
    assert.deepEqual(named.hosts.map((host) => host.name), ['web1'], 'hosts still name what the page lists');
  });

  test('bounds pulls and buffered bytes across hosts: defaults, values, and a buffer that must hold one full body', () => {
    const defaults = parseConfig(MINIMAL, FILE).config.collector;
    assert.equal(defaults.maxConcurrent, 256);
    assert.equal(defaults.maxBufferedBytes, 256 * 1024 * 1024);
    const set = parseConfig(`${MINIMAL}max_concurrent = 16\nmax_buffered = 64MB\nmax_body_size = 8MB\n`, FILE).config.collector;
    assert.deepEqual([set.maxConcurrent, set.maxBufferedBytes], [16, 64 * 1024 * 1024]);
    // A larger body cap raises the default buffer with it rather than refusing the config.
    assert.equal(parseConfig(`${MINIMAL}max_body_size = 1GB\n`, FILE).config.collector.maxBufferedBytes, 1024 ** 3);
    assert.equal(
      configError(`${MINIMAL}max_body_size = 32MB\nmax_buffered = 16MB\n`),
      `${FILE}: [collector] max_buffered: 16777216 bytes is less than max_body_size (33554432 bytes): one full body must fit`,
    );
    assert.match(configError(`${MINIMAL}max_concurrent = 2.5\n`), /^\S+ \[collector\] max_concurrent: cannot read "2.5": expected a whole number of hosts$/);
    assert.match(configError(`${MINIMAL}max_buffered = lots\n`), /^\S+ \[collector\] max_buffered: cannot read "lots"/);
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
    ['a host named twice', MINIMAL.replace('hosts = web1=10.0.0.5:8000', 'hosts = a=h:1, a=h:2'), '[collector] hosts: names host "a" twice; give each entry its own label (label=URL)'],
    ['unlabelled URLs that are one host once redacted', MINIMAL.replace('hosts = web1=10.0.0.5:8000', 'hosts = http://h:1/p?key=k1, http://h:1/p?key=k2'), '[collector] hosts: names host "http://h:1/p?key=***" twice; give each entry its own label (label=URL)'],
    ['the reserved name', MINIMAL.replace('web1=', '_all='), '[collector] hosts: host name "_all" is reserved for all hosts merged'],
    ['a name that is a dot segment', MINIMAL.replace('web1=', '..='), '[collector] hosts: host name ".." cannot be a URL path segment'],
    ['a name with a control character', MINIMAL.replace('web1=', 'web\u00071='), '[collector] hosts: a host name holds the unprintable character U+0007'],
    ['a name with a bidi override', MINIMAL.replace('web1=', '\u202eweb1='), '[collector] hosts: a host name holds the unprintable character U+202E'],
    ['a name longer than 200 characters', MINIMAL.replace('web1=', `${'w'.repeat(201)}=`), `[collector] hosts: host name "${'w'.repeat(201)}" is longer than 200 characters`],
    ['an unreadable URL, without its secrets', MINIMAL.replace('web1=10.0.0.5:8000', 'web1=http://admin:pass@[x/?apikey=k'), '[collector] hosts: has an unreadable URL "http://***@[x/?apikey=***"'],
    ['a bad max_stacks', `${MINIMAL}max_stacks = 1.5\n`, '[collector] max_stacks: cannot read "1.5": expected a whole number of stacks'],
    ['an unreadable interval', `${MINIMAL}interval = soon\n`, '[collector] interval: cannot read "soon": expected a whole number of seconds'],
    ['an interval cron cannot keep', `${MINIMAL}interval = 7\n`, '[collector] interval: 7 seconds does not divide'],
    ['a bad schedule', `${MINIMAL}schedule = every day\n`, '[collector] schedule: cannot read "every day"'],
    ['a bad timeout', `${MINIMAL}timeout = -1\n`, '[collector] timeout: cannot read "-1"'],
    ['a bad retention', MINIMAL.replace('dbpath = data', 'dbpath = data\nretention = forever'), '[global] retention: cannot read "forever"'],
    ['a bad port', `${MINIMAL}[server]\nport = 99999\n`, '[server] port: cannot read "99999"'],
    ['a bad sampler switch', `${MINIMAL}[sampler]\nenabled = maybe\n`, '[sampler] enabled: cannot read "maybe"'],
    ['a bad connection limit', `${MINIMAL}[server]\nmax_connections = 0\n`, '[server] max_connections: cannot read "0": expected a whole number above 0'],
    ['a bad header timeout', `${MINIMAL}[server]\nheader_timeout = soon\n`, '[server] header_timeout: cannot read "soon"'],
    ['a request timeout under the header timeout', `${MINIMAL}[server]\nheader_timeout = 20\nrequest_timeout = 10\n`, '[server] request_timeout: 10 s is shorter than [server] header_timeout (20 s)'],
    ['a bad shutdown grace', `${MINIMAL}[server]\nshutdown_grace = -1\n`, '[server] shutdown_grace: cannot read "-1"'],
    ['a user without a password hash', `${MINIMAL}[server]\nuser = ops\n`, '[server] password_hash: is required with [server] user'],
    ['a password hash without a user', `${MINIMAL}[server]\npassword_hash = scrypt:1024:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA\n`, '[server] user: is required with [server] password_hash'],
    ['a user name with a colon', `${MINIMAL}[server]\nuser = a:b\n`, '[server] user: cannot read "a:b"'],
    ['a password that is not a hash', `${MINIMAL}[server]\nuser = ops\npassword_hash = hunter2\n`, '[server] password_hash: cannot read "hunter2": expected scrypt:N:r:p:SALT:HASH'],
    ['an scrypt cost that is not a power of two', `${MINIMAL}[server]\nuser = ops\npassword_hash = scrypt:1000:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA\n`, '[server] password_hash: cannot read'],
    ['an scrypt cost beyond the memory bound', `${MINIMAL}[server]\nuser = ops\npassword_hash = scrypt:1048576:8:1:c2FsdHNhbHQ:aGFzaGhhc2hoYXNoaGFzaA\n`, '[server] password_hash: cannot read'],
    ['a token digest that is not SHA-256 hex', `${MINIMAL}[server]\ntoken_sha256 = abc\n`, '[server] token_sha256: cannot read "abc": expected 64 hex digits'],
    ['no query workers', `${MINIMAL}[server]\nquery_workers = 0\n`, '[server] query_workers: cannot read "0": expected a whole number of worker threads'],
    ['a bad query queue', `${MINIMAL}[server]\nquery_queue = many\n`, '[server] query_queue: cannot read "many": expected a whole number of queries'],
    ['a bad query timeout', `${MINIMAL}[server]\nquery_timeout = never\n`, '[server] query_timeout: cannot read "never": expected a duration'],
    ['a query memory too small to start a worker', `${MINIMAL}[server]\nquery_memory = 8MB\n`, '[server] query_memory: cannot read "8MB": expected a size of at least 16MB'],
    ['a bad stack cache size', `${MINIMAL}[store]\nstack_cache = 0\n`, '[store] stack_cache: cannot read "0": expected a size such as 64MB'],
    ['a bad answer cache size', `${MINIMAL}[store]\nanswer_cache = lots\n`, '[store] answer_cache: cannot read "lots": expected a size such as 16MB, or 0 for none'],
    ['a bad collector switch', `${MINIMAL}enabled = perhaps\n`, '[collector] enabled: cannot read "perhaps"'],
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
    const folder = tempFolder('config');
    assert.throws(() => loadConfig(path.join(folder, 'absent.ini')), (error: Error) => error.message === `${path.join(folder, 'absent.ini')}: cannot read the config file (ENOENT)`);
    const file = path.join(folder, 'ok.ini');
    writeFileSync(file, MINIMAL);
    assert.equal(loadConfig(file).config.global.dbpath, path.join(folder, 'data'));
  });
});
