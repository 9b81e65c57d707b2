/** Shared pieces of the fuzz tests: byte mutations and the "typed error or valid result" rule. */
import fc from 'fast-check';
import { expect } from 'vitest';
import { TinyDenseError } from 'tinydense';

/** The number of inputs each fuzz test tries. */
export const FUZZ_RUNS = 10_000;

/** A valid input mutated: bytes flipped, truncated, or extended, or left as it is. */
export function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.constant(valid),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const copy = valid.slice();
      for (const [at, value] of edits) copy[at % copy.length] = value;
      return copy;
    }),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc.uint8Array({ maxLength: 64 }).map((tail) => new Uint8Array([...valid, ...tail])),
    fc.uint8Array({ maxLength: 300 }),
  );
}

/** Runs `f`; a thrown error must be one of the library's typed errors. Returns whether f succeeded. */
export function typedErrorOr<T>(f: () => T, valid: (result: T) => void): boolean {
  let result: T;
  try {
    result = f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(TinyDenseError);
    return false;
  }
  valid(result);
  return true;
}

/** The async form of {@link typedErrorOr}. */
export async function typedErrorOrAsync<T>(f: () => Promise<T>, valid: (result: T) => void): Promise<boolean> {
  let result: T;
  try {
    result = await f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(TinyDenseError);
    return false;
  }
  valid(result);
  return true;
}
