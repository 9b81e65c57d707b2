/**
 * The package as a user installs it: `npm pack`, install the tarball into a fresh
 * project, import it with ESM `import` and CommonJS `require`, and type-check a
 * strict TypeScript consumer under moduleResolution node16 and bundler.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const project = mkdtempSync(join(tmpdir(), 'tinydense-consumer-'));
let packed: string[] = [];

const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tsc = (args: string[]): string => {
  try {
    return run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], project);
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
};

beforeAll(() => {
  // dist/ is built by test/setup/build.ts; --ignore-scripts keeps the prepack build's log out of the JSON.
  const out = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root)) as [{ filename: string; files: { path: string }[] }];
  packed = out[0].files.map((f) => f.path).sort();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(project, out[0].filename)], project);
}, 180_000);

describe('the packed package', () => {
  it('holds only what users need: dist, the guides, README, CHANGELOG, LICENSE, package.json', () => {
    expect(packed.every((p) => /^(dist\/[^/]+|docs\/[^/]+\.md|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(p))).toBe(true);
    expect(packed).toContain('docs/your-own-data.md');
    expect(packed).toContain('dist/index.js');
    expect(packed).toContain('dist/node.cjs');
    expect(packed.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  });

  it('imports with ESM import and CommonJS require, and trains', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { Sequential, Dense, Sigmoid } from 'tinydense';
       import { readIdx } from 'tinydense/node';
       const m = new Sequential([new Dense(2, 1), new Sigmoid()]);
       m.fit([[0, 1]], [[1]], { epochs: 3, batchSize: 1, loss: 'quadratic', optimizer: 'sgd' });
       console.log(typeof readIdx, m.predict([[0, 1]]).shape.join('x'));`,
    );
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { Sequential, Dense } = require('tinydense');
       const { loadMnist } = require('tinydense/node');
       console.log(typeof loadMnist, new Sequential([new Dense(3, 2)]).predict([[1, 2, 3]]).shape.join('x'));`,
    );
    expect(run(process.execPath, ['esm.mjs'], project).trim()).toBe('function 1x1');
    expect(run(process.execPath, ['cjs.cjs'], project).trim()).toBe('function 1x2');
  });

  for (const [module, moduleResolution] of [['node16', 'node16'], ['esnext', 'bundler']] as const) {
    it(`type-checks a strict consumer with moduleResolution ${moduleResolution}`, () => {
      writeFileSync(
        join(project, 'consumer.mts'),
        `import { Dense, SGD, Sequential, Sigmoid, Tensor, ShapeError, type History } from 'tinydense';
         import { loadMnist, type Mnist } from 'tinydense/node';
         const model = new Sequential([new Dense(784, 30), new Sigmoid(), new Dense(30, 10), new Sigmoid()], { seed: 1 });
         const data: Mnist = await loadMnist();
         const history: History = model.fit(data.train.images, Tensor.zeros([60000, 10]), { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 3 }) });
         const e: unknown = new ShapeError('x');
         export const ok: boolean = history.epochs.length === 1 && e instanceof ShapeError;
         // @ts-expect-error: an unknown loss name is a type error
         model.evaluate(data.test.images, Tensor.zeros([10000, 10]), 'mse');`,
      );
      const out = tsc(['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--target', 'es2022', '--module', module, '--moduleResolution', moduleResolution, '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), 'consumer.mts']);
      expect(out).toBe('');
    });
  }

  it('installed nothing but tinydense itself (no runtime dependencies)', () => {
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['tinydense']);
  });
});
