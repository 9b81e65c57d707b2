// The WebAssembly SIMD kernels of a float32 Dense layer, of the SGD step and of
// Sigmoid, in AssemblyScript (compiled by `npm run build:wasm` into kernels-wasm.ts;
// not part of the TypeScript program). Arguments are byte offsets into the memory.
//
// Dense and SGD: float32 arithmetic, every product and every sum rounded to
// float32, four lanes at a time. The TypeScript loops they replace round the same
// way (with Math.fround), so both give the same bits. Sigmoid: float32 values, σ
// taken in float64 close enough to round to the float32 its TypeScript loop gives
// (and, where it cannot be sure of that, taken as that loop takes it).

/**
 * Lists each row's non-zero inputs as (column, value) pairs: row n's pairs are
 * pairs[rowStart[n] … rowStart[n + 1]), each two 32-bit slots: the column k, then
 * x_nk. The row goes in runs of eight columns, 64 runs at a time: a first pass
 * sets a bit for each run with a bit set in its values, four runs at a time and
 * without a branch (which runs are zero follows no pattern a branch predictor
 * learns; docs/performance.md has the measurements); then only the runs whose bits are
 * set are read again, in order (a run of −0s among them lists nothing). On the
 * way it folds their values into the running [min, max] at `range` (two
 * float32s), or makes both NaN if a value is NaN, so the caller's input check
 * needs no second pass: the runs of zeros only once, at the end. (Comparing min
 * and max, with NaN tested apart, is cheaper than f32x4.min's NaN rules; −0 and
 * +0 may come out either way.)
 */
