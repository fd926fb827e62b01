// 差异系数 before and after, per indicator: for each stage a small chart of the three teacher
// indicators, the "before" bar (the roster as it is) beside one bar per run, and the stage's
// threshold (0.50 primary, 0.45 junior) as a dashed red line — a bar above it fails.
import { axisLeft, max, scaleBand, scaleLinear, select } from 'd3';
import { L, indicatorShort } from '../i18n.ts';
import { BEFORE_COLOR, RUN_COLORS, THRESHOLD_COLOR } from './palette.ts';

export interface CvPanel {
  title: string;
  threshold: number;
  /** One group per indicator: before, then the value of each run (null when missing). */
  groups: { indicator: string; before: number | null; runs: (number | null)[] }[];
}

export function drawCvBars(panel: CvPanel, runLabels: readonly string[], width: number, height: number): SVGSVGElement {
  const m = { top: 28, right: 12, bottom: 30, left: 40 };
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'cv-bars').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img')
    .attr('aria-label', panel.title);
  svg.append('text').attr('x', m.left).attr('y', 16).attr('class', 'chart-title').text(panel.title);
  const series = ['before', ...runLabels.map((_, i) => `run${i}`)];
  const top = Math.max(panel.threshold * 1.25, max(panel.groups.flatMap((g) => [g.before ?? 0, ...g.runs.map((r) => r ?? 0)])) ?? 0) * 1.08;
  const y = scaleLinear().domain([0, top]).nice().range([height - m.bottom, m.top]);
  const x0 = scaleBand<string>().domain(panel.groups.map((g) => g.indicator)).range([m.left, width - m.right]).paddingInner(0.28).paddingOuter(0.12);
  const x1 = scaleBand<string>().domain(series).range([0, x0.bandwidth()]).padding(0.08);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(axisLeft(y).ticks(4).tickSizeOuter(0));
  svg.append('g').attr('class', 'gridlines').selectAll('line').data(y.ticks(4)).join('line')
    .attr('x1', m.left).attr('x2', width - m.right).attr('y1', (d) => y(d)).attr('y2', (d) => y(d));
  for (const g of panel.groups) {
    const gx = x0(g.indicator) ?? 0;
    const values = [g.before, ...g.runs];
    values.forEach((v, i) => {
      if (v === null) return;
      const key = series[i]!;
      const bx = gx + (x1(key) ?? 0);
      const fill = i === 0 ? BEFORE_COLOR : RUN_COLORS[(i - 1) % RUN_COLORS.length]!;
      const bar = svg.append('rect').attr('x', bx).attr('y', y(v)).attr('width', x1.bandwidth()).attr('height', Math.max(0, y(0) - y(v))).attr('fill', fill)
        .attr('class', v > panel.threshold + 1e-9 ? 'bar over' : 'bar');
      bar.append('title').text(`${indicatorShort(g.indicator)} · ${i === 0 ? L('交流前', 'before') : runLabels[i - 1]}：${v.toFixed(3)}`);
      // Values on the bars only when there is room for them (≤ 3 series).
      if (series.length <= 3) svg.append('text').attr('x', bx + x1.bandwidth() / 2).attr('y', y(v) - 3).attr('text-anchor', 'middle').attr('class', 'bar-value').text(v.toFixed(2));
    });
    svg.append('text').attr('x', gx + x0.bandwidth() / 2).attr('y', height - m.bottom + 16).attr('text-anchor', 'middle').attr('class', 'tick-label').text(indicatorShort(g.indicator));
  }
  svg.append('line').attr('class', 'threshold').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(panel.threshold)).attr('y2', y(panel.threshold)).attr('stroke', THRESHOLD_COLOR);
  svg.append('text').attr('x', width - m.right).attr('y', y(panel.threshold) - 4).attr('text-anchor', 'end').attr('class', 'threshold-label').attr('fill', THRESHOLD_COLOR)
    .text(`≤ ${panel.threshold.toFixed(2)}`);
  return svg.node()!;
}
