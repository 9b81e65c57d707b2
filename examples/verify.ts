/**
 * `npm run examples:verify`: runs every example at full size, one process each
 * (so each peak RSS is its own), checks each reference target and prints a
 * Markdown table. Exits non-zero if a target is missed. Takes about 3 minutes here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Target {
  readonly name: string;
  readonly configuration: string;
  readonly reference: string;
  /** The least test accuracy (classifiers). */
  readonly target?: number;
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
];

const only = process.argv.slice(2);
const rows: string[] = [];
let failed = 0;
for (const t of targets.filter((t) => only.length === 0 || only.includes(t.name))) {
  process.stderr.write(`running ${t.name}…\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), t.name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stderr.write(out);
  const line = /RESULT \S+ (.*)seconds=(\d+)/.exec(out);
  const rss = /peak RSS (\d+) MiB/.exec(out);
  if (line === null || rss === null) throw new Error(`${t.name}: no RESULT line`);
  const figures: Figures = Object.fromEntries([...(line[1] as string).matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  const rssMiB = Number(rss[1]);
  const accuracy = figures.accuracy ?? NaN;
  const met = t.check !== undefined ? t.check.pass(figures) : accuracy >= (t.target as number);
  const ok = met && (t.maxRssMiB === undefined || rssMiB < t.maxRssMiB);
  if (!ok) failed++;
  const shown = t.check !== undefined ? t.check.show(figures) : `${(accuracy * 100).toFixed(2)}%`;
  const goal = t.check !== undefined ? t.check.describe : `≥ ${((t.target as number) * 100).toFixed(0)}%`;
  rows.push(`| ${t.name} | ${t.configuration} | ${t.reference} | ${shown} | ${goal}${t.maxRssMiB ? `, < ${t.maxRssMiB} MiB` : ''} | ${line[2]} s | ${rssMiB} MiB | ${ok ? 'pass' : 'MISS'} |`);
}
console.log('| example | configuration | reference reports | tinydense (test figures) | target | wall time | peak RSS | |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exitCode = failed === 0 ? 0 : 1;