export function listNonZero(x: usize, rows: i32, inputs: i32, pairs: usize, rowStart: usize, range: usize): void {
  const zero = f32x4.splat(0);
  let lo = v128.load32_splat(range);
  let hi = v128.load32_splat(range, 4);
  let nan = f32x4.ne(lo, lo);
  let zeros = 0;
  const columnSteps = i32x4(0, 1, 2, 3);
  let count = 0;
  for (let n = 0; n < rows; n++) {
    store<i32>(rowStart + (<usize>n << 2), count);
    const row = x + (<usize>(n * inputs) << 2);
    const runs = inputs >> 3;
    // runs of eight columns, 64 at a time: first a bit per run, set if the run has a
    // non-zero (no branch), then only the set bits' runs, in order
    for (let r0 = 0; r0 < runs; r0 += 64) {
      const block = min(runs - r0, 64);
      let live: u64 = 0;
      let r = 0;
      for (; r + 3 < block; r += 4) {
        const p = row + (<usize>(r0 + r) << 5);
        // four runs' bits, folded into a lane each (narrowing keeps non-zero non-zero)
        const o01 = i16x8.narrow_i32x4_s(v128.or(v128.load(p), v128.load(p, 16)), v128.or(v128.load(p, 32), v128.load(p, 48)));
        const o23 = i16x8.narrow_i32x4_s(v128.or(v128.load(p, 64), v128.load(p, 80)), v128.or(v128.load(p, 96), v128.load(p, 112)));
        live = (live >> 4) | (<u64>i32x4.bitmask(i32x4.ne(i8x16.narrow_i16x8_s(o01, o23), i32x4.splat(0))) << 60);
      }
      for (; r < block; r++) {
        const p = row + (<usize>(r0 + r) << 5);
        live = (live >> 1) | select<u64>(1 << 63, 0, v128.any_true(v128.or(v128.load(p), v128.load(p, 16))));
      }
      live >>= <u64>(64 - block);
      if (<i32>popcnt(live) < block) zeros = 1; // runs of eight zeros: they add only 0 to the range, folded in at the end
      while (live != 0) {
        const k = (r0 + <i32>ctz(live)) << 3;
        live &= live - 1;
        const p = row + (<usize>k << 2);
        const a = v128.load(p);
        const b = v128.load(p, 16);
        // bit q set: column k + q is non-zero
        const mask = i16x8.bitmask(i16x8.narrow_i32x4_s(f32x4.ne(a, zero), f32x4.ne(b, zero)));
        lo = f32x4.pmin(lo, f32x4.pmin(a, b));
        hi = f32x4.pmax(hi, f32x4.pmax(a, b));
        nan = v128.or(nan, v128.or(f32x4.ne(a, a), f32x4.ne(b, b)));
        // the eight (column, value) pairs, two to a vector, pair q stored after the
        // non-zero ones before it (popcnt of the mask's lower bits), so a zero's pair
        // is overwritten by the next; no store waits on the one before
        const c = i32x4.add(i32x4.splat(k), columnSteps);
        const c4 = i32x4.add(c, i32x4.splat(4));
        const at = pairs + (<usize>count << 3);
        const p01 = v128.shuffle<i32>(c, a, 0, 4, 1, 5);
        const p23 = v128.shuffle<i32>(c, a, 2, 6, 3, 7);
        const p45 = v128.shuffle<i32>(c4, b, 0, 4, 1, 5);
        const p67 = v128.shuffle<i32>(c4, b, 2, 6, 3, 7);
        v128.store64_lane(at, p01, 0);
        v128.store64_lane(at + (<usize>(mask & 1) << 3), p01, 1);
        v128.store64_lane(at + (<usize>popcnt(mask & 3) << 3), p23, 0);
        v128.store64_lane(at + (<usize>popcnt(mask & 7) << 3), p23, 1);
        v128.store64_lane(at + (<usize>popcnt(mask & 15) << 3), p45, 0);
        v128.store64_lane(at + (<usize>popcnt(mask & 31) << 3), p45, 1);
        v128.store64_lane(at + (<usize>popcnt(mask & 63) << 3), p67, 0);
        v128.store64_lane(at + (<usize>popcnt(mask & 127) << 3), p67, 1);
        count += popcnt(mask);
      }
    }
    let k = runs << 3;
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
  storeRange(range, lo, hi, nan);
}

/**
 * Stores [min, max] at `range` from four lanes of running minima and maxima (both
 * NaN if any lane of `nan` is set): the lanes folded into lane 0, the halves
 * swapped, then the neighbours.
 */
@inline
function storeRange(range: usize, lo: v128, hi: v128, nan: v128): void {
  lo = f32x4.pmin(lo, v128.shuffle<i32>(lo, lo, 2, 3, 0, 1));
  hi = f32x4.pmax(hi, v128.shuffle<i32>(hi, hi, 2, 3, 0, 1));
  lo = f32x4.pmin(lo, v128.shuffle<i32>(lo, lo, 1, 0, 3, 2));
  hi = f32x4.pmax(hi, v128.shuffle<i32>(hi, hi, 1, 0, 3, 2));
  const none = v128.any_true(nan) ? f32x4.splat(NaN) : f32x4.splat(0);
  v128.store32_lane(range, f32x4.add(lo, none), 0);
  v128.store32_lane(range, f32x4.add(hi, none), 0, 4);
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
 * at vectors + i·vectorStride. Four vectors of sums stay in registers: with
 * eight, V8 runs out of its 16 vector registers and keeps a sum on the stack,
 * whose store and reload then set the loop's pace. Lanes past `count`
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
  // z_nj = b_j + Σ x_nk W_kj over the row's non-zero k
  for (let n = 0; n < rows; n++) forwardRow(pairs, rowStart, n, outputs, w, b, z);
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
  // BP3: ∂C/∂b_j += δ_j; BP4: ∂C/∂W_kj += x_nk δ_nj over the row's non-zero k
  for (let n = 0; n < rows; n++) weightGradientRow(pairs, rowStart, n, <usize>width << 2, columns, delta, nablaW, nablaB);
}

/** W (rows × cols, float32) into wT (cols × rows, float64: exact), for the input gradient. */
export function transpose(w: usize, rows: i32, cols: i32, wT: usize): void {
  // in blocks of 8 × 8, so that the strided side stays within a few cache lines
  for (let k0 = 0; k0 < rows; k0 += 8) {
    const k1 = min(k0 + 8, rows);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(j0 + 8, cols);
      for (let j = j0; j < j1; j++) {
        for (let k = k0; k < k1; k++) {
          store<f64>(wT + (<usize>(j * rows + k) << 3), <f64>load<f32>(w + (<usize>(k * cols + j) << 2)));
        }
      }
    }
  }
}

/**
 * ∂C/∂x = δ·Wᵀ (the book's (wᵀ δ) before BP2's ⊙ σ′(z)) for `rows` rows, with
 * W given transposed in float64: dx_nk = Σ_j δ_nj W_kj, summed over j in order in
 * double precision and rounded once to float32, as the TypeScript loop does.
 * Two rows and eight inputs k at a time (eight f64x2 sums), so each load of Wᵀ
 * serves both rows; lanes past `inputs` read what follows wT (in bounds) and
 * are not stored.
 */
