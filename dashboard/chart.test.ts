/** The server-drawn success-rate chart: one bar per day, coloured, with every label escaped. */
import { describe, expect, it } from 'vitest';
import { rateChart } from './chart.ts';

const series = [
  { day: '2026-03-01', rate: 1, runs: 40 },
  { day: '2026-03-02', rate: null, runs: 0 },
  { day: '2026-03-03', rate: 0.8, runs: 10 },
];

describe('rateChart', () => {
  it('draws a coloured bar for each day with runs and a grey tick for each day without', () => {
    const svg = rateChart(series, 'rate');
    expect(svg.match(/class="bar c-green"/g)).toHaveLength(1);
    expect(svg.match(/class="bar c-orange"/g)).toHaveLength(1);
    expect(svg.match(/class="empty"/g)).toHaveLength(1);
    expect(svg).toContain('<title>2026-03-03: 80.0% (10)</title>');
  });

  it('escapes its label', () => {
    const svg = rateChart(series, '<script>alert("x")</script>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
  });
});
