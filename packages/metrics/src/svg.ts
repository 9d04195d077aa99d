/**
 * The page's two charts as inline SVG. Pure.
 *
 * Written here rather than with a chart library: the page must be one file with no script and no
 * request, and the chart libraries draw in the browser with script (Chart.js, ECharts) or need a
 * DOM to render on the server (D3, Vega). Two charts (bars per week, points over time) are a few
 * dozen lines of SVG.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 16, bottom: 44, left: 56 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A ceiling for the y axis with round ticks: 0, 1, 2... or 0, 5, 10... */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= value / 4)! * magnitude;
  return Math.ceil(value / step) * step;
}

function yAxis(max: number, label: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const y = round(MARGIN.top + PLOT_H * (1 - share));
    const value = Number((max * share).toPrecision(3));
    return `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/><text class="tick" x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${value}</text>`;
  });
  const middle = MARGIN.top + PLOT_H / 2;
  return `${ticks.join('')}<text class="axis-label" x="14" y="${middle}" transform="rotate(-90 14 ${middle})" text-anchor="middle">${escapeHtml(label)}</text>`;
}

function frame(id: string, title: string, body: string): string {
  return `<svg class="chart" data-chart="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

export interface WeekBar {
  label: string;
  total: number;
  /** The part of total drawn in the failure colour. */
  failed: number;
}

/** Bars per week: deployments that reached production, the failed ones stacked on top in red. */
export function weeklyBars(id: string, title: string, bars: readonly WeekBar[], yLabel: string): string {
  const max = niceMax(Math.max(0, ...bars.map((bar) => bar.total)));
  const slot = PLOT_W / Math.max(1, bars.length);
  const width = Math.max(2, Math.min(48, slot * 0.7));
  const scale = (value: number) => (value / max) * PLOT_H;
  const body = bars.map((bar, index) => {
    const x = round(MARGIN.left + slot * index + (slot - width) / 2);
    const ok = bar.total - bar.failed;
    const okHeight = round(scale(ok));
    const failedHeight = round(scale(bar.failed));
    const base = MARGIN.top + PLOT_H;
    const tip = `${bar.label}: ${bar.total} deployment${bar.total === 1 ? '' : 's'}${bar.failed ? `, ${bar.failed} failed` : ''}`;
    return [
      `<g class="bar" data-label="${escapeHtml(bar.label)}" data-value="${bar.total}" data-failed="${bar.failed}"><title>${escapeHtml(tip)}</title>`,
      `<rect class="ok" x="${x}" y="${round(base - okHeight)}" width="${round(width)}" height="${okHeight}"/>`,
      bar.failed ? `<rect class="failed" x="${x}" y="${round(base - okHeight - failedHeight)}" width="${round(width)}" height="${failedHeight}"/>` : '',
      `<text class="tick" x="${round(x + width / 2)}" y="${base + 16}" text-anchor="middle">${escapeHtml(bar.label)}</text>`,
      '</g>',
    ].join('');
  });
  return frame(id, title, yAxis(max, yLabel) + body.join(''));
}

export interface TimePoint {
  at: number;
  value: number;
  label: string;
}

/**
 * Points over time (one per deployment) and a line through other points (the weekly medians),
 * on a shared time axis from `from` to `to`.
 */
export function timePoints(
  id: string,
  title: string,
  points: readonly TimePoint[],
  line: readonly TimePoint[],
  range: { from: number; to: number; labels: { at: number; label: string }[] },
  yLabel: string,
): string {
  const max = niceMax(Math.max(0, ...points.map((point) => point.value), ...line.map((point) => point.value)));
  const span = Math.max(1, range.to - range.from);
  const x = (at: number) => round(MARGIN.left + ((at - range.from) / span) * PLOT_W);
  const y = (value: number) => round(MARGIN.top + PLOT_H * (1 - value / max));
  const labels = range.labels.map(
    (label) => `<text class="tick" x="${x(label.at)}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle">${escapeHtml(label.label)}</text>`,
  );
  const dots = points.map(
    (point) =>
      `<circle class="point" data-value="${point.value}" cx="${x(point.at)}" cy="${y(point.value)}" r="3.5"><title>${escapeHtml(point.label)}</title></circle>`,
  );
  const path = line.length > 1 ? `<polyline class="median" points="${line.map((point) => `${x(point.at)},${y(point.value)}`).join(' ')}"/>` : '';
  const lineDots = line.map(
    (point) => `<circle class="median-point" cx="${x(point.at)}" cy="${y(point.value)}" r="2.5"><title>${escapeHtml(point.label)}</title></circle>`,
  );
  return frame(id, title, yAxis(max, yLabel) + labels.join('') + path + lineDots.join('') + dots.join(''));
}
