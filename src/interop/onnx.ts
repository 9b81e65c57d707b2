/**
 * ONNX out and in: a tinydense model as an ONNX file any ONNX runtime can run,
 * and an ONNX file of dense layers as a tinydense model.
 *
 * @module
 */
import {
  Dense, Dropout, ELU, FormatError, LeakyReLU, Normalization, ReLU, Sequential, Sigmoid, Softmax, Tanh, Tensor, TinyDenseError,
  type DType, type Layer,
} from 'tinydense';
import { ProtoMessage, ProtoWriter } from './protobuf.js';

/** The ONNX IR version written (ONNX 1.14's). */
export const ONNX_IR_VERSION = 9;
/** The operator set written: the default domain's version 17. */
export const ONNX_OPSET = 17;

const FLOAT = 1;
const DOUBLE = 11;
/** The metadata key under which tinydense keeps what the graph's arithmetic cannot carry exactly. */
const EXTRAS = 'tinydense';

interface Extras {
  readonly classNames?: readonly string[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Each Normalization's exact float64 statistics, in layer order. */
  readonly normalization?: readonly { readonly mean: readonly number[]; readonly variance: readonly number[] }[];
  /** Each LeakyRelu's and Elu's exact alpha (ONNX attributes are float32), in node order. */
  readonly alpha?: readonly number[];
}

/**
 * The model as an ONNX file (IR version 9, opset 17): a graph from `input`
 * (`[batch, inputWidth]`, float32, the batch dimension dynamic) to `output`. Dense
 * is `Gemm` (tinydense's W is already `[inputs, outputs]`), the activations are
 * `Sigmoid`, `Relu`, `Tanh`, `Softmax`, `LeakyRelu` and `Elu`, a `Normalization`
 * is `Sub` and `Div` (or `Mul` and `Add` when it inverts), and `Dropout`, which does
 * nothing at inference, is left out. Weights are written as float32 (a float64
 * model is rounded). Class names, metadata and the exact statistics of each
 * `Normalization` go in the file's metadata, for {@link fromOnnx}.
 *
 * @param model - The model.
 * @returns The ONNX file's bytes.
 * @throws `FormatError` if the model has a layer ONNX export does not know (a custom layer).
 * @example
 * ```ts
 * import { Dense, Sequential, Softmax } from 'tinydense';
 * import { toOnnx } from 'tinydense/interop';
 * const bytes = toOnnx(new Sequential([new Dense(4, 3), new Softmax()]));
 * // in onnxruntime: await InferenceSession.create(bytes)
 * ```
 */
export function toOnnx(model: Sequential): Uint8Array {
  const nodes: { op: string; inputs: string[]; output: string; attributes: ((node: ProtoWriter) => void)[] }[] = [];
  const initializers: ((graph: ProtoWriter) => void)[] = [];
  const normalization: { mean: number[]; variance: number[] }[] = [];
  const alpha: number[] = [];
  let current = 'input';
  const node = (op: string, inputs: string[], attributes: ((node: ProtoWriter) => void)[] = []): void => {
    current = `t${nodes.length}`;
    nodes.push({ op, inputs, output: current, attributes });
  };
  const constant = (name: string, dims: number[], values: ArrayLike<number>): string => {
    initializers.push((g) => g.message(5, (t) => writeTensor(t, name, dims, values)));
    return name;
  };
  model.layers.forEach((layer, i) => {
    if (layer instanceof Dense) {
      const w = constant(`layer${i}.weights`, [layer.inputs, layer.outputs], layer.weights.data);
      const b = constant(`layer${i}.biases`, [layer.outputs], layer.biases.data);
      node('Gemm', [current, w, b]);
    } else if (layer instanceof Sigmoid) node('Sigmoid', [current]);
    else if (layer instanceof ReLU) node('Relu', [current]);
    else if (layer instanceof Tanh) node('Tanh', [current]);
    else if (layer instanceof Softmax) node('Softmax', [current], [intAttribute('axis', -1)]);
    else if (layer instanceof LeakyReLU || layer instanceof ELU) {
      alpha.push(layer.alpha);
      node(layer instanceof ELU ? 'Elu' : 'LeakyRelu', [current], [floatAttribute('alpha', layer.alpha)]);
    } else if (layer instanceof Dropout) return; // nothing at inference
    else if (layer instanceof Normalization && layer.mean !== undefined && layer.variance !== undefined) {
      const { mean, variance } = layer;
      normalization.push({ mean, variance });
      const m = constant(`layer${i}.mean`, [mean.length], mean);
      const s = constant(`layer${i}.std`, [mean.length], variance.map((v) => (v > 0 ? Math.sqrt(v) : 1)));
      if (layer.invert) {
        node('Mul', [current, s]);
        node('Add', [current, m]);
      } else {
        node('Sub', [current, m]);
        node('Div', [current, s]);
      }
    } else {
      throw new FormatError(`toOnnx: layer ${i} (${layer.name}) has no ONNX form${layer instanceof Normalization ? ' (it was never adapted)' : ''}`);
    }
  });
  if (nodes.length === 0) node('Identity', [current]); // a model of Dropout layers only
  (nodes.at(-1) as { output: string }).output = 'output';
  const extras: Extras = {
    ...(model.classNames === undefined ? {} : { classNames: model.classNames }),
    ...(model.metadata === undefined ? {} : { metadata: model.metadata }),
    ...(normalization.length === 0 ? {} : { normalization }),
    ...(alpha.length === 0 ? {} : { alpha }),
  };
  const file = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'tinydense')
    .message(7, (g) => {
      nodes.forEach((n, k) =>
        g.message(1, (out) => {
          for (const input of n.inputs) out.string(1, input);
          out.string(2, n.output).string(3, `${n.op.toLowerCase()}_${k}`).string(4, n.op);
          for (const a of n.attributes) a(out);
        }),
      );
      g.string(2, 'tinydense');
      for (const write of initializers) write(g);
      g.message(11, (v) => valueInfo(v, 'input', model.inputWidth));
      g.message(12, (v) => valueInfo(v, 'output', model.outputWidth));
    })
    .message(8, (o) => o.string(1, '').int(2, ONNX_OPSET));
  if (Object.keys(extras).length > 0) file.message(14, (e) => e.string(1, EXTRAS).string(2, JSON.stringify(extras)));
  return file.finish();
}

