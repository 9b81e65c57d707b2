/**
 * Each example at reduced size (fewer samples and epochs): it must learn, far above
 * the 10% of chance. `npm run examples:verify` runs them at full size.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeImageFolder } from '../examples/data/write-image-folder.js';
import { writeKaggleCsv } from '../examples/data/write-kaggle-csv.js';
import { loadCsv } from 'tinydense/node';

const workDir = mkdtempSync(join(tmpdir(), 'tinydense-examples-'));
const quick = { trainSize: 3000, testSize: 1000, quiet: true, workDir };
let log: { mock: { calls: unknown[][] }; mockRestore(): void };

beforeAll(async () => {
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  // Small versions of the generated data sets, in the examples' own layout.
  await writeKaggleCsv(join(workDir, 'kaggle', 'train.csv'), 4000);
  await writeImageFolder(join(workDir, 'digits'), 3000, 1000);
}, 120_000);
afterAll(() => log.mockRestore());

function resultLine(): string {
  // the latest one: every example logs its own
  return log.mock.calls.map((c) => String(c[0])).filter((l: string) => l.startsWith('RESULT')).at(-1) ?? '';
}

describe('examples at reduced size', () => {
  it('nielsen learns (sigmoid, quadratic, SGD η=3.0)', async () => {
    const { run } = await import('../examples/nielsen.js');
    const r = await run({ ...quick, trainSize: 10_000, epochs: 5 });
    expect(r.accuracy).toBeGreaterThan(0.7);
    expect(resultLine()).toMatch(/^RESULT nielsen accuracy=0\.\d{4} seconds=\d+$/);
  });

  it('two-hidden learns (two sigmoid hidden layers, η=1.3)', async () => {
    const { run } = await import('../examples/two-hidden.js');
    expect((await run({ ...quick, epochs: 8 })).accuracy).toBeGreaterThan(0.6);
  });

  it('kaggle-csv learns from the CSV it reads (full-batch gradient descent)', async () => {
    const csv = await loadCsv(join(workDir, 'kaggle', 'train.csv'));
    expect(csv.images.shape).toEqual([4000, 784]);
    expect(readFileSync(join(workDir, 'kaggle', 'train.csv'), 'utf8').slice(0, 22)).toBe('label,pixel0,pixel1,pi');
    const { run } = await import('../examples/kaggle-csv.js');
    expect((await run({ ...quick, epochs: 60, testSize: 400 })).accuracy).toBeGreaterThan(0.5);
  });

  it('image-folder learns, writes its chart and model, and --no-training evaluates the saved model', async () => {
    const { run } = await import('../examples/image-folder.js');
    const trained = await run({ ...quick, epochs: 2 });
    expect(trained.accuracy).toBeGreaterThan(0.8);
    expect(readFileSync(join(workDir, 'image-folder-error.svg'), 'utf8')).toMatch(/^<svg[\s\S]*test error rate[\s\S]*<\/svg>$/);
    expect(existsSync(join(workDir, 'image-folder-model.json'))).toBe(true);
    const reloaded = await run({ ...quick, noTraining: true });
    expect(reloaded.accuracy).toBe(trained.accuracy);
  });

  it('full-batch learns (ReLU → softmax, full-batch gradient descent, 80/20 split of 70,000)', async () => {
    const { run } = await import('../examples/full-batch.js');
    expect((await run({ ...quick, epochs: 30 })).accuracy).toBeGreaterThan(0.6);
  });

  it('cars predicts MPG in MPG (regression through Normalization, beside TF.js)', async () => {
    const { run } = await import('../examples/cars.js');
    const r = await run({ quiet: true, seed: 0, epochs: 40 });
    expect(r.rmse).toBeGreaterThan(2);
    expect(r.rmse).toBeLessThan(6); // the targets' spread is 7.8 MPG: far better than predicting the mean
    expect(r.extra?.allTfjsRmse).toBeLessThan(6);
    expect(resultLine()).toMatch(/^RESULT cars rmse=\d\.\d{4} hpRmse=.* allTfjsRmse=\d\.\d{4} allTfjsSeconds=[\d.]+ seconds=\d+$/);
  }, 60_000);

  it('penguins learns the species from a table with categorical columns and missing values', async () => {
    const { run } = await import('../examples/penguins.js');
    expect((await run({ quiet: true, epochs: 20 })).accuracy).toBeGreaterThan(0.9);
  });

  it('iris learns the species', async () => {
    const { run } = await import('../examples/iris.js');
    expect((await run({ quiet: true, epochs: 40 })).accuracy).toBeGreaterThan(0.85);
  });

  it("chapter 3's experiments learn, write their charts, and compare what they say they compare", async () => {
    const { run } = await import('../examples/chapter3.js');
    const overfit = await run('ch3-overfit', { ...quick, epochs: 6, trainSize: 1000 });
    expect(overfit.accuracy).toBeGreaterThan(0.5);
    expect(readFileSync(join(workDir, 'ch3-overfit-cost.svg'), 'utf8')).toMatch(/^<svg[\s\S]*cost[\s\S]*<\/svg>$/);
    const init = await run('ch3-init', { ...quick, epochs: 2, trainSize: 3000 });
    expect(init.extra?.newFirst).toBeGreaterThan(init.extra?.oldFirst as number);
    expect(existsSync(join(workDir, 'ch3-init.svg'))).toBe(true);
    const dropout = await run('ch3-dropout', { ...quick, epochs: 2 });
    expect(dropout.extra?.without).toBeGreaterThan(0.5);
    expect(dropout.accuracy).toBeGreaterThan(0.5);
  }, 120_000);
});
