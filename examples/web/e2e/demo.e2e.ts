/**
 * The demo page in real Chromium (Debian's, driven by playwright-core): draws real
 * MNIST test digits stroke by stroke, checks the page's predictions, trains in the
 * page's Web Worker while clicking, and saves screenshots to examples/web/screenshots.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sequential, Tensor } from 'tinydense';
import { parseSlice } from '../src/slice.js';
import { loadMnist } from 'tinydense/node';

const here = join(import.meta.dirname, '..');
const screenshots = join(here, 'screenshots');
const configFile = join(here, 'vite.config.ts');
let server: PreviewServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  await build({ configFile, logLevel: 'warn' });
  server = await preview({ configFile, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0] as string;
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tinydense-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1040, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('page console:', m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  mkdirSync(screenshots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()));
});

describe('the tinydense build in Chromium', () => {
  it('runs its Dense layers on the WebAssembly SIMD kernels, not the TypeScript fallback', async () => {
    expect(await page.evaluate(() => document.body.dataset.simd)).toBe('true');
  });
});

/** Paints a 28×28 digit on the 280×280 pad: one stroke per horizontal run of ink, through real pointer events. */
async function drawDigit(pixels: ArrayLike<number>): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  if (box === null) throw new Error('no drawing pad');
  const scale = box.width / 28;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      if ((pixels[y * 28 + x] as number) < 0.5) continue;
      let end = x;
      while (end + 1 < 28 && (pixels[y * 28 + end + 1] as number) >= 0.5) end++;
      await page.mouse.move(box.x + (x + 0.5) * scale, box.y + (y + 0.5) * scale);
      await page.mouse.down();
      await page.mouse.move(box.x + (end + 0.5) * scale, box.y + (y + 0.5) * scale, { steps: Math.max(1, end - x) });
      await page.mouse.up();
      x = end;
    }
  }
}

describe('the demo page in Chromium', () => {
  it('predicts drawn MNIST test digits as the model predicts the digits themselves (at least 9 of 10)', async () => {
    const model = Sequential.fromJSON(readFileSync(join(here, 'public', 'model.json'), 'utf8'));
    const { test } = await loadMnist();
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => test.images.row(i * 97));
    const expected = Array.from(model.predict(rows.map((r) => Array.from(r))).argmaxRows());
    const drawn: number[] = [];
    for (const [i, pixels] of rows.entries()) {
      await page.click('#clear');
      await drawDigit(pixels);
      drawn.push(Number(await page.locator('#prediction').getAttribute('data-digit')));
      if (i === 0) await page.screenshot({ path: join(screenshots, 'drawn-digit.png') });
    }
    const agree = drawn.filter((d, i) => d === expected[i]).length;
    console.log(`drawn: ${drawn.join(' ')}; model on the digits: ${expected.join(' ')}; agreement ${agree}/10`);
    expect(agree).toBeGreaterThanOrEqual(9);
  }, 120_000);

  it('trains in a Web Worker: the loss falls, clicks are answered within 200 ms and the page never stalls', async () => {
    await page.click('#clear');
    // Probe the main thread all through training: the longest gap between 10 ms timer ticks.
    await page.evaluate(() => {
      const w = window as unknown as { maxGap: number; probe: number };
      let last = performance.now();
      w.maxGap = 0;
      w.probe = window.setInterval(() => {
        const now = performance.now();
        w.maxGap = Math.max(w.maxGap, now - last);
        last = now;
      }, 10);
    });
    await page.click('#train');
    const trainStarted = Date.now();
    // two losses in (ten steps): since Adam runs on a kernel, training and loading take about half a second, so the click comes early
    await page.waitForFunction(() => (window as unknown as { trainingLog: { losses: number[] } }).trainingLog.losses.length >= 2, undefined, { timeout: 60_000 });
    // A real click (through the browser's input pipeline), timed from here.
    const started = Date.now();
    await page.click('#clear');
    const clickMs = Date.now() - started;
    const stillTraining = await page.evaluate(() => !(window as unknown as { trainingLog: { done: boolean } }).trainingLog.done);
    await page.waitForFunction(() => (window as unknown as { trainingLog: { done: boolean } }).trainingLog.done, undefined, { timeout: 120_000 });
    const trainingMs = Date.now() - trainStarted;
    const maxGap = await page.evaluate(() => {
      const w = window as unknown as { maxGap: number; probe: number };
      clearInterval(w.probe);
      return w.maxGap;
    });
    const log = await page.evaluate(() => (window as unknown as { trainingLog: { losses: number[]; accuracies: number[] } }).trainingLog);
    // Draw a digit with the freshly trained network for the screenshot.
    const { test } = await loadMnist();
    await drawDigit(test.images.row(0));
    await page.screenshot({ path: join(screenshots, 'demo.png'), fullPage: true });
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    console.log(
      `training (with loading) took ${trainingMs} ms; click answered in ${clickMs} ms while training (${stillTraining}); longest main-thread gap ${maxGap.toFixed(1)} ms; ` +
        `loss ${mean(log.losses.slice(0, 5)).toFixed(3)} → ${mean(log.losses.slice(-5)).toFixed(3)}; held-out accuracy ${log.accuracies.map((a) => a.toFixed(3)).join(' ')}`,
    );
    expect(stillTraining).toBe(true);
    expect(clickMs).toBeLessThan(200);
    expect(maxGap).toBeLessThan(200);
    expect(mean(log.losses.slice(-5))).toBeLessThan(mean(log.losses.slice(0, 5)) / 2);
    expect(log.accuracies.at(-1)).toBeGreaterThan(0.8);
    expect(await page.locator('#model-name').textContent()).toMatch(/your network, trained here/);
  }, 180_000);
});

