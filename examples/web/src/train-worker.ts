/**
 * Trains a small network on the shipped MNIST slice, off the page's main thread,
 * with `fitAsync` (which yields between batches, so a "stop" message is seen).
 *
 * Messages in: `{ type: 'start', sliceUrl }` (the MNIST slice's absolute URL), `{ type: 'stop' }`.
 * Messages out: `progress` (loss every few batches), `epoch` (held-out accuracy),
 * `done` (the trained model's JSON), `error`.
 */
import { Adam, Dense, ReLU, Sequential, Softmax, Tensor, accuracy, oneHot } from 'tinydense';
import { parseSlice } from './slice.js';

export type WorkerMessage =
  | { type: 'progress'; step: number; loss: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; accuracy: number }
  | { type: 'done'; model: unknown; accuracy: number; stopped: boolean }
  | { type: 'error'; message: string };

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
    const history = await model.fitAsync(x, oneHot(labels, 10), {
      epochs: EPOCHS,
      batchSize: 32,
      loss: 'categorical-cross-entropy',
      optimizer: new Adam({ learningRate: 0.003 }),
      signal: controller.signal,
      onBatchEnd: ({ loss }) => {
        if (++step % 5 === 0) post({ type: 'progress', step, loss });
      },
      onEpochEnd: ({ epoch, loss }) => post({ type: 'epoch', epoch, epochs: EPOCHS, loss, accuracy: accuracy(model.predict(testX), testLabels) }),
    });
    post({ type: 'done', model: model.toJSON(), accuracy: accuracy(model.predict(testX), testLabels), stopped: history.stopReason === 'aborted' });
  } catch (e) {
    post({ type: 'error', message: String(e) });
  } finally {
    controller = undefined;
  }
};
