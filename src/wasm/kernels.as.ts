// The WebAssembly SIMD kernels of a float32 Dense layer and of the SGD step, in
// AssemblyScript (compiled by `npm run build:wasm` into kernels-wasm.ts; not part
// of the TypeScript program). Arguments are byte offsets into the layer's memory.
//
// Float32 arithmetic: every product and every sum is rounded to float32, four
// lanes at a time. The TypeScript loops they replace round the same way (with
// Math.fround), so both give the same bits.

/** y[j] += a·x[j] for j < n, each product and sum rounded to float32. */
@inline
function axpy(a: f32, x: usize, y: usize, n: i32): void {
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const yj = y + (<usize>j << 2);
    v128.store(yj, f32x4.add(v128.load(yj), f32x4.mul(av, v128.load(x + (<usize>j << 2)))));
  }
  if (j + 1 < n) {
    // two left: one 64-bit pair
    const yj = y + (<usize>j << 2);
    v128.store64_lane(yj, f32x4.add(v128.load64_zero(yj), f32x4.mul(av, v128.load64_zero(x + (<usize>j << 2)))), 0);
    j += 2;
  }
  if (j < n) {
    const yj = y + (<usize>j << 2);
    store<f32>(yj, load<f32>(yj) + a * load<f32>(x + (<usize>j << 2)));
  }
}

/**
 * Lists each row's non-zero inputs: row n's column indices are
 * nonZero[rowStart[n] … rowStart[n + 1]). Eight columns known to be zero are
 * skipped with one vector test (about 81% of MNIST pixels are 0).
 */
export function listNonZero(x: usize, rows: i32, inputs: i32, nonZero: usize, rowStart: usize): void {
  const zero = f32x4.splat(0);
  let count = 0;
  for (let n = 0; n < rows; n++) {
    store<i32>(rowStart + (<usize>n << 2), count);
    const row = x + (<usize>(n * inputs) << 2);
    let k = 0;
    for (; k + 7 < inputs; k += 8) {
      const p = row + (<usize>k << 2);
      if (!v128.any_true(v128.or(f32x4.ne(v128.load(p), zero), f32x4.ne(v128.load(p, 16), zero)))) continue;
      for (let q = k; q < k + 8; q++) {
        store<i32>(nonZero + (<usize>count << 2), q);
        count += i32(load<f32>(row + (<usize>q << 2)) != 0);
      }
    }
    for (; k < inputs; k++) {
      store<i32>(nonZero + (<usize>count << 2), k);
      count += i32(load<f32>(row + (<usize>k << 2)) != 0);
    }
  }
  store<i32>(rowStart + (<usize>rows << 2), count);
}

/** z = x·W + b for `rows` rows (the book's z = w·a + b), summing over the non-zero inputs only. */
export function denseForward(
  x: usize, rows: i32, inputs: i32, outputs: i32, w: usize, b: usize, z: usize, nonZero: usize, rowStart: usize,
): void {
  listNonZero(x, rows, inputs, nonZero, rowStart);
  const width = <usize>outputs << 2;
  for (let n = 0; n < rows; n++) {
    const zRow = z + <usize>n * width;
    const xRow = x + (<usize>(n * inputs) << 2);
    memory.copy(zRow, b, width);
    const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
    for (let t = load<i32>(rowStart + (<usize>n << 2)); t < end; t++) {
      const k = load<i32>(nonZero + (<usize>t << 2));
      axpy(load<f32>(xRow + (<usize>k << 2)), w + <usize>k * width, zRow, outputs);
    }
  }
}

/**
 * Adds ∂C/∂b = Σₙ δₙ (BP3) and ∂C/∂W = xᵀ·δ (BP4) into nablaB and nablaW, over the
 * non-zero inputs listed by the last `listNonZero` for this x.
 */
export function denseWeightGradient(
  x: usize, rows: i32, inputs: i32, outputs: i32, delta: usize, nablaW: usize, nablaB: usize, nonZero: usize, rowStart: usize,
): void {
  const width = <usize>outputs << 2;
  for (let n = 0; n < rows; n++) {
    const dRow = delta + <usize>n * width;
    const xRow = x + (<usize>(n * inputs) << 2);
    // BP3: ∂C/∂b_j += δ_j
    let j = 0;
    for (; j + 3 < outputs; j += 4) {
      const p = nablaB + (<usize>j << 2);
      v128.store(p, f32x4.add(v128.load(p), v128.load(dRow + (<usize>j << 2))));
    }
    for (; j < outputs; j++) {
      const p = nablaB + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dRow + (<usize>j << 2)));
    }
    // BP4: ∂C/∂W_kj += x_k δ_j for the non-zero x_k
    const end = load<i32>(rowStart + (<usize>(n + 1) << 2));
    for (let t = load<i32>(rowStart + (<usize>n << 2)); t < end; t++) {
      const k = load<i32>(nonZero + (<usize>t << 2));
      axpy(load<f32>(xRow + (<usize>k << 2)), dRow, nablaW + <usize>k * width, outputs);
    }
  }
}

/**
 * The SGD update w ← decay·w − η·∇C (eq. 20; decay = 1 − ηλ/n with L2, eq. 93) for
 * `length` float32 values, in float32 arithmetic. With decay = 1, groups of four
 * zero gradients are skipped: w − η·0 is w. Returns 0 if every value is finite
 * afterwards, else NaN (w − w is 0 exactly for finite w).
 */
export function sgdStep(w: usize, grad: usize, length: i32, eta: f32, decay: f32): f32 {
  const etaV = f32x4.splat(eta);
  const decayV = f32x4.splat(decay);
  const sparse = decay == 1;
  let check = f32x4.splat(0);
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const wi = w + (<usize>i << 2);
    let wv = v128.load(wi);
    const gv = v128.load(grad + (<usize>i << 2));
    if (!sparse || v128.any_true(gv)) {
      wv = f32x4.sub(f32x4.mul(decayV, wv), f32x4.mul(etaV, gv));
      v128.store(wi, wv);
    }
    check = f32x4.add(check, f32x4.sub(wv, wv));
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
