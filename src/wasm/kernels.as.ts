// The WebAssembly SIMD kernels of a float32 Dense layer and of the SGD step, in
// AssemblyScript (compiled by `npm run build:wasm` into kernels-wasm.ts; not part
// of the TypeScript program). Arguments are byte offsets into the layer's memory.
//
// Float32 arithmetic: every product and every sum is rounded to float32, four
// lanes at a time. The TypeScript loops they replace round the same way (with
// Math.fround), so both give the same bits.

/**
 * Lists each row's non-zero inputs as (column, value) pairs: row n's pairs are
 * pairs[rowStart[n] … rowStart[n + 1]), each two 32-bit slots: the column k, then
 * x_nk. Eight columns known to be zero are skipped with one vector test (about
 * 81% of MNIST pixels are 0).
 */
export function listNonZero(x: usize, rows: i32, inputs: i32, pairs: usize, rowStart: usize): void {
  const zero = f32x4.splat(0);
  let count = 0;
  for (let n = 0; n < rows; n++) {
    store<i32>(rowStart + (<usize>n << 2), count);
    const row = x + (<usize>(n * inputs) << 2);
    let k = 0;
    for (; k + 7 < inputs; k += 8) {
      const p = row + (<usize>k << 2);
      // bit q set: column k + q is non-zero
      const mask = i16x8.bitmask(i16x8.narrow_i32x4_s(f32x4.ne(v128.load(p), zero), f32x4.ne(v128.load(p, 16), zero)));
      if (mask == 0) continue;
      for (let q = 0; q < 8; q++) {
        const at = pairs + (<usize>count << 3);
        store<i32>(at, k + q);
        store<i32>(at, load<i32>(p + (<usize>q << 2)), 4);
        count += (mask >> q) & 1;
      }
    }
    for (; k < inputs; k++) {
      const at = pairs + (<usize>count << 3);
      const v = load<f32>(row + (<usize>k << 2));
      store<i32>(at, k);
      store<f32>(at, v, 4);
      count += i32(v != 0);
    }
  }
  store<i32>(rowStart + (<usize>rows << 2), count);
}

/** Stores the first `count` lanes of v at p (all four if count ≥ 4). */
@inline
function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) v128.store(p, v);
  else if (count == 3) {
    v128.store64_lane(p, v, 0);
    v128.store32_lane(p, v, 2, 8);
  } else if (count == 2) v128.store64_lane(p, v, 0);
  else if (count == 1) v128.store32_lane(p, v, 0);
}

/**
 * The forward product's inner loop: count (≤ 32) sums, started from the
 * values at `init` and stored at `out`, each adding s·v over the (index i,
 * scalar s) pairs in list[start … end), in order, where v is the vector of floats
 * at vectors + i·vectorStride. Eight vectors of sums stay in registers. Lanes
 * past `count` read whatever follows (in bounds: the layer's memory ends in a
 * pad) and are not stored.
 */
@inline
function sumTile(init: usize, out: usize, list: usize, start: i32, end: i32, vectors: usize, vectorStride: usize, count: i32): void {
  let a0 = v128.load(init);
  let a1 = v128.load(init, 16);
  let a2 = v128.load(init, 32);
  let a3 = v128.load(init, 48);
  let a4 = v128.load(init, 64);
  let a5 = v128.load(init, 80);
  let a6 = v128.load(init, 96);
  let a7 = v128.load(init, 112);
  for (let t = start; t < end; t++) {
    const pair = list + (<usize>t << 3);
    const s = v128.load32_splat(pair, 4);
    const v = vectors + <usize>load<i32>(pair) * vectorStride;
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(v)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(v, 16)));
    a2 = f32x4.add(a2, f32x4.mul(s, v128.load(v, 32)));
    a3 = f32x4.add(a3, f32x4.mul(s, v128.load(v, 48)));
    a4 = f32x4.add(a4, f32x4.mul(s, v128.load(v, 64)));
    a5 = f32x4.add(a5, f32x4.mul(s, v128.load(v, 80)));
    a6 = f32x4.add(a6, f32x4.mul(s, v128.load(v, 96)));
    a7 = f32x4.add(a7, f32x4.mul(s, v128.load(v, 112)));
  }
  storeLanes(out, a0, count);
  storeLanes(out + 16, a1, count - 4);
  storeLanes(out + 32, a2, count - 8);
  storeLanes(out + 48, a3, count - 12);
  storeLanes(out + 64, a4, count - 16);
  storeLanes(out + 80, a5, count - 20);
  storeLanes(out + 96, a6, count - 24);
  storeLanes(out + 112, a7, count - 28);
}

