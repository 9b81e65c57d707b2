/**
 * Every `@example` in the TSDoc of src/ compiles: each is written to its own
 * module under .cache/doc-examples and type-checked with the project's strict
 * settings, importing 'tinydense' and 'tinydense/node' as users do.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The code blocks of every `@example` tag, with the comment's leading ` * ` removed. */
function examples(): { file: string; code: string }[] {
  return sourceFiles(join(root, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)].map((m) => ({
      file: relative(root, file),
      code: (m[2] as string).split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n'),
    }));
  });
}

describe('TSDoc examples', () => {
  const found = examples();

  it('exist for the exported API', () => {
    expect(found.length).toBeGreaterThan(40);
  });

  it('all compile under the strict tsconfig', () => {
    const dir = join(root, '.cache', 'doc-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    found.forEach(({ file, code }, i) => writeFileSync(join(dir, `example-${i}.ts`), `// from ${file}\n${code}\nexport {};\n`));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noUnusedLocals: false }, include: ['*.ts'] }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    // Name the source file of each failing example.
    const named = output.replace(/example-(\d+)\.ts/g, (_, i: string) => `${found[Number(i)]?.file} (example ${i})`);
    expect(named).toBe('');
  }, 60_000);
});
