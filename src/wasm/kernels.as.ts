// The WebAssembly SIMD kernels of a float32 Dense layer, of the SGD step and of
// Sigmoid, in AssemblyScript (compiled by `npm run build:wasm` into kernels-wasm.ts;
// not part of the TypeScript program). Arguments are byte offsets into the memory.
//
// Dense and SGD: float32 arithmetic, every product and every sum rounded to
// float32, four lanes at a time. The TypeScript loops they replace round the same
// way (with Math.fround), so both give the same bits. Sigmoid: float64, two lanes
// at a time, the same steps as its TypeScript loop.

/**
 * Lists each row's non-zero inputs as (column, value) pairs: row n's pairs are
 * pairs[rowStart[n] … rowStart[n + 1]), each two 32-bit slots: the column k, then
 * x_nk. Eight columns known to be zero are skipped with one vector test (about
 * 81% of MNIST pixels are 0, and 60% of its runs of eight). On the way it folds
 * every value into the running [min, max] at `range` (two float32s), or makes
 * both NaN if a value is NaN, so the caller's input check needs no second pass:
 * a run of eight zeros only once, at the end. (Comparing min and max, with NaN
 * tested apart, is cheaper than f32x4.min's NaN rules; −0 and +0 may come out
 * either way.) A run with a non-zero is stored as eight pairs, two per 64-bit
 * lane store, the count moving past each non-zero one, so the zeros among them
 * are overwritten.
 */
export function listNonZero(x: usize, rows: i32, inputs: i32, pairs: usize, rowStart: usize, range: usize): void {
  const zero = f32x4.splat(0);
  let lo = v128.load32_splat(range);
  let hi = v128.load32_splat(range, 4);
  let lo1 = lo;
  let hi1 = hi;
  let nan = f32x4.ne(lo, lo);
  let zeros = 0;
  const columnSteps = i32x4(0, 1, 2, 3);
  let count = 0;
  for (let n = 0; n < rows; n++) {
    store<i32>(rowStart + (<usize>n << 2), count);
    const row = x + (<usize>(n * inputs) << 2);
    let k = 0;
    for (; k + 7 < inputs; k += 8) {
      const p = row + (<usize>k << 2);
      const a = v128.load(p);
      const b = v128.load(p, 16);
      // bit q set: column k + q is non-zero
      const mask = i16x8.bitmask(i16x8.narrow_i32x4_s(f32x4.ne(a, zero), f32x4.ne(b, zero)));
      if (mask == 0) {
        zeros = 1; // eight zeros: they add only 0 to the range, folded in at the end
        continue;
      }
      lo = f32x4.pmin(lo, a);
      lo1 = f32x4.pmin(lo1, b);
      hi = f32x4.pmax(hi, a);
      hi1 = f32x4.pmax(hi1, b);
      nan = v128.or(nan, v128.or(f32x4.ne(a, a), f32x4.ne(b, b)));
      // the eight (column, value) pairs, two to a vector; each stored, and kept if non-zero
      const c = i32x4.add(i32x4.splat(k), columnSteps);
      const c4 = i32x4.add(c, i32x4.splat(4));
      count = storePair(pairs, count, v128.shuffle<i32>(c, a, 0, 4, 1, 5), mask);
      count = storePair(pairs, count, v128.shuffle<i32>(c, a, 2, 6, 3, 7), mask >> 2);
      count = storePair(pairs, count, v128.shuffle<i32>(c4, b, 0, 4, 1, 5), mask >> 4);
      count = storePair(pairs, count, v128.shuffle<i32>(c4, b, 2, 6, 3, 7), mask >> 6);
    }
    for (; k < inputs; k++) {
      const at = pairs + (<usize>count << 3);
      const v = load<f32>(row + (<usize>k << 2));
      const vs = f32x4.splat(v);
      lo = f32x4.pmin(lo, vs);
      hi = f32x4.pmax(hi, vs);
      nan = v128.or(nan, f32x4.ne(vs, vs));
      store<i32>(at, k);
      store<f32>(at, v, 4);
      count += i32(v != 0);
    }
  }
  store<i32>(rowStart + (<usize>rows << 2), count);
  if (zeros) {
    lo = f32x4.pmin(lo, zero);
    hi = f32x4.pmax(hi, zero);
  }
  // fold the lanes into lane 0: swap the halves, then the neighbours
  lo = f32x4.pmin(lo, lo1);
  hi = f32x4.pmax(hi, hi1);
  lo = f32x4.pmin(lo, v128.shuffle<i32>(lo, lo, 2, 3, 0, 1));
  hi = f32x4.pmax(hi, v128.shuffle<i32>(hi, hi, 2, 3, 0, 1));
  lo = f32x4.pmin(lo, v128.shuffle<i32>(lo, lo, 1, 0, 3, 2));
  hi = f32x4.pmax(hi, v128.shuffle<i32>(hi, hi, 1, 0, 3, 2));
  const none = v128.any_true(nan) ? f32x4.splat(NaN) : f32x4.splat(0);
  v128.store32_lane(range, f32x4.add(lo, none), 0);
  v128.store32_lane(range, f32x4.add(hi, none), 0, 4);
}

