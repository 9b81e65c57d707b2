import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, FormatError, Normalization, ReLU, Sequential, Softmax, Tensor } from 'tinydense';
import { FileError, loadTfjs, saveTfjs } from 'tinydense/node';
import { worstRelative } from '../helpers/interop.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'tinydense-tfjs-'));

describe('saveTfjs / loadTfjs', () => {
  const model = new Sequential([new Normalization().adapt([[1, 10], [3, 30]]), new Dense(2, 5), new ReLU(), new Dense(5, 3), new Softmax()], { seed: 4 });
  const x = Tensor.from([[2, 15], [0, 40]]);

  it('writes model.json and one weights file that TF.js loads the way its file:// handler does, and reads them back', async () => {
    const dir = join(temp(), 'web-model');
    saveTfjs(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    // what tfjs-node's file:// handler does: the JSON, then the manifest's files concatenated
    const bin = readFileSync(join(dir, 'group1-shard1of1.bin'));
    const loaded = await tf.loadLayersModel({
      load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length) }),
    });
    const theirs = (await (loaded.predict(tf.tensor2d(Array.from(x.data), [2, 2])) as ReturnType<typeof tf.tensor2d>).data()) as Float32Array;
    expect(worstRelative(model.predict(x).data, theirs)).toBeLessThanOrEqual(1e-5);
    for (const path of [dir, join(dir, 'model.json')]) {
      const back = await loadTfjs(path);
      expect(back.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(worstRelative(back.predict(x).data, model.predict(x).data)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('refuses a manifest that reaches outside its directory, a missing weights file, and a file over maxBytes', async () => {
    const dir = join(temp(), 'm');
    saveTfjs(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../secret.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadTfjs(dir)).rejects.toThrow(FormatError);
    await expect(loadTfjs(dir)).rejects.toThrow(/not a file name beside model\.json/);
    json.weightsManifest[0].paths = ['gone.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadTfjs(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(loadTfjs(dir, { maxBytes: 10 })).rejects.toThrow(FileError);
  });
});
