// The figure a reader looks at first: the modes side by side on the headline metrics, as SVG (vega-lite → vega,
// rendered headless; the packages load at run time).
import type { EvalReport } from './evalReport';

const METRICS = [
  ['microF1', 'micro-F1'],
  ['categoryMicroF1', 'category micro-F1'],
  ['recallAt50', 'candidate recall@50'],
  ['microPrecision', 'precision'],
] as const;

export async function evalChartSvg(report: EvalReport): Promise<string> {
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const values = Object.values(report.modes).flatMap((m) => METRICS.map(([key, label]) => ({ mode: m.mode, metric: label, value: m[key] })));
  const spec = compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Chartcoder on ${report.dataset} ${report.split} (${report.documents} documents)`,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    width: 120,
    encoding: {
      column: { field: 'metric', type: 'nominal', title: null },
      x: { field: 'mode', type: 'nominal', sort: ['retrieval', 'rag', 'ft', 'ft+rag'], title: null },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
      color: { field: 'mode', type: 'nominal', sort: ['retrieval', 'rag', 'ft', 'ft+rag'] },
    },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  return view.toSVG();
}
