/**
 * Palmer penguins (Gorman, Williams & Fraser, 2014; `vega-datasets`' penguins.json):
 * the species of 344 penguins from bill length and depth, flipper length, body
 * mass, island and sex. The island and sex are one-hot encoded by `loadTable`;
 * the 11 rows with a missing value (including a sex recorded as ".") are dropped,
 * by choice. [9 → Normalization → 16 ReLU → 3 softmax], categorical
 * cross-entropy, Adam (η = 0.01), batch 16, 60 epochs, on a seeded 80/20 split,
 * with 20% of the training rows held out by `validationSplit` to watch.
 * Target: at least 97% test accuracy.
 */
import { Adam, Dense, Normalization, ReLU, Sequential, Softmax } from 'tinydense';
import { loadTable } from 'tinydense/node';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { printResult } from './support/report.js';
import { dataFile, epochLine, splitTable } from './support/table.js';

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const started = performance.now();
  const table = await loadTable(dataFile('vega-datasets', 'data', 'penguins.json'), {
    features: ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'],
    target: 'Species',
    categorical: ['Island', 'Sex', 'Species'],
    missing: 'drop',
    missingValues: ['', 'NA', '.'],
  });
  const classNames = table.classNames as readonly string[];
  if (options.quiet !== true) console.log(`${table.rows.length} penguins (${table.dropped.length} dropped for a missing value); features ${table.featureNames.join(', ')}`);
  const { train, test } = splitTable(table.x, table.y!, 0.2, 0);
  const epochs = options.epochs ?? 60;
  const width = table.featureNames.length;

  const model = new Sequential(
    [new Normalization().adapt(train[0]), new Dense(width, 16, { init: 'he' }), new ReLU(), new Dense(16, classNames.length), new Softmax()],
    { seed: options.seed ?? 0, classNames, metadata: { source: 'vega-datasets/data/penguins.json', encoding: table.encoding } },
  );
  model.fit(train[0], train[1], {
    verbose: 0, // its own lines, every tenth epoch
    epochs, batchSize: 16, loss: 'categorical-cross-entropy', optimizer: new Adam({ learningRate: 0.01 }),
    validationSplit: 0.2, onEpochEnd: epochLine(epochs, 10, options.quiet),
  });
  const { accuracy } = model.evaluate(test[0], test[1], 'categorical-cross-entropy');
  if (options.quiet !== true) {
    console.log(`first test penguins: ${model.predictClasses(test[0].sliceRows(0, 4)).join(', ')}`);
  }
  const result = { name: 'penguins', accuracy: accuracy as number, seconds: (performance.now() - started) / 1000 };
  printResult(result);
  return result;
}
