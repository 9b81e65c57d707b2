/**
 * Turns a drawing into MNIST's format the way MNIST itself was made: the ink's
 * bounding box is scaled (aspect ratio kept, grey levels by area averaging) to fit
 * a 20×20 box, which is then placed in a 28×28 image so that its centre of mass
 * lies at the centre.
 */

/** The ink below this level (of 1) counts as background when finding the bounding box. */
const INK_THRESHOLD = 0.05;

/**
 * @param ink - Ink levels in [0, 1], row by row, `width × height` of them.
 * @param width - The drawing's width in pixels.
 * @param height - The drawing's height in pixels.
 * @returns 784 grey levels in [0, 1] (row by row), or `null` if nothing is drawn.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > INK_THRESHOLD) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (right < 0) return null;
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  // Fit the longer side to 20 pixels, as MNIST's digits were normalised.
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const outWidth = Math.max(1, Math.round(boxWidth * scale));
  const outHeight = Math.max(1, Math.round(boxHeight * scale));
  const sum = new Float64Array(outWidth * outHeight);
  const count = new Float64Array(outWidth * outHeight);
  for (let y = top; y <= bottom; y++) {
    const oy = Math.min(outHeight - 1, Math.floor((y - top) * scale));
    for (let x = left; x <= right; x++) {
      const ox = Math.min(outWidth - 1, Math.floor((x - left) * scale));
      sum[oy * outWidth + ox] += ink[y * width + x] as number;
      count[oy * outWidth + ox] += 1;
    }
  }
  const small = new Float64Array(outWidth * outHeight);
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < small.length; i++) {
    const v = (count[i] as number) > 0 ? (sum[i] as number) / (count[i] as number) : 0;
    small[i] = v;
    mass += v;
    cx += v * ((i % outWidth) + 0.5);
    cy += v * (Math.floor(i / outWidth) + 0.5);
  }
  cx /= mass;
  cy /= mass;
  // Place the 20×20 image so that its centre of mass falls on pixel (14, 14), as in
  // MNIST (measured there: 14.0 ± 0.4 in pixel-index units, i.e. 14.5 in the
  // pixel-centre units of cx and cy).
  const offsetX = Math.round(14.5 - cx);
  const offsetY = Math.round(14.5 - cy);
  const out = new Float32Array(784);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const tx = x + offsetX;
      const ty = y + offsetY;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = Math.min(1, small[y * outWidth + x] as number);
    }
  }
  return out;
}
