/**
 * Runs one example: `npm run example -- <name> [--epochs N] [--train N] [--test N] [--seed N] [--no-training]`.
 */
import { parseExampleArgs, type ExampleOptions, type ExampleResult } from './support/options.js';

const examples: Record<string, () => Promise<{ run: (options: ExampleOptions) => Promise<ExampleResult> }>> = {
  nielsen: () => import('./nielsen.js'),
  'two-hidden': () => import('./two-hidden.js'),
  'kaggle-csv': () => import('./kaggle-csv.js'),
  'image-folder': () => import('./image-folder.js'),
  'full-batch': () => import('./full-batch.js'),
  cars: () => import('./cars.js'),
  penguins: () => import('./penguins.js'),
  iris: () => import('./iris.js'),
  ...Object.fromEntries(
    ['ch3-ce-30', 'ch3-ce-100', 'ch3-overfit', 'ch3-overfit-l2', 'ch3-l2-30', 'ch3-l2-100', 'ch3-l2-100-slow', 'ch3-init', 'ch3-dropout'].map((n) => [
      n,
      async () => ({ run: async (options: ExampleOptions) => (await import('./chapter3.js')).run(n, options) }),
    ]),
  ),
};

const { name, options } = parseExampleArgs(process.argv.slice(2));
const load = examples[name];
if (load === undefined) {
  console.error(`unknown example ${JSON.stringify(name)}; one of: ${Object.keys(examples).join(', ')}`);
  process.exit(2);
}
await (await load()).run(options);
