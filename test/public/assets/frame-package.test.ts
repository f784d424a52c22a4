import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageOfFrame } from '../../../public/assets/frame-package.js';
import { NO_PACKAGE_COLOR, packageColor, stableHash } from '../../../public/assets/package-color.js';

test('a Python frame belongs to the top package of its module', () => {
  assert.equal(packageOfFrame('get(shop.views.orders)'), 'shop');
  assert.equal(packageOfFrame('execute_sql(django.db.models.sql.compiler)'), 'django');
  assert.equal(packageOfFrame('<module>(__main__)'), '__main__');
  assert.equal(packageOfFrame('select(selectors)'), 'selectors');
  assert.equal(packageOfFrame('<img src=x onerror=alert(1)>(evil)'), 'evil');
});

test('a Node or pprof frame belongs to its npm package, to node, or to its file\'s folder', () => {
  assert.equal(packageOfFrame('handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)'), 'express');
  assert.equal(packageOfFrame('query (file:///srv/app/node_modules/@prisma/client/runtime/index.js:12)'), '@prisma/client');
  assert.equal(packageOfFrame('listOnTimeout (node:internal/timers:569:17)'), 'node');
  assert.equal(packageOfFrame('listOrders (src/routes/orders.js:19)'), 'src/routes');
  assert.equal(packageOfFrame('main.handler (/home/me/svc/main.go:42)'), '/home/me/svc');
  assert.equal(packageOfFrame('runtime.mallocgc (/usr/local/go/src/runtime/malloc.go)'), '/usr/local/go/src/runtime');
  assert.equal(packageOfFrame('(anonymous) (app.js:3)'), 'app.js');
});

test('frames that name no package have none', () => {
  for (const frame of ['root', 'all', '(other)', '(unknown)', 'main', '', ')']) assert.equal(packageOfFrame(frame), '', frame);
});

test('a package keeps its colour: the same everywhere, shaded a little per function, different from its neighbours', () => {
  assert.equal(stableHash('django'), 0xb78d25de, 'FNV-1a, fixed, so colours survive reloads and hosts');
  const hue = (colour: string) => colour.split(' ')[0];
  assert.equal(hue(packageColor('django', 'a(django.x)')), hue(packageColor('django', 'b(django.y)')));
  assert.equal(packageColor('django', 'a(django.x)'), packageColor('django', 'a(django.x)'));
  const hues = new Set(['django', 'shop', 'gunicorn', 'psycopg', 'rest_framework', 'express'].map((pkg) => hue(packageColor(pkg, pkg))));
  assert.ok(hues.size >= 4, `the demo's packages get different hues: ${[...hues]}`);
  assert.equal(packageColor('', 'all'), NO_PACKAGE_COLOR);
});
