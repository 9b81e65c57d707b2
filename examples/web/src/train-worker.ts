/**
 * Trains a small network on the shipped MNIST slice, off the page's main thread,
 * with `fitAsync` (which yields between batches, so a "stop" message is seen).
 *
 * Messages in: `{ type: 'start', sliceUrl }` (the MNIST slice's absolute URL), `{ type: 'stop' }`.
 * Messages out: `progress` (loss every few batches), `epoch` (held-out accuracy),
 * `done` (the trained model's JSON), `error`.
 */
import { Adam, Dense, ReLU, Sequential, Softmax, Tensor, accuracy, confusionMatrix, oneHot } from 'tinydense';
import { parseSlice } from './slice.js';

export type WorkerMessage =
  | { type: 'progress'; step: number; loss: number }
  | { type: 'weights'; weights: Float32Array; hidden: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; accuracy: number }
  | { type: 'done'; model: unknown; accuracy: number; stopped: boolean; confusion: number[][]; mistakes: Mistake[] }
  | { type: 'error'; message: string };

/** A held-out digit the trained network gets wrong. */
export interface Mistake {
  /** 784 grey levels 0–255. */
  readonly pixels: Uint8Array;
  readonly guess: number;
  readonly label: number;
}

const EPOCHS = 12;
let controller: AbortController | undefined;

const post = (message: WorkerMessage): void => postMessage(message);

self.onmessage = async (event: MessageEvent<{ type: 'start'; sliceUrl: string } | { type: 'stop' }>): Promise<void> => {
  if (event.data.type === 'stop') {
    controller?.abort();
    return;
  }
  if (controller !== undefined) return;
  controller = new AbortController();
  try {
    const response = await fetch(event.data.sliceUrl);
    if (!response.ok) throw new Error(`${event.data.sliceUrl}: HTTP ${response.status}`);
    let bytes = new Uint8Array(await response.arrayBuffer());
    // Some servers send .gz files with Content-Encoding: gzip (the browser has already
    // inflated them), others as they are: inflate only if the gzip magic is still there.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    }
    const slice = parseSlice(bytes);
    const images = new Tensor(Float32Array.from(slice.pixels, (p) => p / 255), [slice.count, 784]);
    const split = Math.floor(slice.count * 0.8);
    const [x, testX] = [images.sliceRows(0, split), images.sliceRows(split)];
    const [labels, testLabels] = [slice.labels.subarray(0, split), slice.labels.subarray(split)];

    const model = new Sequential([new Dense(784, 64, { init: 'he' }), new ReLU(), new Dense(64, 10), new Softmax()], { seed: 7 });
    let step = 0;
    // the first layer's incoming weights, for the page's 28×28 pictures of the hidden units
    let weightsPosted = 0;
    const postWeights = (): void => {
      weightsPosted = performance.now();
      const weights = Float32Array.from((model.layers[0] as Dense).weights.data);
      postMessage({ type: 'weights', weights, hidden: 64 } satisfies WorkerMessage, { transfer: [weights.buffer] });
    };
    postWeights();
    const history = await model.fitAsync(x, oneHot(labels, 10), {
      epochs: EPOCHS,
      batchSize: 32,
      loss: 'categorical-cross-entropy',
      optimizer: new Adam({ learningRate: 0.003 }),
      signal: controller.signal,
      onBatchEnd: ({ loss }) => {
        if (++step % 5 === 0) post({ type: 'progress', step, loss });
        // at most ten pictures a second: each is 64 drawings on the page's thread,
        // and a step can take well under a millisecond
        if (performance.now() - weightsPosted >= 100) postWeights();
      },
      onEpochEnd: ({ epoch, loss }) => post({ type: 'epoch', epoch, epochs: EPOCHS, loss, accuracy: accuracy(model.predict(testX), testLabels) }),
    });
    postWeights();
    const guesses = model.predict(testX).argmaxRows();
    const mistakes: Mistake[] = [];
    guesses.forEach((guess, i) => {
      const label = testLabels[i] as number;
      if (guess !== label) mistakes.push({ pixels: slice.pixels.slice((split + i) * 784, (split + i + 1) * 784), guess, label });
    });
    post({
      type: 'done', model: model.toJSON(), accuracy: accuracy(model.predict(testX), testLabels), stopped: history.stopReason === 'aborted',
      confusion: confusionMatrix(model.predict(testX), testLabels).matrix.map((row) => Array.from(row)), mistakes,
    });
  } catch (e) {
    post({ type: 'error', message: String(e) });
  } finally {
    controller = undefined;
  }
};