function writeTensor(t: ProtoWriter, name: string, dims: number[], values: ArrayLike<number>): void {
  for (const d of dims) t.int(1, d);
  t.int(2, FLOAT).string(8, name);
  const raw = new Float32Array(values.length);
  raw.set(Array.from(values));
  t.bytes(9, new Uint8Array(raw.buffer)); // raw_data: little-endian float32, as ONNX requires
}

function valueInfo(v: ProtoWriter, name: string, width: number): void {
  v.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (shape) => {
        shape.message(1, (d) => d.string(2, 'batch'));
        shape.message(1, (d) => d.int(1, width));
      }),
    ),
  );
}

function intAttribute(name: string, value: number): (node: ProtoWriter) => void {
  return (n) => n.message(5, (a) => a.string(1, name).int(3, value).int(20, 2));
}

function floatAttribute(name: string, value: number): (node: ProtoWriter) => void {
  return (n) => n.message(5, (a) => a.string(1, name).float(2, value).int(20, 1));
}

/** Options of {@link fromOnnx}. */
export interface FromOnnxOptions {
  /** The dtype of the model built (default `'float32'`). */
  readonly dtype?: DType;
}

interface OnnxNode {
  readonly index: number;
  readonly name: string;
  readonly op: string;
  readonly inputs: string[];
  readonly output: string;
  readonly attributes: ReadonlyMap<string, ProtoMessage>;
}

interface Constant {
  readonly dims: number[];
  readonly values: Float64Array;
}

