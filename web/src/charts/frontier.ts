// The trade-off frontier: what each extra percent of rotation buys. Two panels of 差异系数 against
// the upper rotation share (primary, junior: one line per indicator, dotted beneath it the lowest
// CV any plan could reach at that share, the stage's threshold as a dashed red line — a point
// above it fails), and below them the subject needs filled (bars, left
// axis) and the moved teachers' total commute (line, right axis). Every share is a clickable
// column. Data in, SVG out: the page fetches, this only draws.
import { axisLeft, axisRight, line, max, type ScaleLinear, scaleLinear, select, type Selection } from 'd3';
import { L, indicatorShort, stageLabel } from '../i18n.ts';
import { THRESHOLD_COLOR } from './palette.ts';

type Stage = 'primary' | 'junior';
type Indicator = 'aboveDegree' | 'backbone' | 'peArt';

export interface CvLine { stage: Stage; indicator: Indicator; values: (number | null)[] }

export interface FrontierChart {
  /** Upper rotation shares, ascending: one point each. */
  shares: number[];
  cv: CvLine[];
  thresholds: Record<Stage, number>;
  /** Whole-teacher need units the plan fills (short before − short after). */
  needsFilled: (number | null)[];
  commuteKm: (number | null)[];
  /** The lowest CV any plan could reach at each share (best achievable, per indicator): drawn dotted when given. */
  best?: CvLine[];
}

export interface FrontierChartOptions { width: number; height: number; selected: number | null; onPick: (index: number) => void }

export const INDICATOR_COLOR: Record<Indicator, string> = { aboveDegree: '#2f5fb3', backbone: '#d4551c', peArt: '#2e8b57' };
export const NEEDS_COLOR = '#9aa5b1';
export const COMMUTE_COLOR = '#8e44ad';

type G = Selection<SVGGElement, unknown, null, undefined>;
interface Box { x: number; y: number; w: number; h: number }

const pctLabel = (s: number) => `${Number((s * 100).toFixed(1))}%`;

export function drawFrontier(d: FrontierChart, o: FrontierChartOptions): SVGSVGElement {
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'frontier-chart').attr('viewBox', `0 0 ${o.width} ${o.height}`).attr('width', o.width).attr('height', o.height)
    .attr('role', 'img').attr('aria-label', L('差异系数与交流比例上限的关系', 'Coefficient of variation against the upper rotation share'));
  const gap = 28;
  const topH = Math.round(o.height * 0.6);
  const half = (o.width - gap) / 2;
  (['primary', 'junior'] as const).forEach((stage, i) => {
    cvPanel(svg.append('g'), d, stage, { x: i * (half + gap), y: 0, w: half, h: topH }, o);
  });
  needsPanel(svg.append('g'), d, { x: 0, y: topH + 16, w: o.width, h: o.height - topH - 16 }, o);
  return svg.node()!;
}

const M = { top: 30, right: 16, bottom: 34, left: 46 };

/** x positions of the shares inside a panel (linear in the share, so uneven steps look uneven). */
function xScale(shares: number[], b: Box, right = M.right) {
  const lo = shares[0] ?? 0;
  const hi = shares.at(-1) ?? 1;
  const pad = Math.max(hi - lo, 0.05) * 0.08;
  return scaleLinear().domain([lo - pad, hi + pad]).range([b.x + M.left, b.x + b.w - right]);
}

