import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, Sigmoid, Softmax, Tensor } from 'tinydense';
import { FUZZ_RUNS, typedErrorOr } from '../helpers/fuzz.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const valid = JSON.parse(JSON.stringify(new Sequential([new Dense(3, 2), new ReLU(), new Dense(2, 2), new Softmax(), new Sigmoid()], { seed: 1 }))) as Json;

/** Every path to a value inside a JSON tree. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(v)) return here.concat(v.flatMap((c, i) => paths(c, [...prefix, i])));
  if (v !== null && typeof v === 'object') return here.concat(Object.entries(v).flatMap(([k, c]) => paths(c, [...prefix, k])));
  return here;
}
const allPaths = paths(valid);

/** Replaces or deletes the value at one path of a copy of the valid model. */
function mutate(path: (string | number)[], replacement: Json | undefined): Json {
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

const oddValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, true, '', 'dense', 'float64', 0, -1, 1.5, 1e9, 2 ** 31, [], {}, [1, 2], { kind: 'dense' }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

describe('Sequential.fromJSON fuzzing', () => {
  it(`rebuilds a working model or throws a typed error for ${FUZZ_RUNS} mutated and random documents`, () => {
    let ok = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...allPaths), oddValue).map(([p, v]) => mutate(p, v)) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
        ),
        fc.boolean(),
        (doc, asText) => {
          const built = typedErrorOr(
            () => Sequential.fromJSON(asText ? JSON.stringify(doc) : doc),
            (model) => expect(model.predict(Tensor.zeros([1, model.inputWidth])).shape).toEqual([1, model.outputWidth]),
          );
          if (built) ok++;
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`fromJSON fuzz: ${FUZZ_RUNS} documents, ${ok} loaded, ${FUZZ_RUNS - ok} typed errors`);
  }, 120_000);
});
