import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, ELU, FormatError, Normalization, Sequential, Tensor } from 'tinydense';
import { fromTfjs, toTfjs, type TfjsArtifacts } from 'tinydense/interop';
import { FUZZ_RUNS, jsonPaths, mutateJson, oddJsonValue, typedErrorOr, type Json } from '../helpers/fuzz.js';
import { exportCase, exportInput, exportModel, worstRelative } from '../helpers/interop.js';

type Tf = typeof import('@tensorflow/tfjs');
let tf: Tf;
beforeAll(async () => {
  tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
});

async function runTfjs(artifacts: TfjsArtifacts, x: Tensor): Promise<Float32Array> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
  const out = model.predict(tf.tensor2d(Float32Array.from(x.data), [x.shape[0], x.shape[1]])) as ReturnType<Tf['tensor2d']>;
  const data = (await out.data()) as Float32Array;
  model.dispose();
  return data;
}

let worst = 0;

describe('toTfjs / fromTfjs', () => {
  it('random networks of every layer, both dtypes: TF.js predicts what tinydense does (1e-5, float32), and reading back gives the same weights', async () => {
    await fc.assert(
      fc.asyncProperty(exportCase, async (c) => {
        const model = exportModel(c, 1); // TF.js's ELU takes only alpha = 1
        const x = exportInput(model, c.seed);
        const artifacts = toTfjs(model);
        const theirs = await runTfjs(artifacts, x);
        const back = fromTfjs(artifacts);
        const ours = (c.dtype === 'float32' ? model : back).predict(x).data;
        const error = worstRelative(ours, theirs);
        worst = Math.max(worst, error);
        expect(error).toBeLessThanOrEqual(1e-5);
        // Dense weights come back bit for bit (rounded to float32 for a float64 model)
        const dense = (m: Sequential): number[][] => m.layers.filter((l) => l instanceof Dense).flatMap((l) => [Array.from((l as Dense).weights.data, Math.fround), Array.from((l as Dense).biases.data, Math.fround)]);
        expect(dense(back)).toEqual(dense(model));
        expect(back.layers.map((l) => l.constructor.name)).toEqual(model.layers.map((l) => l.constructor.name));
      }),
      { numRuns: 60, seed: 20261206 },
    );
    console.log(`TF.js export: worst relative difference from TF.js ${worst.toExponential(2)}`);
  }, 120_000);

  it('reads a network built and trained in TF.js and saved by TF.js, and predicts what TF.js predicts', async () => {
    const net = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 8, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 6 }),
        tf.layers.leakyReLU({ alpha: 0.1 }),
        tf.layers.dense({ units: 4, activation: 'tanh' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    net.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 2), 'int32'), 2);
    await net.fit(xs, ys, { epochs: 5, batchSize: 16, verbose: 0 });
    let saved: TfjsArtifacts | undefined;
    await net.save(tf.io.withSaveHandler(async (a) => {
      saved = { modelTopology: a.modelTopology as Record<string, unknown>, weightSpecs: a.weightSpecs as never, weightData: a.weightData as ArrayBuffer };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const model = fromTfjs(saved as TfjsArtifacts);
    expect(model.layers.map((l) => l.name)).toEqual(['Dense(3→8)', 'ReLU', 'Dropout(0.2)', 'Dense(8→6)', 'LeakyReLU(0.1)', 'Dense(6→4)', 'Tanh', 'Dense(4→2)', 'Softmax']);
    const x = Tensor.from([[0.5, -1, 2], [1, 1, -0.3], [-2, 0.1, 0.7]]);
    const theirs = (await (net.predict(tf.tensor2d(Array.from(x.data), [3, 3])) as ReturnType<Tf['tensor2d']>).data()) as Float32Array;
    expect(worstRelative(model.predict(x).data, theirs)).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it('reads a TF.js BatchNormalization (inference) as Normalization layers', async () => {
    const net = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [2], epsilon: 1e-3 }), tf.layers.dense({ units: 1 })] });
    // TF.js lists the trainable weights first: gamma, beta, the kernel and bias, then the moving mean and variance
    net.setWeights([tf.tensor1d([2, 0.5]), tf.tensor1d([1, -1]), tf.tensor2d([[1], [2]]), tf.tensor1d([0.5]), tf.tensor1d([3, -2]), tf.tensor1d([4, 0.25])]);
    const artifacts = await new Promise<TfjsArtifacts>((resolve) => {
      void net.save(tf.io.withSaveHandler(async (a) => {
        resolve({ modelTopology: a.modelTopology as Record<string, unknown>, weightSpecs: a.weightSpecs as never, weightData: a.weightData as ArrayBuffer });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
    });
    const model = fromTfjs(artifacts);
    expect(model.layers.map((l) => l.name)).toEqual(['Normalization(2)', 'Normalization(2, invert)', 'Dense(2→1)']);
    const x = Tensor.from([[1, 2], [-3, 0.5]]);
    const theirs = (await (net.predict(tf.tensor2d(Array.from(x.data), [2, 2])) as ReturnType<Tf['tensor2d']>).data()) as Float32Array;
    expect(worstRelative(model.predict(x).data, theirs)).toBeLessThanOrEqual(1e-5);
  });

  it('names the layer and class it cannot read, and what is missing', () => {
    const good = toTfjs(new Sequential([new Dense(2, 2)]));
    const conv = { ...good, modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2D', config: { name: 'conv2d_1' } }] } } };
    expect(() => fromTfjs(conv)).toThrow(FormatError);
    expect(() => fromTfjs(conv)).toThrow(/layer 0 \(conv2d_1, Conv2D\): the layer class "Conv2D" is not one tinydense reads/);
    expect(() => fromTfjs({ ...good, weightData: new ArrayBuffer(4) })).toThrow(/weightData has 4 bytes, too few/);
    expect(() => fromTfjs({ ...good, weightSpecs: [] })).toThrow(/no 2-D weight dense_1\/kernel/);
    expect(() => toTfjs(new Sequential([new Dense(1, 1), new Normalization({ invert: true })]))).toThrow(/layer 1 \(Normalization\(not adapted, invert\)\) has no TensorFlow\.js form/);
    expect(() => toTfjs(new Sequential([new Dense(1, 1), new ELU({ alpha: 0.5 })]))).toThrow(/TensorFlow\.js's ELU layer takes only alpha = 1/);
  });

  it(`reads ${FUZZ_RUNS} mutated artifacts as models that run, or throws a typed error`, () => {
    const valid = toTfjs(exportModel({ widths: [3, 4, 2], hidden: ['elu', 'dropout', 'tanh'], last: 'softmax', normalize: true, invert: true, seed: 2, dtype: 'float32' }, 1));
    const json = JSON.parse(JSON.stringify({ modelTopology: valid.modelTopology, weightSpecs: valid.weightSpecs })) as Json;
    const paths = jsonPaths(json);
    let ok = 0;
    fc.assert(
      fc.property(fc.constantFrom(...paths), oddJsonValue, fc.nat({ max: valid.weightData.byteLength + 8 }), (path, value, bytes) => {
        const doc = mutateJson(json, path, value) as unknown as TfjsArtifacts;
        const weightData = bytes % 3 === 0 ? valid.weightData.slice(0, bytes) : valid.weightData;
        const read = typedErrorOr(
          () => fromTfjs({ ...(doc as object), weightData } as TfjsArtifacts),
          (m) => expect(m.predict(Tensor.zeros([1, m.inputWidth])).shape).toEqual([1, m.outputWidth]),
        );
        if (read) ok++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`fromTfjs fuzz: ${FUZZ_RUNS} artifacts, ${ok} read, ${FUZZ_RUNS - ok} typed errors`);
  }, 120_000);
});
