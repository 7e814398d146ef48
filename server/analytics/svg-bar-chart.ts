/**
 * A horizontal bar chart as an SVG string, drawn on the server: no chart library and no script, so it
 * passes the CSP and reads without JavaScript. Accessible: role="img" with <title> and <desc>; the
 * page puts the same numbers in a data table under each chart. Colours come from the stylesheet.
 */
export interface Bar {
  label: string;
  value: number;
  /** Text at the end of the bar; defaults to the value. */
  display?: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Long labels are cut so the chart keeps its width; the data table has them in full. */
function shorten(label: string, max = 52): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * Each bar's label sits above it, across the chart's full width, rather than in a column beside it:
 * the chart is narrow enough (400 units) that on a 390 px phone it is drawn at nearly its own size,
 * so 13-unit labels stay about 12 px tall instead of shrinking to 5.
 */
export function barChartSvg(input: {
  id: string;
  title: string;
  desc: string;
  bars: readonly Bar[];
  max?: number;
}): string {
  const width = 400;
  const barArea = 330;
  const rowHeight = 40;
  const height = Math.max(1, input.bars.length) * rowHeight + 6;
  const max = input.max ?? Math.max(1, ...input.bars.map((b) => b.value));
  const rows = input.bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const w = max > 0 ? Math.round((bar.value / max) * barArea) : 0;
    return [
      `<text class="chart-label" x="0" y="${y + 13}">${escapeXml(shorten(bar.label))}</text>`,
      `<rect class="chart-bar" x="0" y="${y + 18}" width="${w}" height="16" rx="3"></rect>`,
      `<text class="chart-value" x="${w + 6}" y="${y + 31}">${escapeXml(bar.display ?? String(bar.value))}</text>`,
    ].join("");
  });
  const empty = input.bars.length === 0 ? `<text class="chart-label" x="0" y="20">No data yet</text>` : "";
  return (
    `<svg class="chart" id="${escapeXml(input.id)}" role="img" aria-labelledby="${escapeXml(input.id)}-title ${escapeXml(input.id)}-desc" ` +
    `viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${escapeXml(input.id)}-title">${escapeXml(input.title)}</title>` +
    `<desc id="${escapeXml(input.id)}-desc">${escapeXml(input.desc)}</desc>` +
    empty +
    rows.join("") +
    `</svg>`
  );
}
