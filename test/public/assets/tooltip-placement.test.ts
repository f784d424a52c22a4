import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOOLTIP_GAP, tooltipPosition } from '../../../public/assets/tooltip-placement.js';

const WINDOW = { width: 1440, height: 900 };
const TIP = { width: 400, height: 80 };

test('a tooltip sits below and right of the pointer when it fits', () => {
  assert.deepEqual(tooltipPosition({ x: 100, y: 200 }, TIP, WINDOW), { left: 100 + TOOLTIP_GAP, top: 200 + TOOLTIP_GAP });
});

test('near the right or bottom edge it flips to the other side of the pointer', () => {
  assert.deepEqual(tooltipPosition({ x: 1425, y: 880 }, TIP, WINDOW), { left: 1425 - TOOLTIP_GAP - 400, top: 880 - TOOLTIP_GAP - 80 });
});

test('a tooltip wider than either side of the pointer is clamped inside the window', () => {
  const phone = { width: 390, height: 844 };
  const wide = { width: 360, height: 900 };
  const { left, top } = tooltipPosition({ x: 200, y: 400 }, wide, phone);
  assert.equal(left, 390 - TOOLTIP_GAP - 360);
  assert.equal(top, TOOLTIP_GAP, 'taller than the window: its top stays in view');
  assert.ok(left >= TOOLTIP_GAP && left + wide.width <= phone.width);
});
