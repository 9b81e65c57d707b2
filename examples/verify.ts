/**
 * `npm run examples:verify`: runs every example at full size, one process each
 * (so each peak RSS is its own), checks each reference target and prints a
 * Markdown table. Exits non-zero if a target is missed. Takes about 3 minutes here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './support/stats.js';

interface Target {
  readonly name: string;
  readonly configuration: string;
  readonly reference: string;
  /** The least test accuracy (classifiers). */
  readonly target?: number;
  /** Run once per seed and judge the median (the book's chapter 3 runs: seeds 0–2). */
  readonly seeds?: readonly number[];
  /** A check of the RESULT line's figures, and how to show it (regressions). */
  readonly check?: { readonly describe: string; readonly show: (f: Figures) => string; readonly pass: (f: Figures) => boolean };
  readonly maxRssMiB?: number;
}

type Figures = Readonly<Record<string, number>>;

/** tinydense's median RMSE within 2% of TF.js's (seeds 0–4 each side; the seed-to-seed spread is about ±4%). */
const noWorseThanTfjs = (f: Figures): boolean =>
  ['hp', 'all'].every((k) => f[`${k}TfjsRmse`] !== undefined && (f[`${k}Rmse`] as number) <= 1.02 * (f[`${k}TfjsRmse`] as number));

const targets: Target[] = [
  { name: 'nielsen', configuration: '[784,30,10] sigmoid, quadratic, SGD m=10 η=3.0, 30 epochs, 50k train', reference: '~95% (book)', target: 0.95 },
  { name: 'two-hidden', configuration: '[784,30,25,10] sigmoid, quadratic, SGD m=10 η=1.3, 50 epochs', reference: '95.24%', target: 0.95 },
  { name: 'kaggle-csv', configuration: '[784,10,10] ReLU→softmax, CE, full-batch GD η=0.25, 500 steps, CSV 42k rows, 10% held out', reference: '91%', target: 0.91 },
  { name: 'image-folder', configuration: '[784,128,10] ReLU→softmax, CE, 1 image per step η=0.01, 5 epochs, PNG folders', reference: '"most images" after 5 epochs', target: 0.95 },
  { name: 'full-batch', configuration: '[784,64,10] ReLU→softmax, CE, full-batch GD η=0.5, 100 epochs, 56k/14k split', reference: '~90% (>4 GB RAM)', target: 0.9, maxRssMiB: 1024 },
  {
    name: 'cars',
    configuration: 'MPG from horsepower, then 5 numeric columns: Normalization → [n,32,1] ReLU → linear → inverse Normalization, Adam η=0.003, 100 epochs, 314/78 split',
    reference: 'TF.js, same network and split',
    check: {
      describe: 'median RMSE ≤ 1.02 × TF.js’s',
      show: (f) => `RMSE ${f.hpRmse?.toFixed(2)} / ${f.allRmse?.toFixed(2)} MPG (TF.js ${f.hpTfjsRmse?.toFixed(2)} / ${f.allTfjsRmse?.toFixed(2)}); training ${f.allSeconds?.toFixed(2)} s (TF.js ${f.allTfjsSeconds?.toFixed(2)} s)`,
      pass: noWorseThanTfjs,
    },
  },
  { name: 'penguins', configuration: '9 features (island, sex one-hot), Normalization → [9,16,3] ReLU→softmax, Adam η=0.01, 60 epochs, 266/67 split', reference: '≥ 97% (issue)', target: 0.97 },
  { name: 'iris', configuration: 'Normalization → [4,16,3] ReLU→softmax, Adam η=0.01, 100 epochs, 105/45 split', reference: '≥ 95% (issue)', target: 0.95 },
  // Chapter 3 of the book: within 0.5 points of its figure (1.5 for the 1,000-image runs), median of seeds 0–2
  ...(
    [
      ['ch3-ce-30', '[784,30,10] sigmoid, cross-entropy, η=0.5, m=10, 30 epochs, N(0,1) init', 0.9549, 0.005],
      ['ch3-ce-100', '[784,100,10], otherwise as ch3-ce-30', 0.9682, 0.005],
      ['ch3-overfit', '[784,30,10], the first 1,000 images, 400 epochs, η=0.5', 0.8227, 0.015],
      ['ch3-overfit-l2', 'as ch3-overfit, with L2 λ=0.1', 0.871, 0.015],
      ['ch3-l2-30', '[784,30,10], L2 λ=5.0, η=0.5, 30 epochs', 0.9649, 0.005],
      ['ch3-l2-100', '[784,100,10], L2 λ=5.0, η=0.5, 30 epochs', 0.9792, 0.005],
      ['ch3-l2-100-slow', '[784,100,10], L2 λ=5.0, η=0.1, 60 epochs', 0.9804, 0.005],
    ] as const
  ).map(([name, configuration, book, margin]): Target => ({ name, configuration, reference: `${(book * 100).toFixed(2)}% (book, its best test epoch)`, target: book - margin, seeds: [0, 1, 2] })),
  {
    name: 'ch3-init',
    configuration: '[784,30,10], η=0.1, λ=5.0, 30 epochs: N(0,1/n_in) against N(0,1) weights',
    reference: 'the new one learns faster (book)',
    seeds: [0, 1, 2],
    check: {
      describe: 'validation accuracy after epoch 1 higher with N(0,1/n_in)',
      show: (f) => `after epoch 1: ${((f.newFirst ?? NaN) * 100).toFixed(2)}% against ${((f.oldFirst ?? NaN) * 100).toFixed(2)}%; best: ${((f.accuracy ?? NaN) * 100).toFixed(2)}% against ${((f.old ?? NaN) * 100).toFixed(2)}% (medians)`,
      pass: (f) => (f.newFirst as number) > (f.oldFirst as number),
    },
  },
  {
    name: 'ch3-dropout',
    configuration: '[784,100,10] sigmoid, Dropout(0.5) after the hidden layer, cross-entropy, η=0.5, 30 epochs',
    reference: 'the same network without dropout',
    seeds: [0, 1, 2],
    check: {
      describe: 'reported beside the network without it (≥ 96% as a sanity floor)',
      show: (f) => `${((f.accuracy ?? NaN) * 100).toFixed(2)}% with dropout, ${((f.without ?? NaN) * 100).toFixed(2)}% without (medians)`,
      pass: (f) => (f.accuracy as number) >= 0.96,
    },
  },
];

