/** The error-vs-epoch chart: an SVG file (vega-lite) and the same curve drawn in the terminal (asciichart). */
import { writeFileSync } from 'node:fs';
// @ts-expect-error: asciichart ships no type declarations
import asciichart from 'asciichart';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ErrorPoint {
  readonly epoch: number;
  readonly series: string;
  readonly error: number;
}

/** Writes an SVG line chart of a figure (`error` by default) against epoch, one line per series. */
export async function writeErrorChart(path: string, points: readonly ErrorPoint[], title: string, yTitle = 'error'): Promise<void> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 280,
    data: { values: points as ErrorPoint[] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 }, title: 'epoch' },
      y: { field: 'error', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  writeFileSync(path, await view.toSVG());
  view.finalize();
}

/** The curve as text, for the terminal. */
export function terminalChart(values: readonly number[]): string {
  return asciichart.plot(values.length === 1 ? [values[0], values[0]] : values, { height: 8, format: (v: number) => v.toFixed(4).padStart(8) });
}
