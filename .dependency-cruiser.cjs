/**
 * The architecture rules of tinydense, checked by `npm run lint:deps` (part of
 * `npm test`). See docs/architecture.md for the two wings they keep apart.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere: every folder can be read from the bottom up.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'backend-one-door',
      severity: 'error',
      comment: 'Outside src/backend/, the speed machinery is reached through ops.ts (and public.ts, the pools users start) only.',
      from: { path: '^src/', pathNot: '^src/backend/' },
      to: { path: '^src/backend/', pathNot: '^src/backend/(ops|public)\\.ts$' },
    },
    {
      name: 'core-no-node-entry',
      severity: 'error',
      comment: 'The core runs in browsers: it never imports the tinydense/node entry.',
      from: { path: '^src/', pathNot: '^src/node/' },
      to: { path: '^src/node/' },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'The core runs in browsers: no Node built-ins outside src/node/.',
      from: { path: '^src/', pathNot: '^src/node/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-dependencies',
      severity: 'error',
      comment: 'The core has zero runtime dependencies.',
      from: { path: '^src/', pathNot: '^src/node/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'maths-not-training',
      severity: 'error',
      comment: 'A layer, activation, loss or optimizer never imports the model or the training loop.',
      from: { path: '^src/(layers|activations|losses|optimizers)/' },
      to: { path: '^src/(model|training)/' },
    },
    {
      name: 'optimizers-see-parameters',
      severity: 'error',
      comment: 'An optimizer sees parameters, never layers (type imports of the Parameter contract aside).',
      from: { path: '^src/optimizers/' },
      to: { path: '^src/(layers|activations)/', pathNot: '^src/layers/layer\\.ts$' },
    },
    {
      name: 'training-not-model',
      severity: 'error',
      comment: 'The training loop takes a Trainable, never Sequential itself.',
      from: { path: '^src/training/' },
      to: { path: '^src/model/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.as\\.ts$' },
  },
};