/**
 * z = x·W + b for `rows` rows (the book's z = w·a + b), from x's non-zero (k, x_k)
 * pairs as `listNonZero` lists them, in their order: each z_j starts at b_j and
 * adds x_k·W_kj.
 */
export function denseForward(pairs: usize, rowStart: usize, rows: i32, outputs: i32, w: usize, b: usize, z: usize): void {
  const width = <usize>outputs << 2;
  for (let n = 0; n < rows; n++) {
    const zRow = z + <usize>n * width;
    const start = load<i32>(rowStart + (<usize>n << 2));
    const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
    for (let j = 0; j < outputs; j += 32) {
      // z_nj = b_j + Σ x_nk W_kj over the row's non-zero k
      const jb = <usize>j << 2;
      sumTile(b + jb, zRow + jb, pairs, start, end, w + jb, width, outputs - j);
    }
  }
}

/**
 * The weight gradient's inner loop, the dual of {@link sumTile} (there the sums
 * stay in registers and the vectors stream past; here the vector stays and the
 * sums stream): for each (index k, scalar s) pair in list[start … end), adds s·v
 * to the count (≤ 32) floats at rows + k·rowStride, where v (count floats at
 * `vector`) is held in eight vector registers. Lanes past `count` are read but
 * not stored.
 */
@inline
function addScaledRows(list: usize, start: i32, end: i32, vector: usize, rows: usize, rowStride: usize, count: i32): void {
  const v0 = v128.load(vector);
  const v1 = v128.load(vector, 16);
  const v2 = v128.load(vector, 32);
  const v3 = v128.load(vector, 48);
  const v4 = v128.load(vector, 64);
  const v5 = v128.load(vector, 80);
  const v6 = v128.load(vector, 96);
  const v7 = v128.load(vector, 112);
  for (let t = start; t < end; t++) {
    const pair = list + (<usize>t << 3);
    const s = v128.load32_splat(pair, 4);
    const g = rows + <usize>load<i32>(pair) * rowStride;
    storeLanes(g, f32x4.add(v128.load(g), f32x4.mul(s, v0)), count);
    storeLanes(g + 16, f32x4.add(v128.load(g, 16), f32x4.mul(s, v1)), count - 4);
    storeLanes(g + 32, f32x4.add(v128.load(g, 32), f32x4.mul(s, v2)), count - 8);
    storeLanes(g + 48, f32x4.add(v128.load(g, 48), f32x4.mul(s, v3)), count - 12);
    storeLanes(g + 64, f32x4.add(v128.load(g, 64), f32x4.mul(s, v4)), count - 16);
    storeLanes(g + 80, f32x4.add(v128.load(g, 80), f32x4.mul(s, v5)), count - 20);
    storeLanes(g + 96, f32x4.add(v128.load(g, 96), f32x4.mul(s, v6)), count - 24);
    storeLanes(g + 112, f32x4.add(v128.load(g, 112), f32x4.mul(s, v7)), count - 28);
  }
}

/**
 * Adds ∂C/∂b = Σₙ δₙ (BP3) and ∂C/∂W = xᵀ·δ (BP4) into nablaB and nablaW, from
 * x's non-zero pairs as `listNonZero` lists them: row by row, δₙ held in
 * registers, each ∂C/∂W_k += x_nk δₙ in increasing n, the order the TypeScript
 * loop adds in. Only `columns` outputs starting at the pointers given are added
 * (rows of δ and ∇W are `width` floats apart), so threads can share the outputs
 * between them and each sum still runs in the same order.
 */