export function denseInputGradient(delta: usize, rows: i32, inputs: i32, outputs: i32, wT: usize, dx: usize): void {
  const dStride = <usize>outputs << 2;
  const xStride = <usize>inputs << 2;
  for (let n = 0; n < rows; n += 2) {
    // with an odd number of rows, the last pair's second row reads what follows δ
    // (in bounds: δ's scratch is followed by the range, the pad and the optimizers'
    // room, together longer than a row of δ) and is not stored
    const second = n + 1 < rows;
    const d0 = delta + <usize>n * dStride;
    const x0 = dx + <usize>n * xStride;
    for (let k = 0; k < inputs; k += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (let j = 0; j < outputs; j++) {
        const p = d0 + (<usize>j << 2);
        const s0 = f64x2.splat(<f64>load<f32>(p));
        const s1 = f64x2.splat(<f64>load<f32>(p + dStride));
        const wj = wT + (<usize>(j * inputs + k) << 3);
        const w0 = v128.load(wj);
        const w1 = v128.load(wj, 16);
        const w2 = v128.load(wj, 32);
        const w3 = v128.load(wj, 48);
        a0 = f64x2.add(a0, f64x2.mul(s0, w0));
        a1 = f64x2.add(a1, f64x2.mul(s0, w1));
        a2 = f64x2.add(a2, f64x2.mul(s0, w2));
        a3 = f64x2.add(a3, f64x2.mul(s0, w3));
        b0 = f64x2.add(b0, f64x2.mul(s1, w0));
        b1 = f64x2.add(b1, f64x2.mul(s1, w1));
        b2 = f64x2.add(b2, f64x2.mul(s1, w2));
        b3 = f64x2.add(b3, f64x2.mul(s1, w3));
      }
      storeSums(x0 + (<usize>k << 2), a0, a1, a2, a3, inputs - k);
      if (second) storeSums(x0 + xStride + (<usize>k << 2), b0, b1, b2, b3, inputs - k);
    }
  }
}

