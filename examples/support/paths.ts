/** Where examples keep generated data and saved models: `.cache/` in the repository unless --work-dir says otherwise. */
import { join } from 'node:path';
import type { ExampleOptions } from './options.js';

export function workDir(options: ExampleOptions): string {
  return options.workDir ?? join(import.meta.dirname, '..', '..', '.cache');
}
