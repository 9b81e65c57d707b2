/**
 * The threads page: trains the same full-batch network on one thread and with a
 * ThreadPool of Web Workers, and reports the seconds per step and whether the two
 * runs ended with the same weights (they should: bit for bit).
 */
import { Dense, ReLU, SGD, Sequential, Softmax, Tensor, oneHot, startWebThreads, type ThreadPool } from 'tinydense';
import { parseSlice } from './slice.js';

const report = document.querySelector('#report') as HTMLElement;

async function loadSlice(): Promise<{ x: Tensor; y: Tensor }> {
  const response = await fetch(new URL('mnist-slice.bin.gz', document.baseURI));
  let bytes = new Uint8Array(await response.arrayBuffer());
  // inflate only if the server did not (see train-worker.ts)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  }
  const slice = parseSlice(bytes);
  return { x: new Tensor(Float32Array.from(slice.pixels, (p) => p / 255), [slice.count, 784]), y: oneHot(slice.labels, 10) };
}

/** Trains for 8 full-batch steps; returns the median seconds per step (the first is a warm-up) and the weights. */
function train(x: Tensor, y: Tensor, threads?: ThreadPool): { seconds: number; weights: Float32Array[] } {
  const model = new Sequential([new Dense(784, 64, { init: 'he' }), new ReLU(), new Dense(64, 10), new Softmax()], { seed: 7 });
  const history = model.fit(x, y, {
    epochs: 8, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }), ...(threads ? { threads } : {}),
  });
  const steps = history.epochs.slice(1).map((r) => r.seconds).sort((a, b) => a - b);
  return { seconds: steps[Math.floor(steps.length / 2)] as number, weights: model.getWeights().map((w) => w.data as Float32Array) };
}

const sameBits = (a: Float32Array[], b: Float32Array[]): boolean =>
  a.length === b.length && a.every((w, i) => new Uint32Array(w.buffer, w.byteOffset, w.length).every((v, j) => v === new Uint32Array((b[i] as Float32Array).buffer, (b[i] as Float32Array).byteOffset, w.length)[j]));

async function main(): Promise<void> {
  document.body.dataset.isolated = String(crossOriginIsolated);
  const { x, y } = await loadSlice();
  const one = train(x, y);
  const lines = [`cross-origin isolated: ${crossOriginIsolated}`, `one thread:  ${(one.seconds * 1000).toFixed(1)} ms per step`];
  if (crossOriginIsolated) {
    const threads = await startWebThreads(2);
    const two = train(x, y, threads);
    await threads.close();
    const identical = sameBits(one.weights, two.weights);
    lines.push(`two threads: ${(two.seconds * 1000).toFixed(1)} ms per step`, `same weights, bit for bit: ${identical}`);
    Object.assign(document.body.dataset, { oneMs: (one.seconds * 1000).toFixed(2), twoMs: (two.seconds * 1000).toFixed(2), identical: String(identical) });
  } else {
    lines.push('two threads: not available (serve the page with COOP: same-origin and COEP: require-corp)');
  }
  report.textContent = lines.join('\n');
  document.body.dataset.done = 'true';
}

main().catch((error: unknown) => {
  report.textContent = `failed: ${String(error)}`;
  document.body.dataset.error = String(error);
  document.body.dataset.done = 'true';
});