describe('inside the network, on the demo page', () => {
  it("shows the hidden units' weights, the drawn digit's activations, the confusion matrix and every held-out mistake", async () => {
    const inside = await page.evaluate(() => ({
      units: document.querySelectorAll('#units canvas').length,
      cells: Number((document.querySelector('#activations') as HTMLElement).dataset.cells),
      layers: document.querySelectorAll('#activations .layer').length,
      confusionCells: document.querySelectorAll('#confusion td.cell').length,
      total: Number((document.querySelector('#confusion') as HTMLElement).dataset.total),
      diagonal: Array.from(document.querySelectorAll('#confusion td.diagonal')).reduce((sum, td) => sum + Number(td.textContent), 0),
      mistakes: Array.from(document.querySelectorAll('#mistakes figcaption')).map((c) => c.textContent),
      model: (window as unknown as { trainedModel: unknown }).trainedModel,
    }));
    // The trained network's own errors on the 500 held-out images, computed here in Node.
    const slice = parseSlice(gunzipSync(readFileSync(join(here, 'public', 'mnist-slice.bin.gz'))));
    const split = Math.floor(slice.count * 0.8);
    const model = Sequential.fromJSON(inside.model);
    const heldOut = new Tensor(Float32Array.from(slice.pixels.subarray(split * 784), (p) => p / 255), [slice.count - split, 784]);
    const guesses = model.predict(heldOut).argmaxRows();
    const wrong = Array.from(guesses).flatMap((g, i) => (g === slice.labels[split + i] ? [] : [`${g} (is ${slice.labels[split + i]})`]));
    console.log(`inside: ${inside.units} units, ${inside.cells} activations in ${inside.layers} layers, ${inside.confusionCells} cells (${inside.total} digits, ${inside.diagonal} right), ${inside.mistakes.length} mistakes`);
    expect(inside.units).toBe(64);
    expect([inside.layers, inside.cells]).toEqual([2, 64 + 10]);
    expect(inside.confusionCells).toBe(100);
    expect(inside.total).toBe(slice.count - split);
    expect(inside.diagonal).toBe(inside.total - wrong.length);
    expect(inside.mistakes).toEqual(wrong);
    await page.locator('.inside').screenshot({ path: join(screenshots, 'inside.png') });
  }, 60_000);
});

describe('threads.html in Chromium (cross-origin isolated)', () => {
  it('trains with startWebThreads(2) to the same weights, bit for bit, as on one thread', async () => {
    const threadsPage = await context.newPage();
    threadsPage.on('pageerror', (e) => console.error('page error:', e));
    await threadsPage.goto(new URL('threads.html', server.resolvedUrls?.local[0] as string).href);
    await threadsPage.waitForSelector('body[data-done="true"]', { timeout: 120_000 });
    const data = await threadsPage.evaluate(() => ({ ...document.body.dataset }));
    console.log(`threads.html: ${JSON.stringify(data)}`);
    expect(data.error).toBeUndefined();
    expect(data.isolated).toBe('true');
    expect(data.identical).toBe('true');
    expect(Number(data.twoMs)).toBeGreaterThan(0);
    await threadsPage.close();
  }, 180_000);
});
