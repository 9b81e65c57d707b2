/**
 * Regenerates the page's assets in examples/web/public:
 * - model.json: the image-folder example's model ([784, 128, 10] ReLU → softmax),
 *   trained by `npm run example -- image-folder` (run first if its model is missing),
 *   and model-info.json with its accuracy on the 10,000 MNIST test images;
 * - mnist-slice.bin.gz: the first 2,500 MNIST training images for in-browser training.
 *
 *   npx tsx examples/web/make-assets.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { accuracy } from 'tinydense';
import { loadMnist, loadModel } from 'tinydense/node';
import { encodeSlice } from './src/slice.js';

const here = import.meta.dirname;
const savedModel = join(here, '..', '..', '.cache', 'image-folder-model.json');
if (!existsSync(savedModel)) {
  execFileSync(process.execPath, ['--import', 'tsx', join(here, '..', 'run.ts'), 'image-folder'], { stdio: 'inherit' });
}
const { train, test } = await loadMnist();
const model = await loadModel(savedModel);
const testAccuracy = accuracy(model.predict(test.images), test.labels);
copyFileSync(savedModel, join(here, 'public', 'model.json'));
writeFileSync(
  join(here, 'public', 'model-info.json'),
  `${JSON.stringify({ description: '[784, 128, 10] ReLU → softmax, trained by examples/image-folder.ts', accuracy: testAccuracy }, null, 2)}\n`,
);

const count = 2500;
const raw = await loadMnist({ normalize: false });
const pixels = Uint8Array.from(raw.train.images.data.subarray(0, count * 784));
writeFileSync(join(here, 'public', 'mnist-slice.bin.gz'), gzipSync(encodeSlice(train.labels.subarray(0, count), pixels), { level: 9 }));
console.log(`model.json: ${(100 * testAccuracy).toFixed(2)}% on the test set; mnist-slice.bin.gz: ${count} images`);
