// A↔B exchanges between clusters (学区) as a directed chord: each ribbon runs from the sending
// cluster to the receiving one, its width at each end ∝ teachers sent that way, so one-way and
// two-way exchanges read apart. Moves within a cluster are left out (reported beside it).
// Several counties sit in their own sectors with a wider gap between them (no exchange crosses
// a county). Hovering a ribbon or arc shows its teachers; clicking shows its moves beside it.
import { arc, chordDirected, descending, ribbonArrow, select } from 'd3';
import type { GroupFlow } from '../flows-groups.ts';
import type { MovesDetail } from '../flows-model.ts';
import { L } from '../i18n.ts';
import { type Tip, movesTip } from './flows-tip.ts';
import { textWidth } from './labels.ts';

export interface ChordInput {
  flows: readonly GroupFlow[];
  label: (key: string) => string;
  color: (key: string, i: number) => string;
  /** Order of the groups around the circle (same-coloured clusters side by side). */
  order?: (a: string, b: string) => number;
  width: number;
  height: number;
  /** The county of a group: groups of different counties are set apart by a wider gap. */
  county: (key: string) => string;
  tip: Tip;
  /** Teachers, backbone and subjects between two groups (`to` null: all a group sends and receives). */
  detail: (from: string, to: string | null) => MovesDetail;
  /** A ribbon (from → to) or a group's arc (to null) was clicked. */
  onPick: (from: string, to: string | null) => void;
  /** The ribbon (`from>to`) or group (`key>`) selected: drawn strongly while the rest pale. */
  selected: string | null;
}

const GAP = '\u0000gap';

/** Labels' widths in the page's font (a canvas measures them; the estimate when there is none). */
function measurer(): (text: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (text) => textWidth(text, 12.5);
  ctx.font = `12.5px ${getComputedStyle(document.body).fontFamily}`;
  return (text) => ctx.measureText(text).width;
}

/** Pushes labels of one side apart vertically (≥ gap), keeping their order; returns new y's. */
function relax(ys: number[], gap: number, min: number, max: number): number[] {
  const out = [...ys];
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]! + gap);
  const over = (out[out.length - 1] ?? 0) - max;
  if (over > 0) for (let i = out.length - 1; i >= 0; i--) out[i] = Math.min(out[i]!, (i === out.length - 1 ? max : out[i + 1]! - gap));
  return out.map((y) => Math.max(min, y));
}

