/**
 * `npm run bench:tiny`: W5 of the speed issue, a tiny network called a sample at a
 * time, against brain.js 1.6.1 (a dev dependency, for this benchmark only):
 * [2, 8, 1] tanh → sigmoid on XOR's four rows, SGD η = 0.3, momentum 0.1 (brain.js's
 * defaults), quadratic cost.
 *
 *   online  25,000 epochs of the 4 rows, batch 1, in one call: µs per sample
 *   predict one row, warm: µs per call (tinydense `predict`, brain.js `run`)
 *   step    one update on one sample through the public API: µs per call
 *           (tinydense `trainOnBatch`, brain.js `train` with `iterations: 1`)
 *
 * Five rounds, each side in turn (they share the process: both are JavaScript);
 * each figure is the median over the rounds, printed as a Markdown table (or, with
 * --json, as one JSON line for `npm run bench`).
 */
import brain from 'brain.js';
import { Dense, SGD, Sequential, Sigmoid, Tanh, Tensor } from 'tinydense';
import { median } from '../examples/support/stats.js';

const ROUNDS = 5;
const rows = [[0, 0], [0, 1], [1, 0], [1, 1]];
const targets = [[0], [1], [1], [0]];
const data = rows.map((input, i) => ({ input, output: targets[i] }));

interface Sides { tinydense: number; brain: number }
const measures: Record<string, Sides[]> = { online: [], predict: [], step: [] };

const time = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

function tinydense(): Record<string, number> {
  const model = new Sequential([new Dense(2, 8), new Tanh(), new Dense(8, 1), new Sigmoid()], { seed: 1 });
  const optimizer = new SGD({ learningRate: 0.3, momentum: 0.1 });
  const online = time(() => model.fit(rows, targets, { epochs: 25_000, batchSize: 1, loss: 'quadratic', optimizer, verbose: 0 })) * 1000 / 100_000;
  const one = Tensor.from([[1, 0]]);
  for (let i = 0; i < 10_000; i++) model.predict(one);
  const predict = time(() => { for (let i = 0; i < 100_000; i++) model.predict(one); }) * 1000 / 100_000;
  const xs = rows.map((r) => Tensor.from([r]));
  const ys = targets.map((t) => Tensor.from([t]));
  const options = { loss: 'quadratic', optimizer } as const;
  for (let i = 0; i < 10_000; i++) model.trainOnBatch(xs[i % 4] as Tensor, ys[i % 4] as Tensor, options);
  const step = time(() => { for (let i = 0; i < 100_000; i++) model.trainOnBatch(xs[i % 4] as Tensor, ys[i % 4] as Tensor, options); }) * 1000 / 100_000;
  return { online, predict, step };
}

function brainjs(): Record<string, number> {
  const net = new brain.NeuralNetwork({ hiddenLayers: [8], activation: 'tanh' });
  const online = time(() => net.train(data, { iterations: 25_000, errorThresh: 1e-9 })) * 1000 / 100_000;
  for (let i = 0; i < 10_000; i++) net.run([1, 0]);
  const predict = time(() => { for (let i = 0; i < 100_000; i++) net.run([1, 0]); }) * 1000 / 100_000;
  const options = { iterations: 1, errorThresh: 1e-9 };
  for (let i = 0; i < 2_000; i++) net.train([data[i % 4]], options);
  const step = time(() => { for (let i = 0; i < 20_000; i++) net.train([data[i % 4]], options); }) * 1000 / 20_000;
  return { online, predict, step };
}

for (let round = 0; round < ROUNDS; round++) {
  const [a, b] = round % 2 === 0 ? [tinydense(), brainjs()] : (([y, x]) => [x, y])([brainjs(), tinydense()]);
  for (const k of Object.keys(measures)) (measures[k] as Sides[]).push({ tinydense: (a as Record<string, number>)[k] as number, brain: (b as Record<string, number>)[k] as number });
}

const LABELS: Record<string, readonly [string, number]> = {
  online: ['online training, µs/sample', 0.5],
  predict: ['predict one row, µs/call', 1],
  step: ['one step on one sample (trainOnBatch / train), µs/call', 0.5],
};
const measured = Object.entries(measures).map(([k, sides]) => ({
  label: (LABELS[k] as readonly [string, number])[0],
  target: (LABELS[k] as readonly [string, number])[1],
  tinydense: median(sides.map((s) => s.tinydense)),
  brain: median(sides.map((s) => s.brain)),
  rounds: sides.map((s) => [s.tinydense, s.brain] as const),
}));
if (process.argv.includes('--json')) console.log(JSON.stringify({ rounds: ROUNDS, measures: measured }));
else {
  console.log(`W5, [2,8,1] tanh → sigmoid on XOR, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${ROUNDS} rounds (medians, µs)`);
  console.log('| measure | tinydense | brain.js 1.6.1 | tinydense / brain.js | target | rounds (tinydense / brain.js) |');
  console.log('|---|---|---|---|---|---|');
  for (const m of measured) {
    console.log(`| ${m.label} | ${m.tinydense.toFixed(2)} | ${m.brain.toFixed(2)} | ${(m.tinydense / m.brain).toFixed(2)}× | ≤ ${m.target}× | ${m.rounds.map(([a, b]) => `${a.toFixed(2)}/${b.toFixed(2)}`).join(' ')} |`);
  }
}
