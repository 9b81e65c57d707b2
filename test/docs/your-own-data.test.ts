/**
 * The guide docs/your-own-data.md runs as written: its penguin program (steps
 * 1–5, one module) and its regression snippet, each against a CSV written here
 * from the vega-datasets tables, importing 'tinydense' as a user does (the built
 * package, by self-reference).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, '.cache', 'guide-your-own-data');
const guide = readFileSync(join(root, 'docs', 'your-own-data.md'), 'utf8');

function blocks(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}

/** Writes records as CSV with the given column names (source → CSV header), missing values as NA. */
function writeCsv(file: string, records: Record<string, unknown>[], columns: Record<string, string>): void {
  const cell = (v: unknown): string => (v === null || v === undefined ? 'NA' : String(v));
  const lines = [Object.values(columns).join(','), ...records.map((r) => Object.keys(columns).map((k) => cell(r[k])).join(','))];
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
}

function run(name: string, code: string): string {
  const file = join(dir, name);
  writeFileSync(file, code);
  return execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: dir, encoding: 'utf8' });
}

describe('the guide "Your own data"', () => {
  mkdirSync(dir, { recursive: true });
  const data = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(join(root, 'node_modules', 'vega-datasets', 'data', name), 'utf8'));
  writeCsv('penguins.csv', data('penguins.json'), {
    Species: 'species', Island: 'island', 'Beak Length (mm)': 'bill_length_mm', 'Beak Depth (mm)': 'bill_depth_mm',
    'Flipper Length (mm)': 'flipper_length_mm', 'Body Mass (g)': 'body_mass_g', Sex: 'sex',
  });
  writeCsv('cars.csv', data('cars.json'), { Horsepower: 'horsepower', Weight_in_lbs: 'weight', Miles_per_Gallon: 'mpg' });
  const [regression, ...steps] = blocks(guide).reverse();

  it('steps 1–5 train on penguins.csv, reach the accuracy the guide quotes, save, reload and name the species', () => {
    const out = run('penguins.mts', `${steps.reverse().join('\n')}\nconsole.log(JSON.stringify({ shape: table.x.shape, classNames: table.classNames, dropped: table.dropped.length, accuracy, species }));\n`);
    const last = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(last).toEqual({ shape: [333, 9], classNames: ['Adelie', 'Chinstrap', 'Gentoo'], dropped: 11, accuracy: 1, species: 'Gentoo' });
    expect(out).toMatch(/^epoch 60: loss [\d.]+, validation accuracy [\d.]+$/m);
  }, 60_000);

  it('the regression snippet predicts miles per gallon in miles per gallon', () => {
    const out = run('cars.mts', `${regression}\nconsole.log(JSON.stringify({ rootMeanSquaredError, meanAbsoluteError, r2 }));\n`);
    const figures = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(figures.rootMeanSquaredError).toBeLessThan(5);
    expect(figures.meanAbsoluteError).toBeLessThan(figures.rootMeanSquaredError);
    expect(figures.r2).toBeGreaterThan(0.6);
  }, 60_000);
});
