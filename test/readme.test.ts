import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('README quick start', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];

  it('is examples/xor.ts, word for word', () => {
    expect(block).toBe(readFileSync(join(root, 'examples/xor.ts'), 'utf8'));
  });

  it('runs as written and reaches 100% on XOR', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tinydense-readme-')), 'quickstart.ts');
    writeFileSync(file, (block as string).replace("from 'tinydense'", `from '${join(root, 'src/index.ts')}'`));
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/accuracy 1\n/);
  });

  it('leaves the contributor commands to CONTRIBUTING.md, which names the one test command', () => {
    expect(readme).not.toContain('npm test');
    expect(readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8')).toContain('npm test');
  });
});
