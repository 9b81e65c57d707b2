/**
 * Writes MNIST in the exact format of Kaggle's digit-recognizer `train.csv`
 * (Kaggle cannot be reached here): a header `label,pixel0,…,pixel783`, then one
 * line per image with its label and 784 grey levels 0–255. The first 42,000
 * MNIST training images, as many as Kaggle's file has.
 *
 *   npx tsx examples/data/write-kaggle-csv.ts [path] [rows]
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMnist } from 'tinydense/node';

export async function writeKaggleCsv(path: string, rows = 42_000): Promise<void> {
  const { train } = await loadMnist({ normalize: false });
  mkdirSync(dirname(path), { recursive: true });
  // Written under a temporary name and renamed at the end: never a half-written train.csv.
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`label,${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}\n`);
  const pixels = train.images.data;
  for (let r = 0; r < Math.min(rows, train.labels.length); r++) {
    await write(`${train.labels[r]},${Array.from(pixels.subarray(r * 784, (r + 1) * 784)).join(',')}\n`);
  }
  out.end();
  await once(out, 'close');
  renameSync(temporary, path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = process.argv[2] ?? '.cache/kaggle/train.csv';
  await writeKaggleCsv(path, process.argv[3] === undefined ? undefined : Number(process.argv[3]));
  console.log(`wrote ${path}`);
}
