/**
 * The "inside the network" panels: the hidden units' incoming weights as 28×28
 * pictures, each layer's activations for the drawn digit, and, after training, a
 * confusion-matrix heatmap and the held-out digits the network gets wrong.
 */
import { Dense, Tensor, type Sequential } from 'tinydense';
import type { Mistake } from './train-worker.js';

/** Draws each hidden unit's 784 incoming weights as a 28×28 picture: red positive, blue negative, scaled to the unit's largest. */
export function drawUnits(container: HTMLElement, weights: ArrayLike<number>, hidden: number): void {
  while (container.children.length > hidden) container.lastElementChild?.remove();
  while (container.children.length < hidden) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    canvas.className = 'unit';
    container.append(canvas);
  }
  for (let j = 0; j < hidden; j++) {
    const canvas = container.children[j] as HTMLCanvasElement;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    const image = context.createImageData(28, 28);
    let max = 1e-12;
    for (let k = 0; k < 784; k++) max = Math.max(max, Math.abs(weights[k * hidden + j] as number)); // W is [784, hidden]
    for (let k = 0; k < 784; k++) {
      const w = (weights[k * hidden + j] as number) / max;
      const strength = Math.round(255 * Math.min(1, Math.abs(w)));
      image.data.set(w >= 0 ? [255, 255 - strength, 255 - strength, 255] : [255 - strength, 255 - strength, 255, 255], 4 * k);
    }
    context.putImageData(image, 0, 0);
  }
  container.dataset.units = String(hidden);
}

/** The model's first layer as pictures (if it is a Dense of 784 inputs). */
export function drawModelUnits(container: HTMLElement, model: Sequential): void {
  const first = model.layers[0];
  if (first instanceof Dense && first.inputs === 784) drawUnits(container, first.weights.data, first.outputs);
}

/** Each layer's activations for one input: a row of cells per `Dense` and what follows it, brighter for larger. */
export function drawActivations(container: HTMLElement, model: Sequential, image: Float32Array | null): void {
  container.replaceChildren();
  if (image === null) {
    container.dataset.cells = '0';
    return;
  }
  let a = Tensor.from([image]);
  const rows: { name: string; values: Float32Array | Float64Array }[] = [];
  model.layers.forEach((layer, i) => {
    a = layer.forward(a);
    const next = model.layers[i + 1];
    if (next === undefined || next instanceof Dense) rows.push({ name: layer.name, values: a.data.slice() });
  });
  let cells = 0;
  rows.forEach(({ name, values }, l) => {
    const row = document.createElement('div');
    row.className = 'layer';
    const label = document.createElement('span');
    label.textContent = `layer ${l + 1} (${name}, ${values.length})`;
    const grid = document.createElement('span');
    grid.className = 'cells';
    const max = Math.max(1e-12, ...Array.from(values, Math.abs));
    for (const v of values) {
      const cell = document.createElement('i');
      cell.style.opacity = String(0.08 + 0.92 * Math.abs(v) / max);
      cell.title = v.toFixed(3);
      grid.append(cell);
      cells++;
    }
    row.append(label, grid);
    container.append(row);
  });
  container.dataset.cells = String(cells);
}

/** The confusion matrix as a heatmap table: rows the true digit, columns the guess. */
export function drawConfusion(container: HTMLElement, matrix: number[][]): void {
  const max = Math.max(1, ...matrix.flat());
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  head.insertCell().textContent = 'true \\ guess';
  for (let c = 0; c < matrix.length; c++) head.insertCell().textContent = String(c);
  const body = table.createTBody();
  matrix.forEach((row, r) => {
    const tr = body.insertRow();
    tr.insertCell().textContent = String(r);
    row.forEach((count, c) => {
      const cell = tr.insertCell();
      cell.className = `cell${r === c ? ' diagonal' : ''}`;
      cell.textContent = String(count);
      cell.style.setProperty('--heat', String(count / max));
    });
  });
  container.replaceChildren(table);
  container.dataset.cells = String(matrix.length * matrix.length);
  container.dataset.total = String(matrix.flat().reduce((a, b) => a + b, 0));
}

/** The held-out digits the network gets wrong, each with its guess and true label. */
export function drawMistakes(container: HTMLElement, mistakes: readonly Mistake[]): void {
  container.replaceChildren(
    ...mistakes.map(({ pixels, guess, label }) => {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 28;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const image = context.createImageData(28, 28);
      for (let k = 0; k < 784; k++) image.data.set([255 - (pixels[k] as number), 255 - (pixels[k] as number), 255 - (pixels[k] as number), 255], 4 * k);
      context.putImageData(image, 0, 0);
      const caption = document.createElement('figcaption');
      caption.textContent = `${guess} (is ${label})`;
      figure.append(canvas, caption);
      return figure;
    }),
  );
  container.dataset.count = String(mistakes.length);
}