/** Eight float64 sums rounded to float32 and stored at p, the first `count` of them. */
@inline
function storeSums(p: usize, a0: v128, a1: v128, a2: v128, a3: v128, count: i32): void {
  storeLanes(p, v128.shuffle<i32>(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5), count);
  storeLanes(p + 16, v128.shuffle<i32>(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 1, 4, 5), count - 4);
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

// σ(z) for float32 z, computed in float64
const INV_LN2: f64 = 1.44269504088896338700e+00;
// e^r ≈ E0 + E1 r + … + E9 r^9 for |r| ≤ ln2/2, relative error below 2^−45 (fitted
// at Chebyshev nodes, in 50 digits, to degree 9, then rounded to float64)
const E0: f64 = reinterpret<f64>(0x3ff000000000003d); // 0x1.000000000003dp+0
const E1: f64 = reinterpret<f64>(0x3ff0000000000006); // 0x1.0000000000006p+0
const E2: f64 = reinterpret<f64>(0x3fdffffffffe74f1); // 0x1.ffffffffe74f1p-2
const E3: f64 = reinterpret<f64>(0x3fc5555555550d88); // 0x1.5555555550d88p-3
const E4: f64 = reinterpret<f64>(0x3fa55555588b8403); // 0x1.55555588b8403p-5
const E5: f64 = reinterpret<f64>(0x3f811111123bf154); // 0x1.11111123bf154p-7
const E6: f64 = reinterpret<f64>(0x3f56c162bb7d965c); // 0x1.6c162bb7d965cp-10
const E7: f64 = reinterpret<f64>(0x3f2a01994c849582); // 0x1.a01994c849582p-13
const E8: f64 = reinterpret<f64>(0x3efa17df0d914d6c); // 0x1.a17df0d914d6cp-16
const E9: f64 = reinterpret<f64>(0x3ec72e107c874de9); // 0x1.72e107c874de9p-19
const LN2: f64 = 0.6931471805599453;
/** 1.5 · 2^52: adding it rounds a float64 in [0, 2^51) to an integer, which lands in the low bits. */
const ROUNDER: f64 = 6755399441055744.0;

/**
 * σ(z) for two z with |z| < 87, within 2^−44 of Sigmoid.f's value (relative; the
 * most seen is 2^−45.1): e^−|z| = 2^−k e^r with k = round(|z|/ln2) and
 * r = k ln2 − |z|, e^r from a polynomial (in Estrin's scheme, whose steps depend
 * on each other less than Horner's), and no division but σ's own.
 */
@inline
function sigmoidNear2(z: v128): v128 {
  const a = f64x2.abs(z);
  const kr = f64x2.add(f64x2.mul(a, f64x2.splat(INV_LN2)), f64x2.splat(ROUNDER)); // k in the low bits
  const k = f64x2.sub(kr, f64x2.splat(ROUNDER));
  const r = f64x2.sub(f64x2.mul(k, f64x2.splat(LN2)), a);
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const q0 = f64x2.add(f64x2.splat(E0), f64x2.mul(f64x2.splat(E1), r));
  const q1 = f64x2.add(f64x2.splat(E2), f64x2.mul(f64x2.splat(E3), r));
  const q2 = f64x2.add(f64x2.splat(E4), f64x2.mul(f64x2.splat(E5), r));
  const q3 = f64x2.add(f64x2.splat(E6), f64x2.mul(f64x2.splat(E7), r));
  const q4 = f64x2.add(f64x2.splat(E8), f64x2.mul(f64x2.splat(E9), r));
  const p = f64x2.add(f64x2.add(f64x2.add(q0, f64x2.mul(q1, r2)), f64x2.mul(f64x2.add(q2, f64x2.mul(q3, r2)), r4)), f64x2.mul(q4, f64x2.mul(r4, r4)));
  // 2^−k: exponent bits 1023 − k, from k in the low bits of kr
  const e = f64x2.mul(p, i64x2.shl(i64x2.sub(i64x2.splat(0x4338000000000000 + 1023), kr), 52));
  const one = f64x2.splat(1);
  return f64x2.div(v128.bitselect(one, e, f64x2.ge(z, f64x2.splat(0))), f64x2.add(one, e));
}

/**
 * All-ones lanes where s (σ(z) from {@link sigmoidNear2}) is sure to round to the
 * float32 that Sigmoid.f's value rounds to: |z| < 87, so σ(z) is a normal
 * float32, and s is more than 2^−40·s from every midpoint between two float32s
 * (its 29 low mantissa bits, those a float32 drops, are more than 2^13 from
 * 2^28), which an error under 2^−44 cannot cross. About 1 value in 30,000 fails.
 */
@inline
function roundsLikeExact(z: v128, s: v128): v128 {
  const fromMidpoint = v128.and(i64x2.add(s, i64x2.splat((1 << 13) - (1 << 28))), i64x2.splat((1 << 29) - 1));
  return v128.and(f64x2.lt(f64x2.abs(z), f64x2.splat(87)), i64x2.gt_s(fromMidpoint, i64x2.splat(1 << 14)));
}


// JavaScript's Math.exp (the instance imports it), for the values sigmoidNear2 cannot settle
@external("env", "exp")
declare function exp(x: f64): f64;

/** σ(z) as Sigmoid.f computes it, Math.exp and all: (m + (1 − m)e) / (1 + e), e = e^(−|z|), m = [z ≥ 0]. */
function sigmoidExact(z: f32): f32 {
  const e = exp(-Math.abs(<f64>z));
  const m: f64 = z >= 0 ? 1 : 0;
  return <f32>((m + (1 - m) * e) / (1 + e));
}

/**
 * σ(z) in place over `length` float32 values, four at a time, each the float32
 * that Sigmoid.f's float64 value rounds to (as a Float32Array store rounds): from
 * {@link sigmoidNear2} where that is sure to round the same way, else from
 * {@link sigmoidExact}. (All 2^32 float32 inputs checked: `npm run
 * verify:sigmoid`.) Up to three values past the end are overwritten.
 */
export function sigmoid32(x: usize, length: i32): void {
  for (let i = 0; i < length; i += 4) {
    const p = x + (<usize>i << 2);
    const v = v128.load(p);
    const za = f64x2.promote_low_f32x4(v);
    const zb = f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1));
    const a = sigmoidNear2(za);
    const b = sigmoidNear2(zb);
    if (i64x2.all_true(v128.and(roundsLikeExact(za, a), roundsLikeExact(zb, b)))) {
      v128.store(p, v128.shuffle<i32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5));
    } else {
      store<f32>(p, sigmoidExact(f32x4.extract_lane(v, 0)));
      store<f32>(p, sigmoidExact(f32x4.extract_lane(v, 1)), 4);
      store<f32>(p, sigmoidExact(f32x4.extract_lane(v, 2)), 8);
      store<f32>(p, sigmoidExact(f32x4.extract_lane(v, 3)), 12);
    }
  }
}

// Dense inputs (standardised features: few or no zeros) in groups of four rows.
// The pair lists above pay a column index per value and keep one row's sums in
// registers; here four rows share each load of W, and their zeros are skipped as
// the reference loop skips them: a group whose rows are zero in the same columns
// (the usual case: a feature that never varies) lists only the other columns; a
// group whose rows differ in where their zeros are takes the pair path, row by row.