/** The clickable column of each share (highlighted when selected) and the share labels under it. */
function columns(g: G, d: FrontierChart, x: ScaleLinear<number, number>, b: Box, o: FrontierChartOptions): void {
  const base = b.y + b.h - M.bottom;
  const [x0, x1] = x.range() as [number, number];
  const step = d.shares.length > 1 ? Math.min(...d.shares.slice(1).map((s, i) => x(s) - x(d.shares[i]!))) : 60;
  const w = Math.min(56, step * 0.9);
  g.append('line').attr('class', 'x-base').attr('x1', x0).attr('x2', x1).attr('y1', base).attr('y2', base);
  g.append('text').attr('class', 'axis-caption').attr('x', x0 - 6).attr('y', base + 18).attr('text-anchor', 'end').text(L('上限', 'Cap'));
  d.shares.forEach((s, i) => {
    g.append('text').attr('class', 'tick-label').attr('x', x(s)).attr('y', base + 18).attr('text-anchor', 'middle').text(pctLabel(s));
    g.append('rect').attr('class', `point-col${o.selected === i ? ' selected' : ''}`).attr('data-index', i).attr('data-share', s)
      .attr('x', x(s) - w / 2).attr('y', b.y + M.top).attr('width', w).attr('height', base - b.y - M.top)
      .on('click', () => o.onPick(i))
      .append('title').text(L(`交流上限 ${pctLabel(s)}：点击查看并另存为方案`, `Upper share ${pctLabel(s)}: click to see it and save it as a scenario`));
  });
}

function cvPanel(g: G, d: FrontierChart, stage: Stage, b: Box, o: FrontierChartOptions): void {
  const lines = d.cv.filter((c) => c.stage === stage);
  const best = (d.best ?? []).filter((c) => c.stage === stage);
  const threshold = d.thresholds[stage];
  const top = Math.max(threshold * 1.15, max([...lines, ...best].flatMap((c) => c.values.map((v) => v ?? 0))) ?? 0) * 1.08;
  const y = scaleLinear().domain([0, top]).nice().range([b.y + b.h - M.bottom, b.y + M.top]);
  const x = xScale(d.shares, b);
  g.attr('class', `cv-panel cv-panel-${stage}`);
  g.append('text').attr('class', 'chart-title').attr('x', b.x + M.left).attr('y', b.y + 16)
    .text(L(`${stageLabel(stage)}差异系数（越低越均衡）`, `${stageLabel(stage)} CV (lower = more even)`));
  g.append('g').attr('class', 'gridlines').selectAll('line').data(y.ticks(5)).join('line')
    .attr('x1', b.x + M.left).attr('x2', b.x + b.w - M.right).attr('y1', (v) => y(v)).attr('y2', (v) => y(v));
  g.append('g').attr('class', 'axis').attr('transform', `translate(${b.x + M.left},0)`).call(axisLeft(y).ticks(5).tickSizeOuter(0));
  columns(g, d, x, b, o);
  g.append('line').attr('class', 'threshold').attr('stroke', THRESHOLD_COLOR)
    .attr('x1', b.x + M.left).attr('x2', b.x + b.w - M.right).attr('y1', y(threshold)).attr('y2', y(threshold));
  g.append('text').attr('class', 'threshold-label').attr('fill', THRESHOLD_COLOR).attr('x', b.x + b.w - M.right).attr('y', y(threshold) - 5)
    .attr('text-anchor', 'end').text(L(`阈值 ${threshold.toFixed(2)}`, `threshold ${threshold.toFixed(2)}`));
  const path = line<number | null>().defined((v) => v !== null).x((_, i) => x(d.shares[i]!)).y((v) => y(v ?? 0));
  for (const c of best) {
    const key = `${c.stage}-${c.indicator}`;
    g.append('path').attr('class', 'best-line').attr('data-series', key).attr('stroke', INDICATOR_COLOR[c.indicator]).attr('d', path(c.values));
    c.values.forEach((v, i) => {
      if (v === null) return;
      g.append('circle').attr('class', 'best-pt').attr('data-series', key).attr('data-index', i).attr('data-value', v)
        .attr('cx', x(d.shares[i]!)).attr('cy', y(v)).attr('r', 2.5).attr('stroke', INDICATOR_COLOR[c.indicator])
        .append('title').text(L(`${indicatorShort(c.indicator)}最低可达 · ${pctLabel(d.shares[i]!)}：${v.toFixed(3)}`, `${indicatorShort(c.indicator)} best achievable · ${pctLabel(d.shares[i]!)}: ${v.toFixed(3)}`));
    });
  }
  for (const c of lines) {
    const key = `${c.stage}-${c.indicator}`;
    g.append('path').attr('class', 'cv-line').attr('data-series', key).attr('stroke', INDICATOR_COLOR[c.indicator]).attr('d', path(c.values));
    c.values.forEach((v, i) => {
      if (v === null) return;
      g.append('circle').attr('class', `cv-pt${v > threshold + 1e-9 ? ' over' : ''}`).attr('data-series', key).attr('data-index', i).attr('data-value', v)
        .attr('cx', x(d.shares[i]!)).attr('cy', y(v)).attr('r', o.selected === i ? 5 : 3.5).attr('fill', INDICATOR_COLOR[c.indicator])
        .on('click', () => o.onPick(i))
        .append('title').text(`${indicatorShort(c.indicator)} · ${pctLabel(d.shares[i]!)}：${v.toFixed(3)}`);
    });
  }
}