/**
 * Stores the two (column, value) pairs of v at pairs[count] and pairs[count + 1],
 * each advancing count if its bit in `mask` (bits 0 and 1) is set.
 */
@inline
function storePair(pairs: usize, count: i32, v: v128, mask: i32): i32 {
  v128.store64_lane(pairs + (<usize>count << 3), v, 0);
  count += mask & 1;
  v128.store64_lane(pairs + (<usize>count << 3), v, 1);
  return count + ((mask >> 1) & 1);
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
 * The forward product's inner loop: count (≤ 16) sums, started from the
 * values at `init` and stored at `out`, each adding s·v over the (index i,
 * scalar s) pairs in list[start … end), in order, where v is the vector of floats
 * at vectors + i·vectorStride. Four vectors of sums stay in registers. (Eight
 * were slower: V8 loads all eight vectors of v first, runs out of its 16
 * registers and keeps a sum on the stack, and the store and reload then set the
 * loop's pace: W3's first Dense took 9.0 ms instead of 7.2.) Lanes past `count`
 * read whatever follows (in bounds: the layer's memory ends in a pad) and are not
 * stored.
 */
@inline
function sumTile(init: usize, out: usize, list: usize, start: i32, end: i32, vectors: usize, vectorStride: usize, count: i32): void {
  let a0 = v128.load(init);
  let a1 = v128.load(init, 16);
  let a2 = v128.load(init, 32);
  let a3 = v128.load(init, 48);
  for (let t = start; t < end; t++) {
    const pair = list + (<usize>t << 3);
    const s = v128.load32_splat(pair, 4);
    const v = vectors + <usize>load<i32>(pair) * vectorStride;
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(v)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(v, 16)));
    a2 = f32x4.add(a2, f32x4.mul(s, v128.load(v, 32)));
    a3 = f32x4.add(a3, f32x4.mul(s, v128.load(v, 48)));
  }
  storeLanes(out, a0, count);
  storeLanes(out + 16, a1, count - 4);
  storeLanes(out + 32, a2, count - 8);
  storeLanes(out + 48, a3, count - 12);
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
    for (let j = 0; j < outputs; j += 16) {
      // z_nj = b_j + Σ x_nk W_kj over the row's non-zero k
      const jb = <usize>j << 2;
      sumTile(b + jb, zRow + jb, pairs, start, end, w + jb, width, min(outputs - j, 16));
    }
  }
}

/**
 * listNonZero, then denseForward, over the same rows of x: a thread's share of a
 * chunk of dense rows.
 */
export function denseForwardDense(
  x: usize, rows: i32, inputs: i32, pairs: usize, rowStart: usize, range: usize, outputs: i32, w: usize, b: usize, z: usize,
): void {
  listNonZero(x, rows, inputs, pairs, rowStart, range);
  denseForward(pairs, rowStart, rows, outputs, w, b, z);
}

/**
 * The weight gradient's inner loop, the dual of {@link sumTile} (there the sums
 * stay in registers and the vectors stream past; here the vector stays and the
 * sums stream): for each (index k, scalar s) pair in list[start … end), adds s·v
 * to the count (≤ 32) floats at rows + k·rowStride, where v (count floats at
 * `vector`) is held in eight vector registers (four when count ≤ 16). Lanes
 * past `count` are read but not stored.
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
  const wide = count > 16;
  for (let t = start; t < end; t++) {
    const pair = list + (<usize>t << 3);
    const s = v128.load32_splat(pair, 4);
    const g = rows + <usize>load<i32>(pair) * rowStride;
    storeLanes(g, f32x4.add(v128.load(g), f32x4.mul(s, v0)), count);
    storeLanes(g + 16, f32x4.add(v128.load(g, 16), f32x4.mul(s, v1)), count - 4);
    storeLanes(g + 32, f32x4.add(v128.load(g, 32), f32x4.mul(s, v2)), count - 8);
    storeLanes(g + 48, f32x4.add(v128.load(g, 48), f32x4.mul(s, v3)), count - 12);
    if (!wide) continue;
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

// fdlibm's exp (e_exp.c, the algorithm V8's and SpiderMonkey's Math.exp run), for x ≤ 0
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const UNDERFLOW: f64 = -7.45133219101941108420e+02;

/**
 * e^x for two x ≤ 0 (or NaN) at once, as fdlibm computes it one at a time (and so
 * V8's Math.exp): its branches on the high word become lane selects on |x|, and
 * its k = 0 formula is the general one with hi = x, lo = 0 (the same bits).
 */