/**
 * For each group of four consecutive rows of x (rows / 4 of them, rounded down):
 * the columns k where all four rows are non-zero, in order, into cols, and the four
 * values x_nk, x_n+1,k, x_n+2,k, x_n+3,k beside each into vals (16 bytes apiece);
 * group g's entries are groupStart[g] … groupStart[g + 1). A group with a column
 * where some but not all of its rows are zero is marked mixed[g] = 1 and its rows
 * are listed as pairs instead (`listNonZero` over the four rows, into pairs from
 * pair 4g·inputs and row starts from slot 5g), as are the last rows % 4 rows
 * (pairs from 4·groups·inputs, row starts from 5·groups). Folds every value into
 * the running [min, max] at `range` as `listNonZero` does.
 */
export function listGroups(
  x: usize, rows: i32, inputs: i32, cols: usize, vals: usize, groupStart: usize, mixed: usize, pairs: usize, rowStart: usize, range: usize,
): void {
  const stride = <usize>inputs << 2;
  const zero = f32x4.splat(0);
  let lo = v128.load32_splat(range);
  let hi = v128.load32_splat(range, 4);
  let nan = f32x4.ne(lo, lo);
  let count = 0;
  const groups = rows >> 2;
  for (let g = 0; g < groups; g++) {
    store<i32>(groupStart + (<usize>g << 2), count);
    const r0 = x + <usize>(g << 2) * stride;
    const start = count;
    let odd = 0;
    let k = 0;
    // four columns at a time: a 4 × 4 block of the four rows, transposed so that
    // each vector holds one column's four values
    for (; k + 3 < inputs; k += 4) {
      const p = r0 + (<usize>k << 2);
      const q0 = v128.load(p);
      const q1 = v128.load(p + stride);
      const q2 = v128.load(p + 2 * stride);
      const q3 = v128.load(p + 3 * stride);
      lo = f32x4.pmin(lo, f32x4.pmin(f32x4.pmin(q0, q1), f32x4.pmin(q2, q3)));
      hi = f32x4.pmax(hi, f32x4.pmax(f32x4.pmax(q0, q1), f32x4.pmax(q2, q3)));
      nan = v128.or(nan, v128.or(v128.or(f32x4.ne(q0, q0), f32x4.ne(q1, q1)), v128.or(f32x4.ne(q2, q2), f32x4.ne(q3, q3))));
      const t01 = v128.shuffle<i32>(q0, q1, 0, 4, 1, 5);
      const t23 = v128.shuffle<i32>(q2, q3, 0, 4, 1, 5);
      const u01 = v128.shuffle<i32>(q0, q1, 2, 6, 3, 7);
      const u23 = v128.shuffle<i32>(q2, q3, 2, 6, 3, 7);
      // each column's bits: which of its four values are non-zero (all four: kept)
      const b0 = listColumn(v128.shuffle<i32>(t01, t23, 0, 1, 4, 5), k, cols, vals, count, zero);
      count += i32(b0 == 15);
      const b1 = listColumn(v128.shuffle<i32>(t01, t23, 2, 3, 6, 7), k + 1, cols, vals, count, zero);
      count += i32(b1 == 15);
      const b2 = listColumn(v128.shuffle<i32>(u01, u23, 0, 1, 4, 5), k + 2, cols, vals, count, zero);
      count += i32(b2 == 15);
      const b3 = listColumn(v128.shuffle<i32>(u01, u23, 2, 3, 6, 7), k + 3, cols, vals, count, zero);
      count += i32(b3 == 15);
      odd |= someZero(b0) | someZero(b1) | someZero(b2) | someZero(b3);
    }
    for (; k < inputs; k++) {
      const p = r0 + (<usize>k << 2);
      let v = f32x4.splat(load<f32>(p));
      v = f32x4.replace_lane(v, 1, load<f32>(p + stride));
      v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * stride));
      v = f32x4.replace_lane(v, 3, load<f32>(p + 3 * stride));
      lo = f32x4.pmin(lo, v);
      hi = f32x4.pmax(hi, v);
      nan = v128.or(nan, f32x4.ne(v, v));
      const bits = listColumn(v, k, cols, vals, count, zero);
      count += i32(bits == 15);
      odd |= someZero(bits);
    }
    store<i32>(mixed + (<usize>g << 2), odd);
    if (odd) {
      count = start;
      listNonZero(r0, 4, inputs, pairs + (<usize>(g << 2) * <usize>inputs << 3), rowStart + (<usize>(5 * g) << 2), range);
    }
  }
  store<i32>(groupStart + (<usize>groups << 2), count);
  // the range so far (listNonZero above read and wrote it too), then the last rows'
  const lo0 = v128.load32_splat(range);
  nan = v128.or(nan, f32x4.ne(lo0, lo0));
  lo = f32x4.pmin(lo, lo0);
  hi = f32x4.pmax(hi, v128.load32_splat(range, 4));
  storeRange(range, lo, hi, nan);
  const rest = rows - (groups << 2);
  if (rest > 0) listNonZero(x + <usize>(groups << 2) * stride, rest, inputs, pairs + (<usize>(groups << 2) * <usize>inputs << 3), rowStart + (<usize>(5 * groups) << 2), range);
}

