/**
 * `npm run verify:sigmoid`: runs every one of the 2^32 float32 values through
 * `Sigmoid` (its WebAssembly kernel) and checks each result, bit for bit, against
 * `Sigmoid.f` rounded to float32, the TypeScript loop's result. Two processes,
 * each taking half of the values; about a minute on two cores. Not part of
 * `npm test`, whose tests sample the same comparison.
 */
import { fork } from 'node:child_process';
import { Sigmoid, Tensor } from 'tinydense';

/** Values per call: 2^22 (the kernel goes through them in its own chunks). */
const CALL = 1 << 22;
const CALLS = 2 ** 32 / CALL;

/** Checks the values whose bit patterns are [first·CALL, end·CALL) and returns how many differ, printing the first few. */
function check(first: number, end: number): number {
  const bits = new Uint32Array(CALL);
  const z = new Float32Array(bits.buffer);
  const s = new Sigmoid();
  let wrong = 0;
  for (let c = first; c < end; c++) {
    for (let i = 0; i < CALL; i++) bits[i] = c * CALL + i;
    const a = s.forward(new Tensor(z, [1, CALL])).data;
    for (let i = 0; i < CALL; i++) {
      const want = Math.fround(s.f(z[i] as number));
      if (!Object.is(a[i], want) && wrong++ < 10) console.log(`z = ${z[i]} (bits ${(c * CALL + i).toString(16)}): ${a[i]} against ${want}`);
    }
  }
  return wrong;
}

const [from, to] = process.argv.slice(2).map(Number);
if (from !== undefined && to !== undefined) {
  // a child (or a run by hand over calls [from, to))
  const wrong = check(from, to);
  if (process.send === undefined) console.log(`${wrong} values differ`);
  else process.send(wrong);
} else {
  const started = performance.now();
  const halves = [0, CALLS / 2, CALLS];
  const wrong = await Promise.all(
    [0, 1].map(
      (h) =>
        new Promise<number>((resolve, reject) => {
          const child = fork(process.argv[1] as string, [String(halves[h]), String(halves[h + 1])]);
          child.on('message', (n) => resolve(n as number));
          child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`checker for half ${h} exited with ${code}`))));
        }),
    ),
  );
  const total = (wrong[0] as number) + (wrong[1] as number);
  console.log(`Sigmoid, float32: ${total} of 2^32 values differ from Sigmoid.f (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(total === 0 ? 0 : 1);
}