const only = process.argv.slice(2);
const rows: string[] = [];
let failed = 0;
/** Runs an example once; its figures (from its last RESULT line), seconds and peak RSS. */
function runOnce(name: string, seed: number | undefined): { figures: Figures; seconds: number; rssMiB: number } {
  const args = ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), name, ...(seed === undefined ? [] : ['--seed', String(seed)])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stderr.write(out);
  const line = [...out.matchAll(/RESULT \S+ (.*)seconds=(\d+)/g)].at(-1); // the last: an example may report runs before its own
  const rss = /peak RSS (\d+) MiB/.exec(out);
  if (line === undefined || rss === null) throw new Error(`${name}: no RESULT line`);
  const figures: Figures = Object.fromEntries([...(line[1] as string).matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  return { figures, seconds: Number(line[2]), rssMiB: Number(rss[1]) };
}

for (const t of targets.filter((t) => only.length === 0 || only.includes(t.name))) {
  process.stderr.write(`running ${t.name}…\n`);
  const runs = (t.seeds ?? [undefined]).map((seed) => runOnce(t.name, seed));
  // with seeds, each figure is the median over them (the runs are listed beside it)
  const figures: Figures = Object.fromEntries(Object.keys(runs[0]?.figures ?? {}).map((k) => [k, median(runs.map((r) => r.figures[k] as number))]));
  const rssMiB = Math.max(...runs.map((r) => r.rssMiB));
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const accuracy = figures.accuracy ?? NaN;
  const met = t.check !== undefined ? t.check.pass(figures) : accuracy >= (t.target as number);
  const ok = met && (t.maxRssMiB === undefined || rssMiB < t.maxRssMiB);
  if (!ok) failed++;
  const each = runs.length > 1 ? ` (seeds ${t.seeds?.join(', ')}: ${runs.map((r) => `${((r.figures.accuracy ?? NaN) * 100).toFixed(2)}%`).join(', ')})` : '';
  const bestTest = figures.bestTest === undefined ? '' : `; the book's measure (best test epoch): ${(figures.bestTest * 100).toFixed(2)}%`;
  const shown = t.check !== undefined ? t.check.show(figures) : `${(accuracy * 100).toFixed(2)}%${runs.length > 1 ? ' median' : ''}${each}${bestTest}`;
  const goal = t.check !== undefined ? t.check.describe : `≥ ${((t.target as number) * 100).toFixed(2).replace(/\.00$/, '')}%`;
  rows.push(`| ${t.name} | ${t.configuration} | ${t.reference} | ${shown} | ${goal}${t.maxRssMiB ? `, < ${t.maxRssMiB} MiB` : ''} | ${seconds} s | ${rssMiB} MiB | ${ok ? 'pass' : 'MISS'} |`);
}
console.log('| example | configuration | reference reports | tinydense (test figures) | target | wall time | peak RSS | |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exitCode = failed === 0 ? 0 : 1;
