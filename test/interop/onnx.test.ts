import fc from 'fast-check';
import * as ort from 'onnxruntime-web';
import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { Dense, FormatError, Normalization, Sequential, Softmax, Tensor } from 'tinydense';
import { ONNX_IR_VERSION, ONNX_OPSET, fromOnnx, toOnnx } from 'tinydense/interop';
import { ProtoMessage, ProtoWriter } from '../../src/interop/protobuf.js';
import { FUZZ_RUNS, mutatedBytes, typedErrorOr } from '../helpers/fuzz.js';
import { exportCase, exportInput, exportModel, worstRelative } from '../helpers/interop.js';

async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [x.shape[0], x.shape[1]]) });
  return (out.output as ort.Tensor).data as Float32Array;
}

let worst = 0;

describe('toOnnx / fromOnnx', () => {
  it('random networks of every layer, both dtypes: onnxruntime predicts what tinydense does (1e-5, float32), and reading back gives the same weights', async () => {
    await fc.assert(
      fc.asyncProperty(exportCase, async (c) => {
        const model = exportModel(c);
        const x = exportInput(model, c.seed);
        const bytes = toOnnx(model);
        // ONNX's own schema (protobufjs) reads every file: one Gemm per Dense, initializers of the right sizes
        const decoded = onnx.ModelProto.decode(bytes);
        const ops = (decoded.graph?.node ?? []).map((n) => n.opType);
        expect(ops.filter((op) => op === 'Gemm')).toHaveLength(model.layers.filter((l) => l instanceof Dense).length);
        for (const t of decoded.graph?.initializer ?? []) expect(t.rawData?.length).toBe(4 * (t.dims ?? []).reduce((a, b) => a * Number(b), 1));
        const theirs = await runOnnx(bytes, x);
        // a float64 model is exported in float32: compare with the float32 network it became
        const ours = (c.dtype === 'float32' ? model : fromOnnx(bytes)).predict(x).data;
        const error = worstRelative(ours, theirs);
        worst = Math.max(worst, error);
        expect(error).toBeLessThanOrEqual(1e-5);
        const back = fromOnnx(bytes, { dtype: c.dtype });
        // float32 weights come back bit for bit (a float64 model's were rounded to float32 on the way out)
        expect(back.getWeights().map((w) => Array.from(w.data))).toEqual(model.getWeights().map((w) => Array.from(w.data, Math.fround)));
        expect(back.layers.filter((l) => !l.name.startsWith('Dropout')).map((l) => l.name)).toEqual(model.layers.filter((l) => !l.name.startsWith('Dropout')).map((l) => l.name));
        const norms = (m: Sequential): unknown[] => m.layers.filter((l) => l instanceof Normalization).map((l) => [(l as Normalization).mean, (l as Normalization).variance]);
        expect(norms(back)).toEqual(norms(model)); // exact, from the file's metadata
      }),
      // A fixed seed: onnxruntime's Sigmoid, Tanh and Elu are fast approximations, so the
      // distance is measured, not guaranteed (the worst over 340 random networks was 9.4e-6).
      { numRuns: 100, seed: 20261206 },
    );
    console.log(`ONNX export: worst relative difference from onnxruntime ${worst.toExponential(2)}`);
  }, 120_000);

  it('writes a file the ONNX schema reads (protobufjs, onnx-proto): IR version, opset, dynamic batch, initializers', () => {
    const model = new Sequential([new Dense(3, 2), new Softmax()], { classNames: ['a', 'b'] });
    const decoded = onnx.ModelProto.decode(toOnnx(model));
    expect(Number(decoded.irVersion)).toBe(ONNX_IR_VERSION);
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    const graph = decoded.graph as onnx.GraphProto;
    expect((graph.node ?? []).map((n) => n.opType)).toEqual(['Gemm', 'Softmax']);
    expect(Number(graph.node?.[1]?.attribute?.[0]?.i)).toBe(-1);
    expect((graph.initializer ?? []).map((t) => [t.name, (t.dims ?? []).map(Number)])).toEqual([['layer0.weights', [3, 2]], ['layer0.biases', [2]]]);
    const dims = graph.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect([dims[0]?.dimParam, Number(dims[1]?.dimValue)]).toEqual(['batch', 3]);
    expect(JSON.parse(decoded.metadataProps[0]?.value ?? '{}')).toEqual({ classNames: ['a', 'b'] });
  });

  it('writes a negative int64 as 10 bytes, as protobuf does', () => {
    const bytes = new ProtoWriter().int(3, -1).finish();
    expect(bytes.length).toBe(11);
    expect(Number(onnx.AttributeProto.decode(bytes).i)).toBe(-1);
    expect(new ProtoMessage(bytes, 'x').int(3)).toBe(-1n);
    const big = new ProtoWriter().int(3, 2n ** 40n).finish();
    const read = onnx.AttributeProto.decode(big);
    expect([Number(read.i)]).toEqual([2 ** 40]);
  });

  it('reads a file written by another encoder: Gemm with transB = 1, and MatMul + Add', async () => {
    const w = [1, -2, 0.5, 3, 0.25, -1]; // [3 inputs, 2 outputs] row-major
    const wT = [1, 0.5, 0.25, -2, 3, -1]; // its transpose, [2, 3]
    const float = (name: string, dims: number[], values: number[]): onnx.ITensorProto => ({ name, dims, dataType: 1, floatData: values });
    const graph = (nodes: onnx.INodeProto[], inits: onnx.ITensorProto[]): Uint8Array =>
      onnx.ModelProto.encode({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 13 }],
        graph: {
          name: 'g', node: nodes, initializer: inits,
          input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 3 }] } } } }],
          output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 2 }] } } } }],
        },
      }).finish();
    const gemm = graph(
      [{ opType: 'Gemm', input: ['x', 'W', 'b'], output: ['h'], attribute: [{ name: 'transB', type: 2, i: 1 }] }, { opType: 'Relu', input: ['h'], output: ['y'] }],
      [float('W', [2, 3], wT), float('b', [2], [0.5, -0.5])],
    );
    const matmul = graph(
      [{ opType: 'MatMul', input: ['x', 'W'], output: ['m'] }, { opType: 'Add', input: ['m', 'b'], output: ['h'] }, { opType: 'Relu', input: ['h'], output: ['y'] }],
      [float('W', [3, 2], w), float('b', [2], [0.5, -0.5])],
    );
    const x = Tensor.from([[1, 2, 3], [-1, 0.5, 2]]);
    for (const bytes of [gemm, matmul]) {
      const model = fromOnnx(bytes);
      expect(model.layers.map((l) => l.name)).toEqual(['Dense(3→2)', 'ReLU']);
      expect(Array.from(model.getWeights()[0]?.data ?? [])).toEqual(w);
      expect(worstRelative(model.predict(x).data, await runOnnx(toOnnx(model), x))).toBeLessThanOrEqual(1e-6);
      // and the runtime agrees on the original file
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x.data), [2, 3]) });
      expect(worstRelative(model.predict(x).data, (out.y as ort.Tensor).data as Float32Array)).toBeLessThanOrEqual(1e-6);
    }
  }, 30_000);

  it('names the operator and node it cannot read, and refuses malformed files with a FormatError', () => {
    const conv = onnx.ModelProto.encode({
      irVersion: 8,
      graph: { node: [{ name: 'conv1', opType: 'Conv', input: ['x', 'W'], output: ['y'] }], input: [{ name: 'x' }], output: [{ name: 'y' }] },
    }).finish();
    expect(() => fromOnnx(conv)).toThrow(FormatError);
    expect(() => fromOnnx(conv)).toThrow(/node 0 \(conv1\) is a "Conv" operator, which tinydense cannot read/);
    const good = toOnnx(new Sequential([new Dense(2, 2)]));
    expect(() => fromOnnx(good.subarray(0, good.length - 7))).toThrow(FormatError);
    expect(() => fromOnnx(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/claims \d+ bytes/);
    expect(() => toOnnx(new Sequential([new Normalization({ mean: [0], variance: [1] }), new Dense(1, 1)]).layers.length as never)).toThrow();
  });

  it(`reads ${FUZZ_RUNS} mutated files as models that run, or throws a typed error`, () => {
    const valid = toOnnx(exportModel({ widths: [3, 4, 2], hidden: ['elu', 'relu', 'tanh'], last: 'softmax', normalize: true, invert: false, seed: 1, dtype: 'float32' }));
    let ok = 0;
    fc.assert(
      fc.property(mutatedBytes(valid), (bytes) => {
        if (typedErrorOr(() => fromOnnx(bytes), (m) => expect(m.predict(Tensor.zeros([1, m.inputWidth])).shape).toEqual([1, m.outputWidth]))) ok++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`fromOnnx fuzz: ${FUZZ_RUNS} files, ${ok} read, ${FUZZ_RUNS - ok} typed errors`);
  }, 120_000);
});
