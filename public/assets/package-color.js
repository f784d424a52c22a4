// @ts-check
// A frame's colour: its package picks a hue from a fixed palette by a hash of
// the package's name, so a package has the same colour on every reload and
// every host; the function's own hash shades it a little, so neighbouring
// frames of one package stay apart. Pure.

/**
 * Hues far enough apart to tell at a glance, at a lightness that keeps black
 * labels readable on a light or a dark page. [hue, saturation %, lightness %]
 * @type {ReadonlyArray<readonly [number, number, number]>}
 */
const PALETTE = [
  [28, 85, 68], [205, 70, 72], [130, 45, 66], [270, 50, 76], [48, 85, 62], [350, 65, 76],
  [175, 50, 60], [15, 70, 74], [230, 55, 78], [95, 50, 64], [315, 45, 76], [190, 60, 66],
];
/** Shades of one package's hue, in lightness points. */
const SHADES = [-5, -2, 1, 4];
/** Frames that name no package (the root). */
export const NO_PACKAGE_COLOR = 'hsl(220 10% 78%)';

/**
 * FNV-1a over the string's UTF-16 code units: fast, stable everywhere, spread well enough for a palette.
 * @param {string} text
 */
export function stableHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * @param {string} pkg  from packageOfFrame; '' for none
 * @param {string} frame  the frame's name, for its shade
 * @returns {string} a CSS colour
 */
export function packageColor(pkg, frame) {
  if (pkg === '') return NO_PACKAGE_COLOR;
  const [hue, saturation, lightness] = PALETTE[stableHash(pkg) % PALETTE.length];
  const shade = SHADES[stableHash(frame) % SHADES.length];
  return `hsl(${hue} ${saturation}% ${lightness + shade}%)`;
}