@inline
function expNonPositive2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // k: −1 for 0.5 ln2 < |x| < 1.5 ln2, trunc(x/ln2 − 0.5) beyond, 0 below (fdlibm's tests of the high word)
  let k = f64x2.convert_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(f64x2.sub(f64x2.mul(f64x2.splat(INV_LN2), x), f64x2.splat(0.5))));
  k = v128.bitselect(f64x2.splat(-1), k, f64x2.lt(ax, f64x2.splat(reinterpret<f64>(0x3ff0a2b200000000))));
  k = v128.and(k, f64x2.ge(ax, f64x2.splat(reinterpret<f64>(0x3fd62e4300000000))));
  // x = hi − lo, reduced to |x| ≤ 0.5 ln2, and e^x = 2^k · e^(hi − lo)
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.mul(t, f64x2.splat(P5));
  p = f64x2.mul(t, f64x2.add(f64x2.splat(P4), p));
  p = f64x2.mul(t, f64x2.add(f64x2.splat(P3), p));
  p = f64x2.mul(t, f64x2.add(f64x2.splat(P2), p));
  const c = f64x2.sub(r, f64x2.mul(t, f64x2.add(f64x2.splat(P1), p)));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2), c));
  const y = f64x2.sub(f64x2.splat(1), f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^k from its exponent bits; below 2^−1021, 2^(k+1000) and then 2^−1000
  const ki = i32x4.trunc_sat_f64x2_s_zero(k);
  const deep = i32x4.lt_s(ki, i32x4.splat(-1021));
  const exponent = i32x4.add(ki, v128.and(deep, i32x4.splat(1000)));
  const twoPk = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(exponent), i64x2.splat(1023)), 52);
  // (the other lanes times 1, not times 2^−1000 and then dropped: below e^−15 that
  // product is subnormal, and subnormals made the kernel 2.4× slower on |z| ≤ 40)
  const scale = v128.bitselect(f64x2.splat(TWO_M1000), f64x2.splat(1), i64x2.extend_low_i32x4_s(deep));
  let e = f64x2.mul(f64x2.mul(y, twoPk), scale);
  e = v128.bitselect(f64x2.add(f64x2.splat(1), x), e, f64x2.lt(ax, f64x2.splat(reinterpret<f64>(0x3e30000000000000)))); // |x| < 2^−28
  e = v128.andnot(e, f64x2.lt(x, f64x2.splat(UNDERFLOW)));
  return v128.bitselect(f64x2.add(x, x), e, f64x2.ne(x, x));
}

/** σ(z) for two z, as Sigmoid.f computes it: (m + (1 − m)e) / (1 + e), e = e^(−|z|), m = [z ≥ 0]. */
@inline
function sigmoid2(z: v128): v128 {
  const one = f64x2.splat(1);
  const e = expNonPositive2(f64x2.neg(f64x2.abs(z)));
  const m = v128.and(f64x2.ge(z, f64x2.splat(0)), one);
  return f64x2.div(f64x2.add(m, f64x2.mul(f64x2.sub(one, m), e)), f64x2.add(one, e));
}

/**
 * σ(z) in place over `length` values, four at a time (two independent chains):
 * float64 values, or float32 ones if `narrow`, widened exactly and rounded back
 * as a Float32Array store rounds (so the caller copies float32 in and out, not
 * converting each value on the way). Up to three values past the end are
 * overwritten.
 */
export function sigmoid64(x: usize, length: i32, narrow: bool): void {
  for (let i = 0; i < length; i += 4) {
    const p = x + (<usize>i << (narrow ? 2 : 3));
    const v = v128.load(p);
    const a = sigmoid2(narrow ? f64x2.promote_low_f32x4(v) : v);
    const b = sigmoid2(narrow ? f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)) : v128.load(p, 16));
    if (narrow) {
      v128.store(p, v128.shuffle<i32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5));
    } else {
      v128.store(p, a);
      v128.store(p, b, 16);
    }
  }
}
