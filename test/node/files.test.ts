import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, FormatError, Sequential, Sigmoid, Tensor } from 'tinydense';
import { loadModel, saveModel, writeFileAtomic } from 'tinydense/node';

const temp = (): string => mkdtempSync(join(tmpdir(), 'tinydense-files-'));
const root = join(import.meta.dirname, '..', '..');

describe('saveModel / loadModel', () => {
  it('round-trips a model that predicts bit-identically', async () => {
    const path = join(temp(), 'model.json');
    const model = new Sequential([new Dense(4, 3), new Sigmoid()], { seed: 9 });
    saveModel(model, path);
    const loaded = await loadModel(path);
    const x = Tensor.from([[0.1, 0.2, 0.3, 0.4]]);
    expect(loaded.predict(x).data).toEqual(model.predict(x).data);
  });

  it('names the file when its JSON is malformed', async () => {
    const path = join(temp(), 'model.json');
    writeFileSync(path, '{"format":"tinydense-model","version":1,');
    await expect(loadModel(path)).rejects.toThrow(FormatError);
    await expect(loadModel(path)).rejects.toThrow(`${path}: Sequential.fromJSON: not valid JSON`);
  });

  it('keeps the previous file intact when a save fails, leaving no temporary file', () => {
    const dir = temp();
    const path = join(dir, 'model.json');
    writeFileAtomic(path, 'old');
    expect(() => writeFileAtomic(join(dir, 'missing', 'model.json'), 'new')).toThrow(/ENOENT/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('keeps the previous model loadable when the saving process is killed mid-save', async () => {
    const dir = temp();
    const path = join(dir, 'model.json');
    const previous = new Sequential([new Dense(3, 2)], { seed: 1 });
    saveModel(previous, path);
    // A child saves a large model over and over; it is killed at a random moment.
    const script = `
      import { Dense, Sequential } from 'tinydense';
      import { saveModel } from 'tinydense/node';
      const big = new Sequential([new Dense(784, 512), new Dense(512, 3), new Dense(3, 2)], { seed: 2 });
      process.stdout.write('ready\\n');
      for (;;) saveModel(big, ${JSON.stringify(path)});
    `;
    const file = join(dir, 'saver.ts');
    writeFileSync(file, script);
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 150 + 100 * attempt));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const loaded = await loadModel(path);
      expect([1, 2]).toContain(loaded.seed);
    }
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});
