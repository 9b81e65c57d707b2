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
});
