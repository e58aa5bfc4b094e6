/**
 * A success-rate chart as inline SVG, drawn on the server: one bar per day coloured by
 * the four-colour scheme, dashed lines at the thresholds, a grey tick on days without runs.
 * No chart library and no script; every label is escaped here.
 */
import { colourOf, THRESHOLDS } from '../runner/status/matter-colour.ts';

const WIDTH = 600;
const HEIGHT = 150;
const TOP = 8;
const BOTTOM = 24;
const LEFT = 44;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;

/** The chart of `series` (oldest day first); `label` is the SVG's accessible title. */
export function rateChart(series: { day: string; rate: number | null; runs: number }[], label: string): string {
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (rate: number) => TOP + plot * (1 - rate);
  const slot = (WIDTH - LEFT) / series.length;
  const parts: string[] = [];
  for (const [name, rate] of Object.entries(THRESHOLDS)) {
    parts.push(`<line class="threshold t-${name}" x1="${LEFT}" x2="${WIDTH}" y1="${y(rate).toFixed(1)}" y2="${y(rate).toFixed(1)}"/>`);
  }
  parts.push(`<text class="axis" x="${LEFT - 4}" y="${y(1) + 4}" text-anchor="end">100%</text>`);
  parts.push(`<text class="axis" x="${LEFT - 4}" y="${y(0.5) + 4}" text-anchor="end">50%</text>`);
  parts.push(`<line class="base" x1="${LEFT}" x2="${WIDTH}" y1="${y(0)}" y2="${y(0)}"/>`);
  series.forEach((point, i) => {
    const x = (LEFT + i * slot + slot * 0.15).toFixed(1);
    const width = (slot * 0.7).toFixed(1);
    const tip = `<title>${escape(point.day)}: ${point.rate === null ? '—' : `${percent(point.rate)} (${point.runs})`}</title>`;
    if (point.rate === null) {
      parts.push(`<rect class="empty" x="${x}" y="${y(0) - 2}" width="${width}" height="2">${tip}</rect>`);
    } else {
      const top = Math.min(y(point.rate), y(0) - 2);
      parts.push(`<rect class="bar c-${colourOf(point.rate, true)}" x="${x}" y="${top.toFixed(1)}" width="${width}" height="${(y(0) - top).toFixed(1)}">${tip}</rect>`);
    }
  });
  const labels: [number, string][] = [[0, 'start'], [Math.floor(series.length / 2), 'middle'], [series.length - 1, 'end']];
  for (const [i, anchor] of labels) {
    const x = anchor === 'start' ? LEFT + i * slot : anchor === 'end' ? LEFT + (i + 1) * slot : LEFT + i * slot + slot / 2;
    parts.push(`<text class="axis" x="${x.toFixed(1)}" y="${HEIGHT - 5}" text-anchor="${anchor}">${escape(series[i].day.slice(5))}</text>`);
  }
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(label)}"><title>${escape(label)}</title>${parts.join('')}</svg>`;
}