/**
 * Stores column k's four values v (and k) as entry `count` of a group's list and
 * returns which of them are non-zero, a bit each. The caller keeps the entry only
 * if all four are (bits 15: no branch on the common case).
 */
@inline
function listColumn(v: v128, k: i32, cols: usize, vals: usize, count: i32, zero: v128): i32 {
  store<i32>(cols + (<usize>count << 2), k);
  v128.store(vals + (<usize>count << 4), v);
  return i32x4.bitmask(f32x4.ne(v, zero));
}

/** 1 if a column's bits (from `listColumn`) say some but not all of its values are zero. */
@inline
function someZero(bits: i32): i32 {
  return i32(bits != 15 && bits != 0);
}

/**
 * z = x·W + b as {@link denseForward} computes it (each z_nj from b_j, adding
 * x_nk·W_kj over the row's non-zero k in order), with the rows in groups of four
 * as `listGroups` lists them: eight outputs of four rows in registers, each load
 * of W shared by the four. Mixed groups and the last rows % 4 rows take the pair path.
 */
export function denseForwardGroups(
  pairs: usize, rowStart: usize, rows: i32, inputs: i32, outputs: i32, w: usize, b: usize, z: usize, cols: usize, vals: usize, groupStart: usize, mixed: usize,
): void {
  const width = <usize>outputs << 2;
  const groups = rows >> 2;
  for (let g = 0; g < groups; g++) {
    const zRow = z + <usize>(g << 2) * width;
    if (load<i32>(mixed + (<usize>g << 2))) {
      // the group's rows as pairs, where listGroups put them
      for (let r = 0; r < 4; r++) forwardRow(pairs + (<usize>(g << 2) * <usize>inputs << 3), rowStart + (<usize>(5 * g) << 2), r, outputs, w, b, zRow);
      continue;
    }
    const start = load<i32>(groupStart + (<usize>g << 2));
    const end = load<i32>(groupStart + (<usize>(g + 1) << 2));
    for (let j = 0; j < outputs; j += 8) {
      const jb = <usize>j << 2;
      let a00 = v128.load(b + jb);
      let a01 = v128.load(b + jb, 16);
      let a10 = a00;
      let a11 = a01;
      let a20 = a00;
      let a21 = a01;
      let a30 = a00;
      let a31 = a01;
      for (let t = start; t < end; t++) {
        const at = vals + (<usize>t << 4);
        const wk = w + <usize>load<i32>(cols + (<usize>t << 2)) * width + jb;
        const w0 = v128.load(wk);
        const w1 = v128.load(wk, 16);
        const s0 = v128.load32_splat(at, 0);
        a00 = f32x4.add(a00, f32x4.mul(s0, w0));
        a01 = f32x4.add(a01, f32x4.mul(s0, w1));
        const s1 = v128.load32_splat(at, 4);
        a10 = f32x4.add(a10, f32x4.mul(s1, w0));
        a11 = f32x4.add(a11, f32x4.mul(s1, w1));
        const s2 = v128.load32_splat(at, 8);
        a20 = f32x4.add(a20, f32x4.mul(s2, w0));
        a21 = f32x4.add(a21, f32x4.mul(s2, w1));
        const s3 = v128.load32_splat(at, 12);
        a30 = f32x4.add(a30, f32x4.mul(s3, w0));
        a31 = f32x4.add(a31, f32x4.mul(s3, w1));
      }
      const left = outputs - j;
      const p = zRow + jb;
      storeLanes(p, a00, left);
      storeLanes(p + 16, a01, left - 4);
      storeLanes(p + width, a10, left);
      storeLanes(p + width + 16, a11, left - 4);
      storeLanes(p + 2 * width, a20, left);
      storeLanes(p + 2 * width + 16, a21, left - 4);
      storeLanes(p + 3 * width, a30, left);
      storeLanes(p + 3 * width + 16, a31, left - 4);
    }
  }
  const restPairs = pairs + (<usize>(groups << 2) * <usize>inputs << 3);
  const restStart = rowStart + (<usize>(5 * groups) << 2);
  for (let r = 0; r < rows - (groups << 2); r++) forwardRow(restPairs, restStart, r, outputs, w, b, z + <usize>(groups << 2) * width);
}

