/**
 * The draw-a-digit page: a canvas, the model's prediction with a bar per digit,
 * and a panel that trains a fresh network in a Web Worker.
 */
import { Dense, Sequential } from 'tinydense';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { drawActivations, drawConfusion, drawMistakes, drawModelUnits, drawUnits } from './inside.js';
import { toMnist } from './preprocess.js';
import type { WorkerMessage } from './train-worker.js';

const SIZE = 280;
const canvas = document.querySelector<HTMLCanvasElement>('#pad') as HTMLCanvasElement;
const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
const predictionEl = document.querySelector('#prediction') as HTMLElement;
const barsEl = document.querySelector('#bars') as HTMLElement;
const modelEl = document.querySelector('#model-name') as HTMLElement;
const unitsEl = document.querySelector('#units') as HTMLElement;
const activationsEl = document.querySelector('#activations') as HTMLElement;
const confusionEl = document.querySelector('#confusion') as HTMLElement;
const mistakesEl = document.querySelector('#mistakes') as HTMLElement;

let model: Sequential;
let drawing = false;

// The bars: one row per digit.
const bars = Array.from({ length: 10 }, (_, digit) => {
  const row = document.createElement('div');
  row.className = 'bar';
  row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="fill"></span></span><span class="value">0%</span>`;
  barsEl.append(row);
  return { row, fill: row.querySelector('.fill') as HTMLElement, value: row.querySelector('.value') as HTMLElement };
});

function clear(): void {
  context.clearRect(0, 0, SIZE, SIZE);
  show(null);
}

function point(event: PointerEvent): [number, number] {
  const rect = canvas.getBoundingClientRect();
  return [((event.clientX - rect.left) * SIZE) / rect.width, ((event.clientY - rect.top) * SIZE) / rect.height];
}

canvas.addEventListener('pointerdown', (event) => {
  drawing = true;
  canvas.setPointerCapture(event.pointerId);
  const [x, y] = point(event);
  context.beginPath();
  context.moveTo(x, y);
  context.lineTo(x + 0.01, y);
  context.stroke();
});
canvas.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  const [x, y] = point(event);
  context.lineTo(x, y);
  context.stroke();
  predict();
});
const stop = (): void => {
  if (!drawing) return;
  drawing = false;
  predict();
};
canvas.addEventListener('pointerup', stop);
canvas.addEventListener('pointercancel', stop);

function predict(): void {
  // Ink is the canvas' alpha channel: strokes are opaque, the background transparent.
  const rgba = context.getImageData(0, 0, SIZE, SIZE).data;
  const ink = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < ink.length; i++) ink[i] = (rgba[4 * i + 3] as number) / 255;
  const image = toMnist(ink, SIZE, SIZE);
  show(image === null ? null : Array.from(model.predict([Array.from(image)]).row(0)));
  drawActivations(activationsEl, model, image);
}

function show(probabilities: number[] | null): void {
  const best = probabilities === null ? -1 : probabilities.indexOf(Math.max(...probabilities));
  predictionEl.textContent = best < 0 ? '–' : String(best);
  predictionEl.dataset.digit = best < 0 ? '' : String(best);
  bars.forEach((bar, digit) => {
    const p = probabilities?.[digit] ?? 0;
    bar.fill.style.width = `${(100 * p).toFixed(1)}%`;
    bar.value.textContent = `${Math.round(100 * p)}%`;
    bar.row.classList.toggle('best', digit === best);
  });
}

function useModel(next: Sequential, name: string): void {
  model = next;
  modelEl.textContent = name;
  drawModelUnits(unitsEl, model);
  predict();
}

// --- Train in your browser -------------------------------------------------
const startButton = document.querySelector('#train') as HTMLButtonElement;
const stopButton = document.querySelector('#stop') as HTMLButtonElement;
const statusEl = document.querySelector('#status') as HTMLElement;
const chartEl = document.querySelector('#chart') as HTMLElement;
const losses: [number[], number[]] = [[], []];
const chart = new uPlot(
  {
    width: Math.min(640, chartEl.clientWidth || 640),
    height: 200,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ label: 'batch' }, { label: 'loss' }],
    series: [{}, { label: 'loss', stroke: '#2563eb', width: 2 }],
  },
  losses,
  chartEl,
);
let worker: Worker | undefined;
/** What the e2e test reads: the loss curve and each epoch's held-out accuracy. */
const trainingLog: { losses: number[]; accuracies: number[]; done: boolean } = { losses: [], accuracies: [], done: false };
(window as unknown as { trainingLog: typeof trainingLog }).trainingLog = trainingLog;

startButton.addEventListener('click', () => {
  worker ??= new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
  losses[0].length = losses[1].length = 0;
  Object.assign(trainingLog, { losses: [], accuracies: [], done: false });
  chart.setData(losses);
  startButton.disabled = true;
  stopButton.disabled = false;
  statusEl.textContent = 'Loading 2,500 MNIST images…';
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const m = event.data;
    if (m.type === 'progress') {
      losses[0].push(m.step);
      losses[1].push(m.loss);
      trainingLog.losses.push(m.loss);
      chart.setData(losses);
    } else if (m.type === 'weights') {
      drawUnits(unitsEl, m.weights, m.hidden);
    } else if (m.type === 'epoch') {
      trainingLog.accuracies.push(m.accuracy);
      statusEl.textContent = `Epoch ${m.epoch}/${m.epochs}: loss ${m.loss.toFixed(3)}, accuracy on 500 held-out images ${(100 * m.accuracy).toFixed(1)}%`;
    } else if (m.type === 'done') {
      trainingLog.done = true;
      startButton.disabled = false;
      stopButton.disabled = true;
      const accuracyText = `${(100 * m.accuracy).toFixed(1)}% on 500 held-out images`;
      statusEl.textContent = `${m.stopped ? 'Stopped' : 'Done'}: the drawing pad now uses your network (${accuracyText}).`;
      useModel(Sequential.fromJSON(m.model), `your network, trained here: [784, 64, 10] ReLU → softmax, ${accuracyText}`);
      drawConfusion(confusionEl, m.confusion);
      drawMistakes(mistakesEl, m.mistakes);
      (window as unknown as { trainedModel: unknown }).trainedModel = m.model;
    } else {
      statusEl.textContent = `Training failed: ${m.message}`;
      startButton.disabled = false;
      stopButton.disabled = true;
    }
  };
  worker.postMessage({ type: 'start', sliceUrl: new URL('mnist-slice.bin.gz', document.baseURI).href });
});
stopButton.addEventListener('click', () => worker?.postMessage({ type: 'stop' }));
(document.querySelector('#clear') as HTMLButtonElement).addEventListener('click', clear);

// --- Start-up ---------------------------------------------------------------
context.lineWidth = 18;
context.lineCap = 'round';
context.lineJoin = 'round';
context.strokeStyle = '#111827';
const [json, info] = await Promise.all([
  fetch(`${import.meta.env.BASE_URL}model.json`).then((r) => r.text()),
  fetch(`${import.meta.env.BASE_URL}model-info.json`).then((r) => r.json() as Promise<{ description: string; accuracy: number }>),
]);
const shipped = Sequential.fromJSON(json);
useModel(shipped, `${info.description}: ${(100 * info.accuracy).toFixed(2)}% on the 10,000 MNIST test images`);
// Whether the layers run on WebAssembly SIMD here (the tests check it in Chromium).
document.body.dataset.simd = String(shipped.layers.every((layer) => !(layer instanceof Dense) || layer.simd));
document.body.dataset.ready = 'true';
