import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, Sigmoid, Softmax, Tensor } from 'tinydense';
import { FUZZ_RUNS, jsonPaths, mutateJson, oddJsonValue, typedErrorOr, type Json } from '../helpers/fuzz.js';

const valid = JSON.parse(JSON.stringify(new Sequential([new Dense(3, 2), new ReLU(), new Dense(2, 2), new Softmax(), new Sigmoid()], { seed: 1 }))) as Json;
const allPaths = jsonPaths(valid);

describe('Sequential.fromJSON fuzzing', () => {
  it(`rebuilds a working model or throws a typed error for ${FUZZ_RUNS} mutated and random documents`, () => {
    let ok = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...allPaths), oddJsonValue).map(([p, v]) => mutateJson(valid, p, v)) },
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