/** Row n of {@link denseForward} (a call per row: inlined into each caller it cost 1 KB of the module). */
function forwardRow(pairs: usize, rowStart: usize, n: i32, outputs: i32, w: usize, b: usize, z: usize): void {
  const width = <usize>outputs << 2;
  const zRow = z + <usize>n * width;
  const start = load<i32>(rowStart + (<usize>n << 2));
  const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
  for (let j = 0; j < outputs; j += 16) {
    const jb = <usize>j << 2;
    sumTile(b + jb, zRow + jb, pairs, start, end, w + jb, width, min(outputs - j, 16));
  }
}

/**
 * {@link denseWeightGradient} with the rows in groups of four as `listGroups`
 * lists them: for each listed k, ∂C/∂W_kj for eight outputs stays in registers
 * while the four rows' x_nk δ_nj are added in increasing n (the reference loop's
 * order), so ∇W is loaded and stored once per group rather than once per row.
 * Mixed groups and the last rows % 4 rows take the pair path.
 */
export function denseWeightGradientGroups(
  pairs: usize, rowStart: usize, rows: i32, inputs: i32, width: i32, columns: i32, delta: usize, nablaW: usize, nablaB: usize,
  cols: usize, vals: usize, groupStart: usize, mixed: usize,
): void {
  const stride = <usize>width << 2;
  const groups = rows >> 2;
  for (let g = 0; g < groups; g++) {
    const first = g << 2;
    if (load<i32>(mixed + (<usize>g << 2))) {
      const groupPairs = pairs + (<usize>first * <usize>inputs << 3);
      const groupStarts = rowStart + (<usize>(5 * g) << 2);
      for (let r = 0; r < 4; r++) weightGradientRow(groupPairs, groupStarts, r, stride, columns, delta + <usize>first * stride, nablaW, nablaB);
      continue;
    }
    for (let n = first; n < first + 4; n++) biasGradientRow(delta + <usize>n * stride, columns, nablaB);
    const start = load<i32>(groupStart + (<usize>g << 2));
    const end = load<i32>(groupStart + (<usize>(g + 1) << 2));
    const d = delta + <usize>first * stride;
    for (let j = 0; j < columns; j += 8) {
      const jb = <usize>j << 2;
      const d00 = v128.load(d + jb);
      const d01 = v128.load(d + jb, 16);
      const d10 = v128.load(d + stride + jb);
      const d11 = v128.load(d + stride + jb, 16);
      const d20 = v128.load(d + 2 * stride + jb);
      const d21 = v128.load(d + 2 * stride + jb, 16);
      const d30 = v128.load(d + 3 * stride + jb);
      const d31 = v128.load(d + 3 * stride + jb, 16);
      const left = columns - j;
      for (let t = start; t < end; t++) {
        const at = vals + (<usize>t << 4);
        const gk = nablaW + <usize>load<i32>(cols + (<usize>t << 2)) * stride + jb;
        const s0 = v128.load32_splat(at, 0);
        const s1 = v128.load32_splat(at, 4);
        const s2 = v128.load32_splat(at, 8);
        const s3 = v128.load32_splat(at, 12);
        let g0 = f32x4.add(v128.load(gk), f32x4.mul(s0, d00));
        let g1 = f32x4.add(v128.load(gk, 16), f32x4.mul(s0, d01));
        g0 = f32x4.add(g0, f32x4.mul(s1, d10));
        g1 = f32x4.add(g1, f32x4.mul(s1, d11));
        g0 = f32x4.add(g0, f32x4.mul(s2, d20));
        g1 = f32x4.add(g1, f32x4.mul(s2, d21));
        g0 = f32x4.add(g0, f32x4.mul(s3, d30));
        g1 = f32x4.add(g1, f32x4.mul(s3, d31));
        storeLanes(gk, g0, left);
        storeLanes(gk + 16, g1, left - 4);
      }
    }
  }
  const restPairs = pairs + (<usize>(groups << 2) * <usize>inputs << 3);
  const restStart = rowStart + (<usize>(5 * groups) << 2);
  const restDelta = delta + <usize>(groups << 2) * stride;
  for (let r = 0; r < rows - (groups << 2); r++) weightGradientRow(restPairs, restStart, r, stride, columns, restDelta, nablaW, nablaB);
}

