/** Command-line options shared by the examples: sizes can be reduced for quick runs and tests. */
import { parseArgs } from 'node:util';

export interface ExampleOptions {
  /** Epochs to train (default: the reference project's). */
  readonly epochs?: number;
  /** Training samples to use (default: the reference project's split). */
  readonly trainSize?: number;
  /** Test samples to evaluate on (default: the whole test split). */
  readonly testSize?: number;
  /** The model's seed (default 0). */
  readonly seed?: number;
  /** Skip training and load the saved model (image-folder only). */
  readonly noTraining?: boolean;
  /** Where generated data and saved models go (default `.cache/` in the repository). */
  readonly workDir?: string;
  /** Print nothing but the RESULT line. */
  readonly quiet?: boolean;
}

export interface ExampleResult {
  readonly name: string;
  /** Test accuracy, for the classifiers. */
  readonly accuracy?: number;
  /** Test root mean squared error in the target's units, for the regressions. */
  readonly rmse?: number;
  readonly seconds: number;
  /** Further figures for the RESULT line (e.g. the peer's), by name. */
  readonly extra?: Readonly<Record<string, number>>;
}

export function parseExampleArgs(argv: readonly string[]): { name: string; options: ExampleOptions } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      epochs: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      seed: { type: 'string' },
      'no-training': { type: 'boolean' },
      'work-dir': { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  const int = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a non-negative integer, got ${v}`);
    return n;
  };
  const name = positionals[0];
  if (name === undefined) throw new Error('usage: npm run example -- <nielsen|two-hidden|kaggle-csv|image-folder|full-batch|cars|penguins|iris> [--epochs N] [--train N] [--test N] [--seed N] [--no-training]');
  const options: Record<string, unknown> = {
    epochs: int('epochs', values.epochs),
    trainSize: int('train', values.train),
    testSize: int('test', values.test),
    seed: int('seed', values.seed),
    noTraining: values['no-training'],
    workDir: values['work-dir'],
    quiet: values.quiet,
  };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  return { name, options: options as ExampleOptions };
}
