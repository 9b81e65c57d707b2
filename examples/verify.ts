/**
 * `npm run examples:verify`: runs all five examples at full size, one process
 * each (so each peak RSS is its own), checks each reference target and prints a
 * Markdown table. Exits non-zero if a target is missed. Takes about 2 minutes here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Target {
  readonly name: string;
  readonly configuration: string;
  readonly reference: string;
  readonly target: number;
  readonly maxRssMiB?: number;
}

const targets: Target[] = [
  { name: 'nielsen', configuration: '[784,30,10] sigmoid, quadratic, SGD m=10 η=3.0, 30 epochs, 50k train', reference: '~95% (book)', target: 0.95 },
  { name: 'two-hidden', configuration: '[784,30,25,10] sigmoid, quadratic, SGD m=10 η=1.3, 50 epochs', reference: '95.24%', target: 0.95 },
  { name: 'kaggle-csv', configuration: '[784,10,10] ReLU→softmax, CE, full-batch GD η=0.25, 500 steps, CSV 42k rows, 10% held out', reference: '91%', target: 0.91 },
  { name: 'image-folder', configuration: '[784,128,10] ReLU→softmax, CE, 1 image per step η=0.01, 5 epochs, PNG folders', reference: '"most images" after 5 epochs', target: 0.95 },
  { name: 'full-batch', configuration: '[784,64,10] ReLU→softmax, CE, full-batch GD η=0.5, 100 epochs, 56k/14k split', reference: '~90% (>4 GB RAM)', target: 0.9, maxRssMiB: 1024 },
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
  const result = /RESULT \S+ accuracy=([\d.]+) seconds=(\d+)/.exec(out);
  const rss = /peak RSS (\d+) MiB/.exec(out);
  if (result === null || rss === null) throw new Error(`${t.name}: no RESULT line`);
  const accuracy = Number(result[1]);
  const rssMiB = Number(rss[1]);
  const ok = accuracy >= t.target && (t.maxRssMiB === undefined || rssMiB < t.maxRssMiB);
  if (!ok) failed++;
  rows.push(
    `| ${t.name} | ${t.configuration} | ${t.reference} | ${(accuracy * 100).toFixed(2)}% | ≥ ${(t.target * 100).toFixed(0)}%${t.maxRssMiB ? `, < ${t.maxRssMiB} MiB` : ''} | ${result[2]} s | ${rssMiB} MiB | ${ok ? 'pass' : 'MISS'} |`,
  );
}
console.log('| example | configuration | reference reports | tinydense (test accuracy) | target | wall time | peak RSS | |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exitCode = failed === 0 ? 0 : 1;
