import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThreadPool } from 'tinydense';
import { startThreads } from 'tinydense/node';

const root = join(import.meta.dirname, '..', '..');

describe('startThreads', () => {
  it('starts a ThreadPool of the size asked, ready, and closes it', async () => {
    const pool = await startThreads(2);
    expect(pool).toBeInstanceOf(ThreadPool);
    expect(pool.size).toBe(2);
    expect(pool.open).toBe(true);
    await pool.close();
    expect(pool.open).toBe(false);
  });

  it('idle workers do not keep the process alive: a script that never closes its pool exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinydense-threads-'));
    const script = join(dir, 'never-closed.mts');
    writeFileSync(
      script,
      `import { Dense, ReLU, Sequential, Tensor } from 'tinydense';
       import { startThreads } from 'tinydense/node';
       const threads = await startThreads(3);
       const model = new Sequential([new Dense(8, 64), new ReLU()]);
       console.log(model.predict(Tensor.zeros([300, 8]), { threads }).shape.join('x'));`,
    );
    // a worker that kept the process alive would hang here until the timeout kills it
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('300x64');
  });

  it('the workers of a pool dropped without close() are stopped once it is collected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinydense-threads-'));
    const script = join(dir, 'dropped.mts');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
       import { startThreads } from 'tinydense/node';
       const threads = () => Number(/^Threads:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
       const before = threads();
       for (let i = 0; i < 8; i++) await startThreads(3); // 16 workers, never closed
       const started = threads();
       for (let i = 0; i < 20 && threads() > before + 2; i++) {
         globalThis.gc();
         await new Promise((r) => setTimeout(r, 100));
       }
       console.log(JSON.stringify({ before, started, after: threads() }));`,
    );
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const { before, started, after } = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(started).toBeGreaterThanOrEqual(before + 16);
    expect(after).toBeLessThanOrEqual(before + 2);
  }, 60_000);
});
