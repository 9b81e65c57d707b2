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

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON tree. */
export function jsonPaths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(v)) return here.concat(v.flatMap((c, i) => jsonPaths(c, [...prefix, i])));
  if (v !== null && typeof v === 'object') return here.concat(Object.entries(v).flatMap(([k, c]) => jsonPaths(c, [...prefix, k])));
  return here;
}

/** A copy of `valid` with the value at `path` replaced, or deleted when `replacement` is undefined. */
export function mutateJson(valid: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(valid)) as Json;
  if (path.length === 0) return replacement ?? null;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

/** Odd values to put in a document: nothing, wrong types, edge numbers, random JSON. */
export const oddJsonValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, true, '', 'dense', 'adam', 'float64', 0, -1, -1e-3, 1.5, 1e9, 1e300, 2 ** 31, [], {}, [1, 2], { kind: 'dense' }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
