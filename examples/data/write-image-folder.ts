/**
 * Writes MNIST as folders of PNG digits, the layout of the image-folder reference
 * project: `train/0 … train/9` (60,000 training images) and `test/0 … test/9`
 * (10,000 test images), one 28×28 greyscale PNG per image.
 *
 *   npx tsx examples/data/write-image-folder.ts [dir] [trainCount] [testCount]
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { loadMnist } from 'tinydense/node';

export async function writeImageFolder(dir: string, trainCount = 60_000, testCount = 10_000): Promise<void> {
  const { train, test } = await loadMnist({ normalize: false });
  // Built under a temporary name and renamed at the end: never a half-written folder.
  const temporary = `${dir}.partial`;
  rmSync(temporary, { recursive: true, force: true });
  // One image buffer, reused: a new PNG per image lets memory pile up to gigabytes.
  const png = new PNG({ width: 28, height: 28 });
  for (const [split, set, count] of [['train', train, trainCount], ['test', test, testCount]] as const) {
    for (let digit = 0; digit < 10; digit++) mkdirSync(join(temporary, split, String(digit)), { recursive: true });
    for (let i = 0; i < Math.min(count, set.labels.length); i++) {
      for (let p = 0; p < 784; p++) {
        const grey = set.images.data[i * 784 + p] as number;
        png.data.set([grey, grey, grey, 255], 4 * p);
      }
      writeFileSync(join(temporary, split, String(set.labels[i]), `${String(i).padStart(5, '0')}.png`), PNG.sync.write(png, { colorType: 0 }));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(temporary, dir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? '.cache/digits';
  await writeImageFolder(dir, process.argv[3] ? Number(process.argv[3]) : undefined, process.argv[4] ? Number(process.argv[4]) : undefined);
  console.log(`wrote ${dir}/train and ${dir}/test`);
}
