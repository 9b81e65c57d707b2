import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, FormatError, SGD, Sequential, Sigmoid, Tensor } from 'tinydense';
import { FileError, loadCheckpoint, loadModel, loadTable, saveCheckpoint, saveModel, writeFileAtomic } from 'tinydense/node';

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
    expect(() => writeFileAtomic(join(dir, 'missing', 'model.json'), 'new')).toThrow(/cannot write .*missing.model\.json: ENOENT/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('keeps the previous model loadable when the saving process is killed mid-save', async () => {
    const path = join(temp(), 'model.json');
    saveModel(new Sequential([new Dense(3, 2)], { seed: 1 }), path);
    await killWhileSaving(path, `saveModel(big, PATH)`, async () => {
      expect([1, 2]).toContain((await loadModel(path)).seed);
    });
  }, 60_000);
});

describe('saves keep what the user had', () => {
  const model = new Sequential([new Dense(2, 1)], { seed: 3 });

  it("keeps an existing file's permissions (a 0600 checkpoint stays private)", () => {
    const path = join(temp(), 'run.ckpt.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o600);
    saveCheckpoint(path, { model, optimizer: new SGD({ learningRate: 0.1 }), epoch: 0 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o640);
    saveModel(model, path);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('refuses a read-only file with a FileError, leaving it as it was', () => {
    const path = join(temp(), 'model.json');
    writeFileSync(path, 'precious');
    chmodSync(path, 0o444);
    expect(() => saveModel(model, path)).toThrow(FileError);
    expect(() => saveModel(model, path)).toThrow(`writeFileAtomic: ${path} is read-only (mode 0444)`);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(dirname(path))).toEqual(['model.json']);
  });

  it("writes a symbolic link's target and leaves the link a link (also a link to a file not written yet)", async () => {
    const dir = temp();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    saveModel(model, join(dir, 'link.json'));
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect((await loadModel(join(dir, 'real.json'))).seed).toBe(3);
    symlinkSync('later.json', join(dir, 'dangling.json'));
    saveModel(model, join(dir, 'dangling.json'));
    expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
    expect((await loadModel(join(dir, 'later.json'))).seed).toBe(3);
  });

  it('saves under the longest legal file name, and names the user’s path (never a temporary one) when a save fails', () => {
    const dir = temp();
    const long = join(dir, `${'m'.repeat(250)}.json`); // 255 characters
    saveModel(model, long);
    expect(existsSync(long)).toBe(true);
    const tooLong = join(dir, `${'m'.repeat(300)}.json`);
    let error: unknown;
    try {
      saveModel(model, tooLong);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('ENAMETOOLONG');
    expect((error as FileError).message).toContain(`cannot write ${tooLong}: ENAMETOOLONG`);
    expect((error as FileError).message).not.toContain('.tmp');
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('size limits of the readers', () => {
  it('refuse a file over maxBytes before reading it, with a FileError naming it', async () => {
    const path = join(temp(), 'big.json');
    writeFileSync(path, `{"format":"tinydense-model","pad":"${'x'.repeat(2_000_000)}"}`);
    await expect(loadModel(path, { maxBytes: 1_000_000 })).rejects.toThrow(FileError);
    await expect(loadModel(path, { maxBytes: 1_000_000 })).rejects.toThrow(/loadModel: .*big\.json is 2,000,\d+ bytes, more than maxBytes \(1,000,000\)/);
    await expect(loadCheckpoint(path, { maxBytes: 10 })).rejects.toThrow(/loadCheckpoint: .* more than maxBytes/);
    await expect(loadTable(path, { features: ['a'], maxBytes: 10 })).rejects.toThrow(/loadTable: .* more than maxBytes/);
    // under the limit it is read, and judged on its contents
    await expect(loadModel(path)).rejects.toThrow(FormatError);
  });

  it('give a missing file as a FileError with its code', async () => {
    const path = join(temp(), 'nothing.json');
    await expect(loadModel(path)).rejects.toThrow(FileError);
    await expect(loadModel(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips model, optimizer and epoch', async () => {
    const path = join(temp(), 'run.ckpt.json');
    const model = new Sequential([new Dense(2, 2)], { seed: 4 });
    const optimizer = new SGD({ learningRate: 0.2, momentum: 0.9 });
    model.fit([[1, 0]], [[0, 1]], { epochs: 2, batchSize: 1, loss: 'quadratic', optimizer });
    saveCheckpoint(path, { model, optimizer, epoch: 2 });
    const restored = await loadCheckpoint(path);
    expect(restored.epoch).toBe(2);
    expect(restored.model.getWeights()).toEqual(model.getWeights());
    expect(restored.optimizer.getState?.(restored.model.parameters())).toEqual(optimizer.getState(model.parameters()));
  });

  it('names the file of a corrupted checkpoint', async () => {
    const path = join(temp(), 'run.ckpt.json');
    writeFileSync(path, '{"format":"tinydense-checkpoint","version":7}');
    await expect(loadCheckpoint(path)).rejects.toThrow(`${path}: restoreCheckpoint: version 7 is newer`);
  });

  it('keeps the previous checkpoint loadable when the saving process is killed mid-save', async () => {
    const path = join(temp(), 'run.ckpt.json');
    saveCheckpoint(path, { model: new Sequential([new Dense(3, 2)], { seed: 1 }), optimizer: new SGD({ learningRate: 0.1 }), epoch: 1 });
    await killWhileSaving(path, `saveCheckpoint(PATH, { model: big, optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), epoch: 2 })`, async () => {
      const { epoch, model } = await loadCheckpoint(path);
      expect([1, 2]).toContain(epoch);
      expect(model.seed).toBe(epoch);
    });
  }, 60_000);
});

/**
 * Starts a child that saves a large model to `path` over and over and kills it:
 * first the moment its temporary file appears (certainly mid-write), then at two
 * arbitrary moments. Runs `check` after each kill.
 */
async function killWhileSaving(path: string, save: string, check: () => Promise<void>): Promise<void> {
  const dir = temp();
  const file = join(dir, 'saver.ts');
  writeFileSync(
    file,
    `import { Dense, SGD, Sequential } from 'tinydense';
     import { saveCheckpoint, saveModel } from 'tinydense/node';
     const PATH = ${JSON.stringify(path)};
     const big = new Sequential([new Dense(784, 512), new Dense(512, 3), new Dense(3, 2)], { seed: 2 });
     process.stdout.write('ready\\n');
     for (;;) ${save};`,
  );
  for (let attempt = 0; attempt < 3; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    if (attempt === 0) {
      const deadline = Date.now() + 20_000;
      while (!readdirSync(dirname(path)).some((f) => f.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      expect(readdirSync(dirname(path)).some((f) => f.endsWith('.tmp')), 'a save was in progress when killed').toBe(true);
    } else {
      await new Promise((r) => setTimeout(r, 150 + 100 * attempt));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await check();
  }
  expect(existsSync(path)).toBe(true);
}
