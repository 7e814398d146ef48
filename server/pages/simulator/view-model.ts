/**
 * What the simulator page shows of a replayed run: one chart per metric for the chosen group (both
 * arms, minute by minute, ramp steps marked), each with a table of ten-minute blocks, and the words
 * for metrics and groups the decision form offers.
 */
import { BLOCK_MINUTES, metricValue, type ReplayedRun } from "../../../grader/rollout-sim/interactive";
import { METRICS, type MetricName } from "../../../grader/rollout-sim/policy-schema";
import { GROUP_KEYS, type GroupKey } from "../../../grader/rollout-sim/simulate";
import { lineChartSvg } from "../../simulator/line-chart";

export const METRIC_LABELS: Record<MetricName, { label: string; unit: string }> = {
  errorRate: { label: "Error rate", unit: "%" },
  latencyP50: { label: "Latency p50", unit: " ms" },
  latencyP95: { label: "Latency p95", unit: " ms" },
  latencyP99: { label: "Latency p99", unit: " ms" },
  shownRate: { label: "Shown rate (shown / eligible)", unit: "%" },
  receivedRate: { label: "Received rate (received / selected with a driver)", unit: "%" },
};

export function groupLabel(group: GroupKey): string {
  if (group === "all") return "Whole service";
  const [dimension, value] = group.split(":");
  return `${dimension === "city" ? "City" : "App version"}: ${value}`;
}

export const GROUP_OPTIONS = GROUP_KEYS.map((value) => ({ value, label: groupLabel(value) }));
export const METRIC_OPTIONS = METRICS.map((value) => ({ value, label: METRIC_LABELS[value].label }));

export function parseGroup(raw: unknown): GroupKey {
  return typeof raw === "string" && GROUP_KEYS.includes(raw) ? raw : "all";
}

export interface ChartView {
  headingId: string;
  heading: string;
  svg: string;
  columns: string[];
  rows: (string | number)[][];
}

const mean = (values: (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
};

function show(value: number | null, unit: string): string {
  if (value === null) return "no data";
  return `${value.toFixed(unit === "%" ? 3 : 0)}${unit}`;
}

export function chartsFor(run: ReplayedRun, group: GroupKey): ChartView[] {
  const steps = run.records.flatMap((r, i) =>
    i === 0 || run.records[i - 1]?.percent !== r.percent ? [{ minute: r.minute, percent: r.percent }] : [],
  );
  return METRICS.map((metric) => {
    const { label, unit } = METRIC_LABELS[metric];
    const control = run.records.map((r) => metricValue(r, "control", group, metric));
    const treatment = run.records.map((r) => metricValue(r, "treatment", group, metric));
    const rows: (string | number)[][] = [];
    for (let start = 0; start < run.records.length; start += BLOCK_MINUTES) {
      const end = Math.min(run.records.length, start + BLOCK_MINUTES) - 1;
      rows.push([
        `${start}–${end}`,
        `${run.records[start]?.percent ?? 0}%`,
        show(mean(control.slice(start, end + 1)), unit),
        show(mean(treatment.slice(start, end + 1)), unit),
      ]);
    }
    const heading = `${label}, ${groupLabel(group).toLowerCase()}`;
    return {
      headingId: `chart-${metric}`,
      heading,
      svg: lineChartSvg({
        id: `svg-${metric}`,
        title: heading,
        desc: `Control (solid) and treatment (dashed), minute by minute over ${run.records.length} minutes; ramp steps marked. The table below has the mean of each ten-minute block.`,
        unit,
        series: [
          { label: "control", className: "chart-line-control", values: control },
          { label: "treatment", className: "chart-line-treatment", values: treatment },
        ],
        steps,
      }),
      columns: ["Minutes", "Treatment at", "Control (mean)", "Treatment (mean)"],
      rows,
    };
  });
}
