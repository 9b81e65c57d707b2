/** The growth sweep as an SVG line chart (vega-lite): s/epoch against the hidden width, one line per library. */
import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface GrowthPoint {
  readonly hidden: number;
  readonly side: string;
  readonly seconds: number;
}

/** Writes the chart to `path`, both axes logarithmic (cost grows about linearly with H). */
export async function writeGrowthChart(path: string, points: readonly GrowthPoint[], title: string): Promise<void> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values: points as GrowthPoint[] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'hidden', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { values: [16, 32, 64, 128, 256, 512, 1024] }, title: 'hidden units H' },
      y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 's/epoch (60,000 images)' },
      color: { field: 'side', type: 'nominal', title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  writeFileSync(path, await view.toSVG());
  view.finalize();
}
