import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments: TSDoc examples import 'tinydense' and must not count. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
}

function importsOf(code: string): string[] {
  return [...stripComments(code).matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('the core entry is browser-safe', () => {
  it('imports no Node built-in and uses no Node global anywhere outside src/node', () => {
    const core = sourceFiles(join(root, 'src')).filter((f) => !f.includes(`${join('src', 'node')}`));
    expect(core.length).toBeGreaterThan(10);
    for (const file of core) {
      const code = readFileSync(file, 'utf8');
      // tinydense/interop imports the core by its package name (one copy of Sequential), and nothing else
      const interop = file.includes(join('src', 'interop'));
      for (const spec of importsOf(code)) {
        expect(builtins.has(spec), `${file} imports ${spec}`).toBe(false);
        expect(spec.startsWith('.') || (interop && spec === 'tinydense'), `${file} imports the package ${spec}: the core has no runtime dependencies`).toBe(true);
        expect(spec.includes('/node/'), `${file} imports ${spec} from the Node entry`).toBe(false);
      }
      expect(/\b(process|Buffer|__dirname|require)\b\s*[.(]/.test(stripComments(code)), `${file} uses a Node global`).toBe(false);
    }
  });
});

// dist/ is built once by test/setup/build.ts.
describe('the built package', () => {
  it('loads as ESM and as CommonJS, and both train the same model', async () => {
    const esm = await import(join(root, 'dist/index.js'));
    const cjs = createRequire(import.meta.url)(join(root, 'dist/index.cjs'));
    const train = (lib: typeof esm): number[] => {
      const model = new lib.Sequential([new lib.Dense(2, 3), new lib.Sigmoid(), new lib.Dense(3, 1)], { seed: 5 });
      model.fit([[0, 1], [1, 0]], [[1], [0]], { epochs: 5, batchSize: 1, loss: 'quadratic', optimizer: 'sgd' });
      return Array.from(model.predict([[1, 1]]).data);
    };
    expect(train(cjs)).toEqual(train(esm));
  });

  it('loads tinydense/node as ESM and CommonJS, sharing the core: loadModel gives a core Sequential', () => {
    // A plain Node process, so 'tinydense' resolves through package.json as it will for users.
    const dir = mkdtempSync(join(tmpdir(), 'tinydense-pkg-'));
    const script = join(dir, 'check.mjs');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       const core = await import(${JSON.stringify(join(root, 'dist/index.js'))});
       const esm = await import(${JSON.stringify(join(root, 'dist/node.js'))});
       const cjs = createRequire(import.meta.url)(${JSON.stringify(join(root, 'dist/node.cjs'))});
       esm.saveModel(new core.Sequential([new core.Dense(2, 1)]), ${JSON.stringify(join(dir, 'm.json'))});
       const loaded = await esm.loadModel(${JSON.stringify(join(dir, 'm.json'))});
       console.log(typeof esm.loadMnist, typeof cjs.loadMnist, loaded instanceof core.Sequential);`,
    );
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim()).toBe('function function true');
  });

  it('has no import of any module in the core bundle (zero runtime dependencies, no Node built-ins), and tinydense/interop imports only the core', () => {
    expect(importsOf(readFileSync(join(root, 'dist/index.js'), 'utf8'))).toEqual([]);
    expect([...new Set(importsOf(readFileSync(join(root, 'dist/interop.js'), 'utf8')))]).toEqual(['tinydense']);
  });

  it('loads tinydense/interop as ESM and CommonJS, sharing the core: fromOnnx gives a core Sequential', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinydense-pkg-'));
    const script = join(dir, 'interop.mjs');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       const core = await import(${JSON.stringify(join(root, 'dist/index.js'))});
       const esm = await import(${JSON.stringify(join(root, 'dist/interop.js'))});
       const cjs = createRequire(import.meta.url)(${JSON.stringify(join(root, 'dist/interop.cjs'))});
       const model = esm.fromOnnx(esm.toOnnx(new core.Sequential([new core.Dense(2, 1)])));
       console.log(typeof cjs.toTfjs, model instanceof core.Sequential);`,
    );
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim()).toBe('function true');
  });

  it('declares the exports map with types first, ESM and CJS', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.exports['.'].import)).toEqual(['types', 'default']);
    expect(Object.keys(pkg.exports['.'].require)).toEqual(['types', 'default']);
    expect(Object.keys(pkg.exports['./node'].import)).toEqual(['types', 'default']);
    expect(Object.keys(pkg.exports['./node'].require)).toEqual(['types', 'default']);
    expect(Object.keys(pkg.exports['./interop'].import)).toEqual(['types', 'default']);
  });
});