/** BP3 for one row: ∂C/∂b_j += δ_j for `columns` outputs. */
@inline
function biasGradientRow(dRow: usize, columns: i32, nablaB: usize): void {
  let j = 0;
  for (; j + 3 < columns; j += 4) {
    const p = nablaB + (<usize>j << 2);
    v128.store(p, f32x4.add(v128.load(p), v128.load(dRow + (<usize>j << 2))));
  }
  for (; j < columns; j++) {
    const p = nablaB + (<usize>j << 2);
    store<f32>(p, load<f32>(p) + load<f32>(dRow + (<usize>j << 2)));
  }
}

/** Row n of {@link denseWeightGradient} (a call per row, as forwardRow). */
function weightGradientRow(pairs: usize, rowStart: usize, n: i32, stride: usize, columns: i32, delta: usize, nablaW: usize, nablaB: usize): void {
  const dRow = delta + <usize>n * stride;
  biasGradientRow(dRow, columns, nablaB);
  const start = load<i32>(rowStart + (<usize>n << 2));
  const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
  for (let j = 0; j < columns; j += 32) {
    addScaledRows(pairs, start, end, dRow + (<usize>j << 2), nablaW + (<usize>j << 2), stride, columns - j);
  }
}

/**
 * One Adam step over `length` float32 values w with their gradient g and float64
 * moments m and v, as the TypeScript loop (reference.ts, adamStep) computes it:
 * m ← β₁m + keep₁·g, v ← β₂v + (keep₂·g)·g, w ← w − (stepSize·m)/(√v·rootCorrection + ε),
 * in float64 (two lanes; a square root and a division are exactly rounded on
 * every engine), each new w rounded once to float32. Returns 0 if every new w is
 * finite, else NaN (w − w is 0 exactly for finite w).
 */
export function adamStep(
  w: usize, grad: usize, m: usize, v: usize, length: i32, beta1: f64, keep1: f64, beta2: f64, keep2: f64, epsilon: f64, stepSize: f64, rootCorrection: f64,
): f64 {
  const b1 = f64x2.splat(beta1);
  const k1 = f64x2.splat(keep1);
  const b2 = f64x2.splat(beta2);
  const k2 = f64x2.splat(keep2);
  const eps = f64x2.splat(epsilon);
  const step = f64x2.splat(stepSize);
  const root = f64x2.splat(rootCorrection);
  let check = f32x4.splat(0);
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const wi = w + (<usize>i << 2);
    const mi = m + (<usize>i << 3);
    const vi = v + (<usize>i << 3);
    const g = f64x2.promote_low_f32x4(v128.load64_zero(grad + (<usize>i << 2)));
    const m1 = f64x2.add(f64x2.mul(b1, v128.load(mi)), f64x2.mul(k1, g));
    const v1 = f64x2.add(f64x2.mul(b2, v128.load(vi)), f64x2.mul(f64x2.mul(k2, g), g));
    v128.store(mi, m1);
    v128.store(vi, v1);
    const next = f64x2.sub(
      f64x2.promote_low_f32x4(v128.load64_zero(wi)),
      f64x2.div(f64x2.mul(step, m1), f64x2.add(f64x2.mul(f64x2.sqrt(v1), root), eps)),
    );
    const stored = f32x4.demote_f64x2_zero(next);
    v128.store64_lane(wi, stored, 0);
    check = f32x4.add(check, f32x4.sub(stored, stored));
  }
  let total: f64 = <f64>(f32x4.extract_lane(check, 0) + f32x4.extract_lane(check, 1));
  if (i < length) {
    const wi = w + (<usize>i << 2);
    const mi = m + (<usize>i << 3);
    const vi = v + (<usize>i << 3);
    const g = <f64>load<f32>(grad + (<usize>i << 2));
    const m1 = beta1 * load<f64>(mi) + keep1 * g;
    const v1 = beta2 * load<f64>(vi) + keep2 * g * g;
    store<f64>(mi, m1);
    store<f64>(vi, v1);
    const stored = <f32>(<f64>load<f32>(wi) - (stepSize * m1) / (Math.sqrt(v1) * rootCorrection + epsilon));
    store<f32>(wi, stored);
    total += <f64>(stored - stored);
  }
  return total;
}