export function denseWeightGradient(
  pairs: usize, rowStart: usize, rows: i32, width: i32, columns: i32, delta: usize, nablaW: usize, nablaB: usize,
): void {
  const stride = <usize>width << 2;
  for (let n = 0; n < rows; n++) {
    const dRow = delta + <usize>n * stride;
    // BP3: ∂C/∂b_j += δ_j
    let j = 0;
    for (; j + 3 < columns; j += 4) {
      const p = nablaB + (<usize>j << 2);
      v128.store(p, f32x4.add(v128.load(p), v128.load(dRow + (<usize>j << 2))));
    }
    for (; j < columns; j++) {
      const p = nablaB + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dRow + (<usize>j << 2)));
    }
    // BP4: ∂C/∂W_kj += x_nk δ_nj over the row's non-zero k
    const start = load<i32>(rowStart + (<usize>n << 2));
    const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
    for (let j = 0; j < columns; j += 32) {
      addScaledRows(pairs, start, end, dRow + (<usize>j << 2), nablaW + (<usize>j << 2), stride, columns - j);
    }
  }
}

/** W (rows × cols) into wT (cols × rows). */
export function transpose(w: usize, rows: i32, cols: i32, wT: usize): void {
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < cols; j++) {
      store<f32>(wT + (<usize>(j * rows + k) << 2), load<f32>(w + (<usize>(k * cols + j) << 2)));
    }
  }
}

/**
 * ∂C/∂x = δ·Wᵀ (the book's (wᵀ δ) before BP2's ⊙ σ′(z)) for `rows` rows, with
 * W given transposed: dx_nk = Σ_j δ_nj W_kj, summed over j in order in double
 * precision and rounded once to float32, as the TypeScript loop does. Eight
 * inputs k at a time, in four f64x2 registers; lanes past `inputs` read what
 * follows wT (in bounds) and are not stored.
 */
export function denseInputGradient(delta: usize, rows: i32, inputs: i32, outputs: i32, wT: usize, dx: usize): void {
  for (let n = 0; n < rows; n++) {
    const dRow = delta + (<usize>(n * outputs) << 2);
    const dxRow = dx + (<usize>(n * inputs) << 2);
    for (let k = 0; k < inputs; k += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let j = 0; j < outputs; j++) {
        const d = f64x2.splat(<f64>load<f32>(dRow + (<usize>j << 2)));
        const wj = wT + (<usize>(j * inputs + k) << 2);
        const lo = v128.load(wj);
        const hi = v128.load(wj, 16);
        a0 = f64x2.add(a0, f64x2.mul(d, f64x2.promote_low_f32x4(lo)));
        a1 = f64x2.add(a1, f64x2.mul(d, f64x2.promote_low_f32x4(v128.shuffle<i32>(lo, lo, 2, 3, 0, 1))));
        a2 = f64x2.add(a2, f64x2.mul(d, f64x2.promote_low_f32x4(hi)));
        a3 = f64x2.add(a3, f64x2.mul(d, f64x2.promote_low_f32x4(v128.shuffle<i32>(hi, hi, 2, 3, 0, 1))));
      }
      const lo = v128.shuffle<i32>(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5);
      const hi = v128.shuffle<i32>(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 1, 4, 5);
      const p = dxRow + (<usize>k << 2);
      storeLanes(p, lo, inputs - k);
      storeLanes(p + 16, hi, inputs - k - 4);
    }
  }
}

/**
 * The SGD update w ← decay·w − η·∇C (eq. 20; decay = 1 − ηλ/n with L2, eq. 93) for
 * `length` float32 values, in float32 arithmetic. Returns 0 if every value is
 * finite afterwards, else NaN (w − w is 0 exactly for finite w).
 */
