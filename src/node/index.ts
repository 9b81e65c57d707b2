/**
 * tinydense/node: the Node-only part of tinydense: reading MNIST (IDX), CSV and
 * PNG-folder data sets, and saving models and files atomically. It uses Node
 * built-ins; the core `tinydense` entry does not.
 *
 * @example
 * ```ts
 * import { loadMnist, saveModel } from 'tinydense/node';
 * const { train, test } = await loadMnist();
 * ```
 *
 * @module tinydense/node
 */
export { readIdx, type IdxData } from './idx.js';
export { loadMnist, MNIST_FILES, MNIST_MIRRORS, type LoadMnistOptions, type Mnist, type LabelledImages } from './mnist.js';
export { fetchVerified, DownloadError, type VerifiedFile } from './download.js';
export { loadCsv, type LoadCsvOptions, type CsvData } from './csv.js';
export { loadTable, type LoadTableOptions, type Table } from './table.js';
export { loadImageFolder, type LoadImageFolderOptions, type ImageFolder } from './images.js';
export { startThreads } from './threads.js';
export { progressBar, type ProgressBarOptions } from './progress.js';
export { saveTfjs, loadTfjs, type LoadTfjsOptions } from './tfjs.js';
export { saveModel, loadModel, saveCheckpoint, loadCheckpoint, writeFileAtomic, FileError, DEFAULT_MAX_BYTES, type ReadOptions } from './files.js';