export function drawChord(input: ChordInput): SVGSVGElement {
  const { width, height } = input;
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'chord').attr('viewBox', `${-width / 2} ${-height / 2} ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('role', 'img').attr('aria-label', L('学区间双向交流弦图', 'Chord of exchanges between clusters'));
  const between = input.flows.filter((f) => f.from !== f.to && f.count > 0);
  if (between.length === 0) {
    svg.append('text').attr('text-anchor', 'middle').attr('class', 'map-empty').text(L('没有跨学区的交流', 'No moves between clusters'));
    return svg.node()!;
  }
  const real = [...new Set(between.flatMap((f) => [f.from, f.to]))].sort(input.order ?? ((a, b) => a.localeCompare(b, 'zh-CN')));
  // Counties apart: an invisible group after each county's last group (only when there are several).
  const several = new Set(real.map(input.county)).size > 1;
  const keys = real.flatMap((k, i) => (several && input.county(k) !== input.county(real[(i + 1) % real.length]!) ? [k, `${GAP}${i}`] : [k]));
  const isGap = (i: number) => keys[i]!.startsWith(GAP);
  const index = new Map(keys.map((k, i) => [k, i]));
  const matrix = keys.map(() => keys.map(() => 0));
  for (const f of between) matrix[index.get(f.from)!]![index.get(f.to)!]! += f.count;
  const total = between.reduce((a, f) => a + f.count, 0);
  keys.forEach((k, i) => { if (isGap(i)) matrix[i]![i] = Math.max(1, total * 0.012); });
  // Room at the sides for the longest label ("碧川县·乡村·其他 5 个学区  ↑9 ↓15") and its leader.
  const measure = measurer();
  const room = 48 + Math.max(...real.map((k) => measure(`${input.label(k)}  ↑00 ↓00`)));
  const outer = Math.max(60, Math.min(height / 2 - 24, width / 2 - room));
  const inner = outer - 12;
  const chords = chordDirected().padAngle(Math.min(0.06, 1.5 / keys.length)).sortSubgroups(descending).sortChords(descending)(matrix);
  const ribbon = ribbonArrow<unknown, unknown>().radius(inner - 1).padAngle(1 / inner);
  const arcGen = arc<{ startAngle: number; endAngle: number }>().innerRadius(inner).outerRadius(outer);
  const colour = (i: number) => input.color(keys[i]!, i);

  const lit = (key: string) => input.selected === null || input.selected === key;
  svg.append('g').attr('class', 'ribbons').selectAll('path').data(chords.filter((c) => !isGap(c.source.index))).join('path')
    .attr('d', (d) => String(ribbon(d) ?? ''))
    .attr('class', (d) => (lit(`${keys[d.source.index]}>${keys[d.target.index]}`) || input.selected === `${keys[d.source.index]}>` || input.selected === `${keys[d.target.index]}>` ? '' : 'dim'))
    .attr('data-from', (d) => keys[d.source.index]!).attr('data-to', (d) => keys[d.target.index]!).attr('data-count', (d) => d.source.value)
    .attr('data-from-county', (d) => input.county(keys[d.source.index]!)).attr('data-to-county', (d) => input.county(keys[d.target.index]!))
    .attr('fill', (d) => colour(d.source.index)).attr('fill-opacity', 0.72).attr('stroke', '#fff').attr('stroke-width', 0.5)
    .on('mousemove', (ev: MouseEvent, d) => input.tip.show(ev, movesTip(`${input.label(keys[d.source.index]!)} → ${input.label(keys[d.target.index]!)}`, input.detail(keys[d.source.index]!, keys[d.target.index]!))))
    .on('mouseleave', () => input.tip.hide())
    .on('click', (_ev: MouseEvent, d) => { input.tip.hide(); input.onPick(keys[d.source.index]!, keys[d.target.index]!); });
  svg.append('g').attr('class', 'groups').selectAll('path').data(chords.groups.filter((g) => !isGap(g.index))).join('path')
    .attr('d', (d) => arcGen(d) ?? '').attr('fill', (d) => colour(d.index))
    .attr('data-key', (d) => keys[d.index]!).attr('data-county', (d) => input.county(keys[d.index]!))
    .on('mousemove', (ev: MouseEvent, d) => input.tip.show(ev, movesTip(input.label(keys[d.index]!), input.detail(keys[d.index]!, null))))
    .on('mouseleave', () => input.tip.hide())
    .on('click', (_ev: MouseEvent, d) => { input.tip.hide(); input.onPick(keys[d.index]!, null); });

  // Horizontal labels (Chinese reads badly rotated), pushed apart per side, with leader lines.
  const labels = chords.groups.filter((d) => !isGap(d.index)).map((d) => {
    const a = (d.startAngle + d.endAngle) / 2;
    const sent = matrix[d.index]!.reduce((x, y) => x + y, 0);
    const got = matrix.reduce((x, row) => x + row[d.index]!, 0);
    return { a, x: Math.sin(a) * (outer + 6), y: -Math.cos(a) * (outer + 6), right: Math.sin(a) >= 0, text: `${input.label(keys[d.index]!)}  ↑${sent} ↓${got}` };
  });
  const layer = svg.append('g').attr('class', 'chord-labels');
  for (const right of [true, false]) {
    const side = labels.filter((l) => l.right === right).sort((p, q) => p.y - q.y);
    const ys = relax(side.map((l) => l.y), 16, -height / 2 + 10, height / 2 - 8);
    side.forEach((l, i) => {
      const y = ys[i]!;
      const tx = (right ? 1 : -1) * (outer + 34);
      layer.append('path').attr('class', 'leader').attr('d', `M${l.x},${l.y}L${(right ? 1 : -1) * (outer + 26)},${y}H${tx}`);
      layer.append('text').attr('x', tx + (right ? 4 : -4)).attr('y', y).attr('dy', '0.35em').attr('text-anchor', right ? 'start' : 'end').attr('class', 'node-label').text(l.text);
    });
  }
  return svg.node()!;
}