export function sgdStep(w: usize, grad: usize, length: i32, eta: f32, decay: f32): f32 {
  const etaV = f32x4.splat(eta);
  const decayV = f32x4.splat(decay);
  let check = f32x4.splat(0);
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const wi = w + (<usize>i << 2);
    const next = f32x4.sub(f32x4.mul(decayV, v128.load(wi)), f32x4.mul(etaV, v128.load(grad + (<usize>i << 2))));
    v128.store(wi, next);
    check = f32x4.add(check, f32x4.sub(next, next));
  }
  let total = f32x4.extract_lane(check, 0) + f32x4.extract_lane(check, 1) + f32x4.extract_lane(check, 2) + f32x4.extract_lane(check, 3);
  for (; i < length; i++) {
    const wi = w + (<usize>i << 2);
    const next = decay * load<f32>(wi) - eta * load<f32>(grad + (<usize>i << 2));
    store<f32>(wi, next);
    total += next - next;
  }
  return total;
}

/**
 * Folds the smallest and largest of `length` values of type T (f32 or f64) at x
 * into the two doubles at out (min first), as Math.min and Math.max do: NaN if
 * any value is NaN, −0 below +0. Four vectors of each per step, to keep the
 * dependency chains short.
 */
@inline
function valueRange<T>(x: usize, length: i32, out: usize): void {
  const lanes = 16 / sizeof<T>();
  let lo0 = v128.splat<T>(<T>Infinity);
  let lo1 = lo0;
  let lo2 = lo0;
  let lo3 = lo0;
  let hi0 = v128.splat<T>(<T>-Infinity);
  let hi1 = hi0;
  let hi2 = hi0;
  let hi3 = hi0;
  let i = 0;
  for (; i + 4 * lanes <= length; i += 4 * lanes) {
    const p = x + <usize>i * sizeof<T>();
    const a = v128.load(p);
    const b = v128.load(p, 16);
    const c = v128.load(p, 32);
    const d = v128.load(p, 48);
    lo0 = v128.min<T>(lo0, a);
    hi0 = v128.max<T>(hi0, a);
    lo1 = v128.min<T>(lo1, b);
    hi1 = v128.max<T>(hi1, b);
    lo2 = v128.min<T>(lo2, c);
    hi2 = v128.max<T>(hi2, c);
    lo3 = v128.min<T>(lo3, d);
    hi3 = v128.max<T>(hi3, d);
  }
  let lo = v128.min<T>(v128.min<T>(lo0, lo1), v128.min<T>(lo2, lo3));
  let hi = v128.max<T>(v128.max<T>(hi0, hi1), v128.max<T>(hi2, hi3));
  // fold the lanes into lane 0: swap the halves, then (f32) the neighbours
  lo = v128.min<T>(lo, v128.shuffle<i32>(lo, lo, 2, 3, 0, 1));
  hi = v128.max<T>(hi, v128.shuffle<i32>(hi, hi, 2, 3, 0, 1));
  if (sizeof<T>() == 4) {
    lo = v128.min<T>(lo, v128.shuffle<i32>(lo, lo, 1, 0, 3, 2));
    hi = v128.max<T>(hi, v128.shuffle<i32>(hi, hi, 1, 0, 3, 2));
  }
  let l = <f64>v128.extract_lane<T>(lo, 0);
  let h = <f64>v128.extract_lane<T>(hi, 0);
  for (; i < length; i++) {
    const v = <f64>load<T>(x + <usize>i * sizeof<T>());
    l = min(l, v);
    h = max(h, v);
  }
  store<f64>(out, min(load<f64>(out), l));
  store<f64>(out, max(load<f64>(out, 8), h), 8);
}

/** {@link valueRange} for float32 values. */
export function valueRange32(x: usize, length: i32, out: usize): void {
  valueRange<f32>(x, length, out);
}

/** {@link valueRange} for float64 values. */
export function valueRange64(x: usize, length: i32, out: usize): void {
  valueRange<f64>(x, length, out);
}