function needsPanel(g: G, d: FrontierChart, b: Box, o: FrontierChartOptions): void {
  const right = 56;
  const x = xScale(d.shares, { ...b, w: b.w - (right - M.right) }, M.right);
  // Filled is net of gaps the moves open at their origins, so it can be below zero.
  const filled = d.needsFilled.map((v) => v ?? 0);
  const yN = scaleLinear().domain([Math.min(0, ...filled), Math.max(1, ...filled)]).nice().range([b.y + b.h - M.bottom, b.y + M.top]);
  const yC = scaleLinear().domain([0, Math.max(1, max(d.commuteKm.map((v) => v ?? 0)) ?? 0)]).nice().range([b.y + b.h - M.bottom, b.y + M.top]);
  g.attr('class', 'needs-panel');
  g.append('text').attr('class', 'chart-title').attr('x', b.x + M.left).attr('y', b.y + 16)
    .text(L('已补足的学科需求（柱，左轴，人）与交流教师通勤总里程（线，右轴，公里）', 'Subject needs filled (bars, left, teachers) and moved teachers\' total commute (line, right, km)'));
  // Needs are whole teachers: integer ticks only.
  g.append('g').attr('class', 'axis').attr('transform', `translate(${b.x + M.left},0)`).call(axisLeft(yN).tickValues(yN.ticks(4).filter(Number.isInteger)).tickFormat(String).tickSizeOuter(0));
  g.append('g').attr('class', 'axis').attr('transform', `translate(${x.range()[1]! + M.right},0)`).call(axisRight(yC).ticks(4).tickSizeOuter(0));
  columns(g, d, x, b, o);
  g.append('line').attr('class', 'x-base').attr('x1', x.range()[0]!).attr('x2', x.range()[1]!).attr('y1', yN(0)).attr('y2', yN(0));
  const bw = 18;
  d.needsFilled.forEach((v, i) => {
    if (v === null) return;
    g.append('rect').attr('class', 'needs-bar').attr('data-index', i).attr('data-value', v).attr('fill', NEEDS_COLOR)
      .attr('x', x(d.shares[i]!) - bw / 2).attr('y', Math.min(yN(0), yN(v))).attr('width', bw).attr('height', Math.abs(yN(0) - yN(v)))
      .on('click', () => o.onPick(i))
      .append('title').text(L(`已补足学科需求 ${v} 人（净值：扣除调出造成的新缺口）`, `${v} subject need(s) filled (net of gaps the moves open)`));
  });
  const path = line<number | null>().defined((v) => v !== null).x((_, i) => x(d.shares[i]!)).y((v) => yC(v ?? 0));
  g.append('path').attr('class', 'commute-line').attr('stroke', COMMUTE_COLOR).attr('d', path(d.commuteKm));
  d.commuteKm.forEach((v, i) => {
    if (v === null) return;
    g.append('circle').attr('class', 'commute-pt').attr('data-index', i).attr('data-value', v).attr('fill', COMMUTE_COLOR)
      .attr('cx', x(d.shares[i]!)).attr('cy', yC(v)).attr('r', 3.5)
      .on('click', () => o.onPick(i))
      .append('title').text(L(`通勤总里程 ${v} 公里`, `total commute ${v} km`));
  });
}
