import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { FormatError } from 'tinydense';
import { loadImageFolder } from 'tinydense/node';

function png(width: number, height: number, pixel: (p: number) => [number, number, number], colorType: 0 | 2 | 6 = 0): Buffer {
  const image = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = pixel(p);
    image.data.set([r, g, b, 255], 4 * p);
  }
  return PNG.sync.write(image, { colorType });
}

function folder(files: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tinydense-png-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

describe('loadImageFolder', () => {
  it('reads dir/<digit>/*.png in sorted order, grey images exactly, labels from the folder names', async () => {
    const dir = folder({
      '3/b.png': png(28, 28, (p) => [p % 256, p % 256, p % 256]),
      '3/a.png': png(28, 28, () => [255, 255, 255]),
      '0/x.png': png(28, 28, () => [0, 0, 0]),
      '3/notes.txt': 'ignored',
    });
    const { images, labels, files } = await loadImageFolder(dir, { normalize: false });
    expect(images.shape).toEqual([3, 784]);
    expect(Array.from(labels)).toEqual([0, 3, 3]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['0/x.png', '3/a.png', '3/b.png']);
    expect(images.get(1, 0)).toBe(255);
    expect(images.get(2, 300)).toBe(300 % 256);
  });

  it('converts colour images to grey by luma and scales to [0, 1] by default', async () => {
    const dir = folder({ '7/c.png': png(28, 28, () => [255, 0, 0], 2) });
    const { images } = await loadImageFolder(dir);
    expect(images.get(0, 0)).toBeCloseTo(Math.round(0.299 * 255) / 255, 6);
  });

  it('names the file that has the wrong size', async () => {
    const dir = folder({ '1/big.png': png(32, 32, () => [0, 0, 0]) });
    await expect(loadImageFolder(dir)).rejects.toThrow(FormatError);
    await expect(loadImageFolder(dir)).rejects.toThrow(/1\/big\.png: 32×32 pixels, expected 28×28/);
  });

  it('names the file that cannot be decoded', async () => {
    const dir = folder({ '2/broken.png': png(28, 28, () => [0, 0, 0]).subarray(0, 60) });
    await expect(loadImageFolder(dir)).rejects.toThrow(/2\/broken\.png: not a readable PNG/);
  });

  it('says when there are no digit folders', async () => {
    await expect(loadImageFolder(folder({ 'cats/a.png': 'x' }))).rejects.toThrow(/no digit sub-folders/);
  });
});
