/**
 * A two-line chart (control and treatment, minute by minute) as an SVG string drawn on the server, in
 * the manner of server/analytics/svg-bar-chart.ts: no script, role="img" with a title and a
 * description, colours from the stylesheet, and the same numbers in a table beside it. The treatment
 * line is dashed so the arms differ without colour; ramp steps are marked, as the lecture asks.
 */
export interface LineSeries {
  label: string;
  className: string;
  /** One value per minute; null where the arm had no data. */
  values: readonly (number | null)[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const WIDTH = 400;
const HEIGHT = 190;
const LEFT = 48;
const RIGHT = 8;
const TOP = 26;
const BOTTOM = 24;

function formatTick(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit}`;
}

export function lineChartSvg(input: {
  id: string;
  title: string;
  desc: string;
  unit: string;
  series: readonly LineSeries[];
  /** Minutes at which a new ramp step began, with its percentage. */
  steps: readonly { minute: number; percent: number }[];
}): string {
  const minutes = Math.max(1, ...input.series.map((s) => s.values.length));
  const all = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-9) {
    hi += Math.max(Math.abs(hi) * 0.05, 0.01);
    lo -= Math.max(Math.abs(lo) * 0.05, 0.01);
  }
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (minute: number) => LEFT + (minutes <= 1 ? 0 : (minute / (minutes - 1)) * plotW);
  const y = (value: number) => TOP + plotH - ((value - lo) / (hi - lo)) * plotH;
  const paths = input.series.map((s) => {
    let d = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    });
    return `<path class="chart-line ${escapeXml(s.className)}" d="${d}" fill="none"></path>`;
  });
  const stepMarks = input.steps.map(
    (s) =>
      `<line class="chart-step" x1="${x(s.minute).toFixed(1)}" x2="${x(s.minute).toFixed(1)}" y1="${TOP}" y2="${TOP + plotH}"></line>` +
      `<text class="chart-step-label" x="${(x(s.minute) + 2).toFixed(1)}" y="${TOP + 10}">${s.percent}%</text>`,
  );
  const axes = [
    `<line class="chart-axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + plotH}"></line>`,
    `<line class="chart-axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}"></line>`,
    `<text class="chart-tick" x="${LEFT - 4}" y="${TOP + 4}" text-anchor="end">${escapeXml(formatTick(hi, input.unit))}</text>`,
    `<text class="chart-tick" x="${LEFT - 4}" y="${TOP + plotH}" text-anchor="end">${escapeXml(formatTick(lo, input.unit))}</text>`,
    `<text class="chart-tick" x="${LEFT}" y="${HEIGHT - 6}">minute 0</text>`,
    `<text class="chart-tick" x="${WIDTH - RIGHT}" y="${HEIGHT - 6}" text-anchor="end">minute ${minutes - 1}</text>`,
  ];
  const legend = input.series.map(
    (s, i) =>
      `<line class="chart-line ${escapeXml(s.className)}" x1="${LEFT + i * 150}" x2="${LEFT + i * 150 + 24}" y1="9" y2="9"></line><text class="chart-tick" x="${LEFT + i * 150 + 30}" y="13">${escapeXml(s.label)}</text>`,
  );
  return (
    `<svg class="chart line-chart" id="${escapeXml(input.id)}" role="img" aria-labelledby="${escapeXml(input.id)}-title" aria-describedby="${escapeXml(input.id)}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${escapeXml(input.id)}-title">${escapeXml(input.title)}</title>` +
    `<desc id="${escapeXml(input.id)}-desc">${escapeXml(input.desc)}</desc>` +
    axes.join("") +
    stepMarks.join("") +
    paths.join("") +
    legend.join("") +
    `</svg>`
  );
}