/**
 * Reads an ONNX file of dense layers as a tinydense model: what {@link toOnnx}
 * writes, and files of other tools that keep to the same operators (`Gemm`,
 * with `transB = 1` too, or `MatMul` followed by `Add`; `Sigmoid`, `Relu`, `Tanh`,
 * `Softmax` on the last axis, `LeakyRelu`, `Elu`; `Sub` then `Div`, or `Mul` then
 * `Add`, by constants, as a `Normalization`; `Identity` and `Dropout`, skipped), in
 * one chain from the graph's input to its output, with float32 or float64
 * constants. Everything is checked before the model is built.
 *
 * @param bytes - The ONNX file.
 * @param options - See {@link FromOnnxOptions}.
 * @returns The model.
 * @throws `FormatError` naming the node and operator it cannot read, or what is malformed.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { fromOnnx, toOnnx } from 'tinydense/interop';
 * const copy = fromOnnx(toOnnx(new Sequential([new Dense(2, 1), new Sigmoid()])));
 * ```
 */
export function fromOnnx(bytes: Uint8Array, options: FromOnnxOptions = {}): Sequential {
  if (!(bytes instanceof Uint8Array)) throw new FormatError('fromOnnx: expected the file as a Uint8Array');
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new FormatError(`fromOnnx: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const file = new ProtoMessage(bytes, 'fromOnnx: the model');
  const graphs = file.messages(7, 'graph');
  const graph = graphs[0];
  if (graph === undefined) throw new FormatError('fromOnnx: the file has no graph (is it an ONNX model?)');
  const extras = readExtras(file);
  const constants = new Map<string, Constant>();
  for (const t of graph.messages(5, 'initializer')) constants.set(t.string(8), readTensor(t));
  const inputs = graph.messages(11, 'input').map((v) => v.string(1)).filter((name) => !constants.has(name));
  const outputs = graph.messages(12, 'output').map((v) => v.string(1));
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new FormatError(`fromOnnx: the graph must have one input and one output (besides constants), got ${inputs.length} and ${outputs.length}`);
  }
  const nodes: OnnxNode[] = graph.messages(1, 'node').map((n, index) => {
    const outs = n.strings(2);
    if (outs.length < 1) throw new FormatError(`${n.where}: a node without an output`);
    const attributes = new Map(n.messages(5, 'attribute').map((a) => [a.string(1), a] as const));
    return { index, name: n.string(3) || `node ${index}`, op: n.string(4), inputs: n.strings(1), output: outs[0] as string, attributes };
  });
  const layers: Layer[] = [];
  const params: Tensor[] = []; // each Dense's W and b, in layer order, as setWeights takes them
  let current = inputs[0] as string;
  let norm = 0;
  let alphas = 0;
  /** An alpha attribute, or the exact value the file's metadata holds for it when that rounds to the attribute. */
  const exactAlpha = (value: number): number => {
    const exact = Array.isArray(extras.alpha) ? extras.alpha[alphas] : undefined;
    alphas++;
    return typeof exact === 'number' && Math.fround(exact) === value ? exact : value;
  };
  const constantOf = (node: OnnxNode, k: number): Constant => {
    const c = constants.get(node.inputs[k] ?? '');
    if (c === undefined) throw new FormatError(`fromOnnx: node ${node.index} (${node.name}, ${node.op}): input ${k} must be a constant (an initializer)`);
    return c;
  };
  const chained = (node: OnnxNode, k = 0): void => {
    if (node.inputs[k] !== current) throw new FormatError(`fromOnnx: node ${node.index} (${node.name}, ${node.op}) does not follow the chain from the input (it reads ${JSON.stringify(node.inputs[k])}, not ${JSON.stringify(current)})`);
  };
  const attribute = (node: OnnxNode, name: string, fallback: number): number => {
    const a = node.attributes.get(name);
    if (a === undefined) return fallback;
    const type = Number(a.int(20));
    return type === 1 ? a.float(2) : Number(a.int(3));
  };
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k] as OnnxNode;
    const next = nodes[k + 1];
    const dense = (w: number[], out: number, inputsCount: number, b: ArrayLike<number> | undefined): void => {
      layers.push(new Dense(inputsCount, out));
      params.push(new Tensor(Float64Array.from(w), [inputsCount, out]), new Tensor(b === undefined ? new Float64Array(out) : Float64Array.from(b), [1, out]));
    };
    switch (node.op) {
      case 'Gemm': {
        chained(node);
        if (attribute(node, 'alpha', 1) !== 1 || attribute(node, 'beta', 1) !== 1 || attribute(node, 'transA', 0) !== 0) {
          throw new FormatError(`fromOnnx: node ${k} (${node.name}, Gemm) has alpha, beta or transA other than 1, 1, 0`);
        }
        const b = constantOf(node, 1);
        if (b.dims.length !== 2) throw new FormatError(`fromOnnx: node ${k} (${node.name}, Gemm): B must be a matrix, got dims [${b.dims.join(', ')}]`);
        const transB = attribute(node, 'transB', 0) === 1;
        const [rows, cols] = b.dims as [number, number];
        const [ins, outs] = transB ? [cols, rows] : [rows, cols];
        const w = transB ? transpose(b.values, rows, cols) : Array.from(b.values);
        const c = node.inputs[2] === undefined || node.inputs[2] === '' ? undefined : constantOf(node, 2);
        if (c !== undefined && c.values.length !== outs) throw new FormatError(`fromOnnx: node ${k} (${node.name}, Gemm): C must have ${outs} values, got ${c.values.length}`);
        dense(w, outs, ins, c?.values);
        break;
      }
      case 'MatMul': {
        chained(node);
        const b = constantOf(node, 1);
        if (b.dims.length !== 2) throw new FormatError(`fromOnnx: node ${k} (${node.name}, MatMul): the weights must be a matrix`);
        const [ins, outs] = b.dims as [number, number];
        let bias: Float64Array | undefined;
        if (next?.op === 'Add' && next.inputs.includes(node.output)) {
          const other = next.inputs[0] === node.output ? 1 : 0;
          const c = constantOf(next, other);
          if (c.values.length !== outs) throw new FormatError(`fromOnnx: node ${k + 1} (${next.name}, Add): the bias must have ${outs} values, got ${c.values.length}`);
          bias = c.values;
          k++;
        }
        dense(Array.from(b.values), outs, ins, bias);
        current = (bias === undefined ? node : (next as OnnxNode)).output;
        continue;
      }
      case 'Sigmoid':
      case 'Relu':
      case 'Tanh':
        chained(node);
        layers.push(node.op === 'Sigmoid' ? new Sigmoid() : node.op === 'Relu' ? new ReLU() : new Tanh());
        break;
      case 'Softmax': {
        chained(node);
        const axis = attribute(node, 'axis', -1);
        if (axis !== -1 && axis !== 1) throw new FormatError(`fromOnnx: node ${k} (${node.name}, Softmax) must be over the last axis, got axis ${axis}`);
        layers.push(new Softmax());
        break;
      }
      case 'LeakyRelu':
        chained(node);
        layers.push(wrapLayer(k, node, () => new LeakyReLU({ alpha: exactAlpha(attribute(node, 'alpha', Math.fround(0.01))) })));
        break;
      case 'Elu':
        chained(node);
        layers.push(wrapLayer(k, node, () => new ELU({ alpha: exactAlpha(attribute(node, 'alpha', 1)) })));
        break;
      case 'Identity':
      case 'Dropout':
        chained(node);
        break;
      case 'Sub':
      case 'Mul': {
        chained(node);
        const second = node.op === 'Sub' ? 'Div' : 'Add';
        if (next?.op !== second || next.inputs[0] !== node.output) {
          throw new FormatError(`fromOnnx: node ${k} (${node.name}, ${node.op}) must be followed by ${second} (a Normalization), got ${next?.op ?? 'nothing'}`);
        }
        const first = constantOf(node, 1).values;
        const then = constantOf(next, 1).values;
        if (first.length !== then.length) throw new FormatError(`fromOnnx: nodes ${k} and ${k + 1}: the Normalization's constants differ in length`);
        const [mean, std] = node.op === 'Sub' ? [first, then] : [then, first];
        const exact = Array.isArray(extras.normalization) ? (extras.normalization[norm] as Partial<Extras['normalization'] & object>[number] | undefined) : undefined;
        const stats =
          exact !== undefined && Array.isArray(exact.mean) && Array.isArray(exact.variance) && exact.mean.length === mean.length
            ? { mean: exact.mean, variance: exact.variance }
            : { mean: Array.from(mean), variance: Array.from(std, (s) => s * s) };
        norm++;
        layers.push(wrapLayer(k, node, () => new Normalization({ mean: stats.mean, variance: stats.variance, invert: node.op === 'Mul' })));
        current = next.output;
        k++;
        continue;
      }
      default:
        throw new FormatError(
          `fromOnnx: node ${k} (${node.name}) is a ${JSON.stringify(node.op)} operator, which tinydense cannot read ` +
            '(it reads Gemm, MatMul + Add, Sigmoid, Relu, Tanh, Softmax, LeakyRelu, Elu, Sub + Div, Mul + Add, Identity and Dropout)',
        );
    }
    current = node.output;
  }
  if (current !== outputs[0]) throw new FormatError(`fromOnnx: the chain of nodes ends at ${JSON.stringify(current)}, not at the graph's output ${JSON.stringify(outputs[0])}`);
  if (layers.length === 0) throw new FormatError('fromOnnx: the graph has no layer tinydense can build');
  let model: Sequential;
  try {
    model = new Sequential(layers, {
      dtype,
      ...(extras.classNames === undefined ? {} : { classNames: extras.classNames }),
      ...(extras.metadata === undefined ? {} : { metadata: extras.metadata }),
    });
    model.setWeights(params);
  } catch (e) {
    if (e instanceof TinyDenseError && !(e instanceof FormatError)) throw new FormatError(`fromOnnx: the layers do not fit together: ${e.message}`);
    throw e;
  }
  return model;
}

