// parse-prometheus-text-format ships no types: the shape it returns, as far as the tests read it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parse = require('parse-prometheus-text-format') as (text: string) => MetricFamily[];

export type Sample = { value?: string; count?: string; sum?: string; buckets?: Record<string, string>; labels?: Record<string, string> };
export type MetricFamily = { name: string; help: string; type: string; metrics: Sample[] };

/** Prometheus text → families by name. */
export function parseMetrics(text: string): Map<string, MetricFamily> {
  return new Map(parse(text).map((f) => [f.name, f]));
}

/** The sample of `name` whose labels include `labels` (undefined if none). */
export function sample(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): Sample | undefined {
  return families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** Its value (a counter or gauge) or count (a histogram), 0 when absent. */
export function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const s = sample(families, name, labels);
  return Number(s?.value ?? s?.count ?? 0);
}

/**
 * The `_count` of one labelled histogram series. The parser above folds
 * labelled histograms into one unlabelled sample, so this one figure is read
 * from the text itself (after the parser has accepted the whole text).
 */
export function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}_count{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
