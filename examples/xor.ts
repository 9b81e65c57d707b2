import { Dense, SGD, Sequential, Sigmoid, Tanh } from 'tinydense';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

const model = new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 1), new Sigmoid()], { seed: 1 });
model.fit(x, y, {
  epochs: 1000,
  batchSize: 2,
  loss: 'cross-entropy',
  optimizer: new SGD({ learningRate: 1, momentum: 0.5 }),
});

console.log(model.predict(x).toArray()); // ≈ [[0], [1], [1], [0]]
console.log('accuracy', model.evaluate(x, y, 'cross-entropy').accuracy); // 1