function wrapLayer(k: number, node: OnnxNode, make: () => Layer): Layer {
  try {
    return make();
  } catch (e) {
    if (e instanceof TinyDenseError) throw new FormatError(`fromOnnx: node ${k} (${node.name}, ${node.op}): ${e.message}`);
    throw e;
  }
}

function readTensor(t: ProtoMessage): Constant {
  const name = t.string(8);
  const dims = t.ints(1).map((d) => {
    if (d < 0n || d > 2n ** 31n) throw new FormatError(`${t.where} (${name}): a dimension of ${d}`);
    return Number(d);
  });
  const size = dims.reduce((a, b) => a * b, 1);
  const type = Number(t.int(2));
  const raw = t.bytes(9);
  let values: Float64Array;
  if (type === FLOAT) {
    const data = raw !== undefined ? raw : undefined;
    if (data !== undefined) {
      if (data.length !== 4 * size) throw new FormatError(`${t.where} (${name}): raw_data has ${data.length} bytes for ${size} float32 values`);
      const view = new DataView(data.buffer, data.byteOffset, data.length);
      values = Float64Array.from({ length: size }, (_, i) => view.getFloat32(4 * i, true));
    } else values = Float64Array.from(t.floats(4));
  } else if (type === DOUBLE) {
    if (raw !== undefined) {
      if (raw.length !== 8 * size) throw new FormatError(`${t.where} (${name}): raw_data has ${raw.length} bytes for ${size} float64 values`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
      values = Float64Array.from({ length: size }, (_, i) => view.getFloat64(8 * i, true));
    } else {
      values = Float64Array.from(t.all(10).flatMap((f) => {
        const b = f.bytes ?? new Uint8Array();
        const view = new DataView(b.buffer, b.byteOffset, b.length);
        return Array.from({ length: Math.floor(b.length / 8) }, (_, i) => view.getFloat64(8 * i, true));
      }));
    }
  } else {
    throw new FormatError(`${t.where} (${name}): data type ${type} is not float or double`);
  }
  if (values.length !== size) throw new FormatError(`${t.where} (${name}): ${values.length} values for dims [${dims.join(', ')}]`);
  if (!values.every(Number.isFinite)) throw new FormatError(`${t.where} (${name}): a value is not finite`);
  return { dims, values };
}

function readExtras(file: ProtoMessage): Extras {
  for (const entry of file.messages(14, 'metadata_props')) {
    if (entry.string(1) !== EXTRAS) continue;
    try {
      const parsed = JSON.parse(entry.string(2)) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Extras;
    } catch {
      // not ours after all: the graph alone is read
    }
  }
  return {};
}

function transpose(values: Float64Array, rows: number, cols: number): number[] {
  const out = new Array<number>(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return out;
}

