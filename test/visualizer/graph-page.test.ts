import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withPreloads } from '../../src/visualizer/graph-page.js';

const SCRIPT = '<script type="module" async src="/assets/first-requests.js"></script>';
const PAGE = `<head>\n  <title>t</title>\n  ${SCRIPT}\n</head>`;

describe('withPreloads', () => {
  test('preloads each URL, in order, before the script that fetches them, as fetch() asks (CORS mode)', () => {
    assert.equal(
      withPreloads(PAGE, ['/profile/web1/?from=-1h&until=now&format=compact', '/timeline/web1/?from=-1h&until=now']),
      '<head>\n  <title>t</title>\n'
        + '  <link rel="preload" as="fetch" crossorigin href="/profile/web1/?from=-1h&amp;until=now&amp;format=compact">\n'
        + '  <link rel="preload" as="fetch" crossorigin href="/timeline/web1/?from=-1h&amp;until=now">\n'
        + `  ${SCRIPT}\n</head>`,
    );
  });

  test('writes a URL as an attribute value, never markup', () => {
    const html = withPreloads(PAGE, ['/profile/a"><script>x</script>/']);
    assert.ok(html.includes('href="/profile/a&quot;&gt;&lt;script&gt;x&lt;/script&gt;/"'));
    assert.equal(html.match(/<script/g)?.length, 1);
  });

  test('leaves a page without the first-requests script, or with nothing to preload, as it was', () => {
    assert.equal(withPreloads('<head><title>t</title></head>', ['/profile/web1/']), '<head><title>t</title></head>');
    assert.equal(withPreloads(PAGE, []), PAGE);
  });
});
