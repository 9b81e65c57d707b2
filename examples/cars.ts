/**
 * Cars (`vega-datasets`' cars.json, the data of TensorFlow.js's official tutorial
 * "Making predictions from 2D data"): miles per gallon from horsepower, then from
 * every numeric column (cylinders, displacement, horsepower, weight,
 * acceleration). A regression: inputs standardised by a `Normalization` layer, a
 * linear output (a `Dense` with nothing after it), and an inverting
 * `Normalization` adapted on the targets, so the model predicts in MPG.
 * [n → 32 ReLU → 1], quadratic cost, Adam (η = 0.003), batch 32, 100 epochs, on a
 * seeded 80/20 split of the 392 cars with both values (14 lack one and are dropped).
 *
 * When `@tensorflow/tfjs` is installed (a dev dependency here), the same network
 * is trained in TF.js (pure-JS CPU backend) on the same split, with the same
 * standardisation, and its test RMSE and training time are printed beside
 * tinydense's. With 313 training cars the RMSE moves by ±4% from one seed to the
 * next on either side, so each side trains with seeds 0–4 (or `--seed`) and the
 * medians are compared. Target: tinydense's median RMSE no worse than TF.js's,
 * within a 2% band (half the seed-to-seed spread).
 */
import { Adam, Dense, Normalization, ReLU, Sequential, type Tensor } from 'tinydense';
import { loadTable } from 'tinydense/node';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { printResult } from './support/report.js';
import { median } from './support/stats.js';
import { dataFile, epochLine, splitTable } from './support/table.js';

const NUMERIC = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];

interface Fit {
  readonly rmse: number;
  readonly seconds: number;
}

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const started = performance.now();
  const epochs = options.epochs ?? 100;
  const tf = await loadTfjs();
  const figures: Record<string, number> = {};
  let rmse = NaN;
  const seeds = options.seed === undefined ? [0, 1, 2, 3, 4] : [options.seed];
  for (const [label, features] of [['horsepower', ['Horsepower']], ['all numeric', NUMERIC]] as const) {
    const table = await loadTable(dataFile('vega-datasets', 'data', 'cars.json'), { features, target: 'Miles_per_Gallon', missing: 'drop' });
    const { train, test } = splitTable(table.x, table.y as Tensor, 0.2, 0);
    if (options.quiet !== true) console.log(`\n${label}: ${features.join(', ')} → MPG, ${train[0].shape[0]} cars to train on, ${test[0].shape[0]} to test`);
    const ours: Fit[] = [];
    const peer: Fit[] = [];
    for (const seed of seeds) {
      ours.push(fitTinydense(train, test, epochs, seed, options.quiet || seed !== seeds[0]));
      if (tf !== undefined) peer.push(await fitTfjs(tf, train, test, epochs, seed));
      if (options.quiet !== true) {
        const [a, b] = [ours.at(-1) as Fit, peer.at(-1)];
        console.log(`seed ${seed}: tinydense RMSE ${a.rmse.toFixed(3)} MPG in ${a.seconds.toFixed(2)} s${b === undefined ? '' : `; TF.js RMSE ${b.rmse.toFixed(3)} MPG in ${b.seconds.toFixed(2)} s`}`);
      }
    }
    const key = label === 'horsepower' ? 'hp' : 'all';
    figures[`${key}Rmse`] = median(ours.map((f) => f.rmse));
    figures[`${key}Seconds`] = median(ours.map((f) => f.seconds));
    if (peer.length > 0) {
      figures[`${key}TfjsRmse`] = median(peer.map((f) => f.rmse));
      figures[`${key}TfjsSeconds`] = median(peer.map((f) => f.seconds));
    }
    if (options.quiet !== true) {
      console.log(`median: tinydense ${figures[`${key}Rmse`]?.toFixed(3)} MPG in ${figures[`${key}Seconds`]?.toFixed(2)} s` +
        (peer.length === 0 ? '; TF.js not installed, skipped' : `; TF.js ${figures[`${key}TfjsRmse`]?.toFixed(3)} MPG in ${figures[`${key}TfjsSeconds`]?.toFixed(2)} s`));
    }
    rmse = figures[`${key}Rmse`] as number;
  }
  const result = { name: 'cars', rmse, extra: figures, seconds: (performance.now() - started) / 1000 };
  printResult(result);
  return result;
}

function fitTinydense(train: [Tensor, Tensor], test: [Tensor, Tensor], epochs: number, seed: number, quiet: boolean | undefined): Fit {
  const width = train[0].shape[1];
  const model = new Sequential(
    [
      new Normalization().adapt(train[0]),
      new Dense(width, 32, { init: 'he' }),
      new ReLU(),
      new Dense(32, 1), // the regression head: linear, nothing after it but the change of units
      new Normalization({ invert: true }).adapt(train[1]),
    ],
    { seed },
  );
  const started = performance.now();
  model.fit(train[0], train[1], {
    verbose: 0, // its own lines
    epochs, batchSize: 32, loss: 'quadratic', optimizer: new Adam({ learningRate: 0.003 }), onEpochEnd: epochLine(epochs, 25, quiet),
  });
  const seconds = (performance.now() - started) / 1000;
  return { rmse: model.evaluate(test[0], test[1], 'quadratic').rootMeanSquaredError as number, seconds };
}

type Tfjs = typeof import('@tensorflow/tfjs');

async function loadTfjs(): Promise<Tfjs | undefined> {
  try {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    return tf;
  } catch {
    return undefined;
  }
}

/** The same network in TF.js: inputs and targets standardised by the same statistics, He-normal hidden weights, Glorot output, zero biases. */
async function fitTfjs(tf: Tfjs, train: [Tensor, Tensor], test: [Tensor, Tensor], epochs: number, seed: number): Promise<Fit> {
  const xNorm = new Normalization().adapt(train[0]);
  const yNorm = new Normalization().adapt(train[1]);
  const yBack = new Normalization({ invert: true }).adapt(train[1]);
  const asTf = (t: Tensor): ReturnType<typeof tf.tensor2d> => tf.tensor2d(Float32Array.from(t.data), [t.shape[0], t.shape[1]]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [train[0].shape[1]], units: 32, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
  const x = asTf(xNorm.forward(train[0]));
  const y = asTf(yNorm.forward(train[1]));
  const started = performance.now();
  await model.fit(x, y, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  const standardised = model.predict(asTf(xNorm.forward(test[0]))) as ReturnType<typeof tf.tensor2d>;
  const predicted = yBack.forward(new (test[1].constructor as typeof Tensor)(Float32Array.from(await standardised.data()), [test[0].shape[0], 1]));
  let sum = 0;
  for (let i = 0; i < predicted.data.length; i++) sum += ((predicted.data[i] as number) - (test[1].data[i] as number)) ** 2;
  tf.dispose([x, y, standardised]);
  model.dispose();
  return { rmse: Math.sqrt(sum / predicted.data.length), seconds };
}
