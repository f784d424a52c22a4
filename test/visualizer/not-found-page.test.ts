import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, notFoundPage } from '../../src/visualizer/not-found-page.js';

test('escapeHtml turns every markup character into an entity', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(escapeHtml('plain text ünï'), 'plain text ünï');
});

test('the not-found page shows its message as text', () => {
  const page = notFoundPage('unknown host: <img src=x onerror=alert(1)>');
  assert.ok(page.includes('<p>unknown host: &lt;img src=x onerror=alert(1)&gt;</p>'));
  assert.ok(!page.includes('<img'));
});
