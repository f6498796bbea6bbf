// The Grafana dashboard in deploy/grafana only queries metrics (and labels) the code really registers.
import { describe, expect, it } from 'vitest';
import { createProcessMetrics } from '../../services/pushwire/src/metrics/process-metrics.js';
import { readRepoFile } from './repo-files.js';

interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

/** Sample names and label names of every metric one process with both roles registers. */
async function registeredSeries(): Promise<Map<string, Set<string>>> {
  const { registry } = createProcessMetrics({ ingest: true, worker: true });
  const series = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = await (metric as unknown as { get(): Promise<{ name: string; type: string }> }).get();
    const labels = new Set((metric as unknown as { labelNames?: string[] }).labelNames ?? []);
    if (type === 'histogram') {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else if (type === 'summary') {
      series.set(name, new Set([...labels, 'quantile']));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else {
      series.set(name, labels);
    }
  }
  return series;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'stdvar',
]);

/** Labels every target gets from Prometheus itself. */
const TARGET_LABELS = new Set(['instance', 'job']);

interface ParsedExpr {
  metrics: { name: string; matchers: string[] }[];
  groupingLabels: string[];
}

/** A small PromQL reader: enough for the dashboard's expressions (selectors, matchers, by/without, ranges). */
function parsePromQl(expr: string): ParsedExpr {
  let rest = expr.replace(/\$__rate_interval|\$__interval|\$\w+/g, 'VAR');
  const groupingLabels: string[] = [];
  rest = rest.replace(/\b(by|without)\s*\(([^)]*)\)/g, (_, _kw: string, list: string) => {
    groupingLabels.push(
      ...list
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  const metrics: ParsedExpr['metrics'] = [];
  rest = rest.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (_, name: string | undefined, body: string) => {
    const matchers = [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
    if (!name) throw new Error(`selector without a metric name in ${expr}`);
    metrics.push({ name, matchers });
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/"[^"]*"/g, ' ');
  for (const match of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, word, call] = match;
    if (call || PROMQL_WORDS.has(word!) || word === 'VAR') continue;
    metrics.push({ name: word!, matchers: [] });
  }
  return { metrics, groupingLabels };
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

const dashboard = JSON.parse(readRepoFile('deploy', 'grafana', 'pushwire-dashboard.json')) as Dashboard;

describe('Grafana dashboard', () => {
  it('has panels with PromQL targets and a datasource variable', () => {
    const targets = allPanels(dashboard.panels).flatMap((p) => p.targets ?? []);
    expect(targets.length).toBeGreaterThan(20);
    expect(dashboard.templating.list.map((v) => v.name)).toContain('datasource');
  });

  it('every expression queries only registered metrics, with labels those metrics have', async () => {
    const series = await registeredSeries();
    const problems: string[] = [];
    for (const panel of allPanels(dashboard.panels)) {
      for (const { expr } of panel.targets ?? []) {
        const parsed = parsePromQl(expr);
        if (parsed.metrics.length === 0) problems.push(`${panel.title}: no metric in ${expr}`);
        const known = new Set<string>(TARGET_LABELS);
        for (const { name, matchers } of parsed.metrics) {
          const labels = series.get(name);
          if (!labels) {
            problems.push(`${panel.title}: ${name} is not registered`);
            continue;
          }
          for (const label of labels) known.add(label);
          for (const label of matchers)
            if (!labels.has(label) && !TARGET_LABELS.has(label))
              problems.push(`${panel.title}: ${name} has no label ${label}`);
        }
        for (const label of parsed.groupingLabels)
          if (!known.has(label)) problems.push(`${panel.title}: no queried metric has label ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('template variables read registered metrics and labels', async () => {
    const series = await registeredSeries();
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      const match = /^label_values\((\w+),\s*(\w+)\)$/.exec(query);
      expect(match, `${variable.name}: ${query}`).not.toBeNull();
      expect(series.get(match![1]!)?.has(match![2]!), `${variable.name}: ${query}`).toBe(true);
    }
  });

  it('the checker itself catches an unknown metric and a wrong label', async () => {
    const series = await registeredSeries();
    expect(series.has('pushwire_delivery_total')).toBe(false);
    const parsed = parsePromQl(
      'sum by (result) (rate(pushwire_deliveries_total{colour="red"}[5m])) / sum(rate(pushwire_delivery_total[5m]))',
    );
    expect(parsed.metrics.map((m) => m.name)).toEqual(['pushwire_deliveries_total', 'pushwire_delivery_total']);
    expect(parsed.metrics[0]!.matchers).toEqual(['colour']);
    expect(parsed.groupingLabels).toEqual(['result']);
  });
});
