import { describe, expect, it, vi } from 'vitest';
import { Dense, OptionError, Sequential, Softmax, epochLine, type FitReporter } from 'tinydense';

describe('verbose', () => {
  const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
  const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
  const options = { epochs: 3, batchSize: 2, loss: 'categorical-cross-entropy', optimizer: 'sgd' } as const;

  it('prints every epoch with verbose: 2, the first and last of fast ones with 1, nothing with 0 or by default off a terminal', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const model = new Sequential([new Dense(2, 2), new Softmax()]);
    const line = (e: number): unknown => expect.stringMatching(new RegExp(`^Epoch ${e}/3 {2}loss \\d\\.\\d{4} {2}valLoss \\d\\.\\d{4} {2}valAccuracy \\d\\.\\d{4} {2}\\d+\\.\\d s$`));
    model.fit(x, y, { ...options, verbose: 2, validationData: [x, y] });
    expect(log.mock.calls.map((c) => c[0])).toEqual([line(1), line(2), line(3)]);
    log.mockClear();
    model.fit(x, y, { ...options, verbose: 1, validationData: [x, y] });
    expect(log.mock.calls.map((c) => c[0])).toEqual([line(1), line(3)]);
    log.mockClear();
    model.fit(x, y, { ...options, verbose: 0 });
    model.fit(x, y, options); // the test runner's output is not a terminal
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });

  it('hands batches and epochs to a reporter', () => {
    const seen: string[] = [];
    const reporter: FitReporter = {
      batchEnd: (b, batches) => seen.push(`b${b.epoch}.${b.batch}/${batches}`),
      epochEnd: (r, line, epochs) => seen.push(line === epochLine(r, 3) && epochs === 3 ? `e${r.epoch}` : 'bad line'),
    };
    new Sequential([new Dense(2, 2), new Softmax()]).fit(x, y, { ...options, verbose: reporter });
    expect(seen).toEqual(['b1.0/2', 'b1.1/2', 'e1', 'b2.0/2', 'b2.1/2', 'e2', 'b3.0/2', 'b3.1/2', 'e3']);
  });

  it('rejects anything else, naming the option', () => {
    expect(() => new Sequential([new Dense(2, 2)]).fit(x, y, { ...options, verbose: 'yes' as never })).toThrow(OptionError);
    expect(() => new Sequential([new Dense(2, 2)]).fit(x, y, { ...options, verbose: 3 as never })).toThrow(/verbose must be 0, 1, 2 or a FitReporter/);
  });
});
