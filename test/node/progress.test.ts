import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { Dense, Sequential, Softmax } from 'tinydense';
import { progressBar } from 'tinydense/node';

describe('progressBar', () => {
  it('draws a bar over the batches of a long epoch on a terminal, then prints the epoch line', async () => {
    const out = new PassThrough();
    let drawn = '';
    out.on('data', (d: Buffer) => (drawn += d.toString()));
    Object.assign(out, { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const verbose = await progressBar({ after: 0, stream: out as unknown as NodeJS.WriteStream });
    const x = Array.from({ length: 40 }, (_, i) => [i % 2, (i >> 1) % 2]);
    const y = x.map(([a]) => (a === 1 ? [1, 0] : [0, 1]));
    new Sequential([new Dense(2, 2), new Softmax()]).fit(x, y, { epochs: 2, batchSize: 4, loss: 'categorical-cross-entropy', optimizer: 'sgd', verbose });
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^Epoch 1\/2 {2}loss /), expect.stringMatching(/^Epoch 2\/2 {2}loss /)]);
    log.mockRestore();
    expect(drawn).toMatch(/Epoch 1 \[.*\] \d+\/10 batches/);
  });

  it('draws nothing when the stream is not a terminal', async () => {
    const out = new PassThrough();
    let drawn = '';
    out.on('data', (d: Buffer) => (drawn += d.toString()));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const verbose = await progressBar({ after: 0, stream: out as unknown as NodeJS.WriteStream });
    new Sequential([new Dense(2, 2), new Softmax()]).fit([[0, 1]], [[1, 0]], { epochs: 1, batchSize: 1, loss: 'categorical-cross-entropy', optimizer: 'sgd', verbose });
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
    expect(drawn).toBe('');
  });
});
