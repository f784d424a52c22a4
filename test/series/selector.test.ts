import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSelector, selectorMatcher } from '../../src/series/selector.js';
import { formatSeriesName, readSeriesName } from '../../src/series/series-name.js';

const SERIES = [
  'myapp{__type__=cpu,region=eu-west,zone=a}',
  'myapp{__type__=wall,region=eu-west,zone=a}',
  'myapp{__type__=cpu,region=us-east}',
  'other{__type__=cpu,region=eu-north}',
  'web1',
  '10.0.0.5:8000',
];

/** The series of SERIES that `selector` matches. */
const select = (selector: string) => SERIES.filter((name) => selectorMatcher(parseSelector(selector))(readSeriesName(name)));

describe('parseSelector', () => {
  test('reads an app, labels with every operator, quoted or bare values, and _all', () => {
    assert.deepEqual(parseSelector('_all'), { app: null, matchers: [] });
    assert.deepEqual(parseSelector('myapp'), { app: 'myapp', matchers: [] });
    assert.deepEqual(parseSelector(' myapp { region = "eu, \\"west\\"" , zone!=a,x=~"a.*", y!~b, } '), {
      app: 'myapp',
      matchers: [
        { name: 'region', op: '=', value: 'eu, "west"' },
        { name: 'zone', op: '!=', value: 'a' },
        { name: 'x', op: '=~', value: 'a.*' },
        { name: 'y', op: '!~', value: 'b' },
      ],
    });
    assert.deepEqual(parseSelector('{otel.scope.name=com.grafana.pyroscope/nodejs}'), {
      app: null,
      matchers: [{ name: 'otel.scope.name', op: '=', value: 'com.grafana.pyroscope/nodejs' }],
    });
  });

  test('says what is wrong and where', () => {
    const refusals: [string, RegExp][] = [
      ['', /empty: name an application/],
      ['myapp{region="eu"', /missing "}" at character 18/],
      ['myapp{region="eu}', /unterminated quoted value/],
      ['myapp{1x="a"}', /bad label name "1x"/],
      ['myapp{region~"a"}', /bad label name "region~"|expected =, !=, =~ or !~/],
      ['myapp{region<"a"}', /bad label name|expected =/],
      ['myapp{a="b"} tail', /text after "}"/],
      ['myapp{a="b" c="d"}', /expected "," or "}"/],
      ['my}app', /application name/],
      ['myapp{a=~"(b"}', /label a: regex "\(b": missing "\)"/],
      ['x'.repeat(1025), /longer than 1024 characters/],
    ];
    for (const [text, message] of refusals) assert.throws(() => parseSelector(text), message, text);
  });
});

describe('selectorMatcher', () => {
  test('an app alone is every series of it; a host name is its own series', () => {
    assert.deepEqual(select('myapp'), SERIES.slice(0, 3));
    assert.deepEqual(select('web1'), ['web1']);
    assert.deepEqual(select('10.0.0.5:8000'), ['10.0.0.5:8000']);
    assert.deepEqual(select('nobody'), []);
    assert.deepEqual(parseSelector('pushed "job", 2'), { app: 'pushed "job", 2', matchers: [] });
  });

  test('labels narrow, with equality, inequality and whole-value regexes', () => {
    assert.deepEqual(select('myapp{region="eu-west"}'), SERIES.slice(0, 2));
    assert.deepEqual(select('{region=~"eu.*"}'), [SERIES[0], SERIES[1], SERIES[3]]);
    assert.deepEqual(select('{region=~"eu"}'), []);
    assert.deepEqual(select('myapp{region!~"eu.*"}'), [SERIES[2]]);
    assert.deepEqual(select('myapp{zone!="a"}'), [SERIES[2]]);
  });

  test('a missing label is the empty value, and a missing type is cpu', () => {
    assert.deepEqual(select('{zone=""}'), [SERIES[2], SERIES[3], 'web1', '10.0.0.5:8000']);
    assert.deepEqual(select('{__type__="cpu"}'), [SERIES[0], SERIES[2], SERIES[3], 'web1', '10.0.0.5:8000']);
    assert.deepEqual(select('{__type__="wall"}'), [SERIES[1]]);
  });

  test('_all matches everything', () => {
    assert.deepEqual(select('_all'), SERIES);
  });
});

describe('series names', () => {
  test('the canonical form sorts labels; reading it back gives the same series', () => {
    const name = formatSeriesName({ app: 'myapp', labels: new Map([['zone', 'a'], ['__type__', 'cpu'], ['region', 'eu']]) });
    assert.equal(name, 'myapp{__type__=cpu,region=eu,zone=a}');
    const series = readSeriesName(name);
    assert.equal(series.app, 'myapp');
    assert.equal(formatSeriesName(series), name);
  });

  test('a name that is not canonical is an app without labels', () => {
    for (const name of ['web1', 'http://h:6060/debug/pprof/profile?seconds=10', 'odd{x}', '{a=b}']) {
      assert.deepEqual(readSeriesName(name), { app: name, labels: new Map() });
    }
  });
});
