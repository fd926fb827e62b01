// A↔B exchanges between clusters (学区) as a directed chord: each ribbon runs from the sending
// cluster to the receiving one, its width at each end ∝ teachers sent that way, so one-way and
// two-way exchanges read apart. Moves within a cluster are left out (reported beside it).
import { arc, chordDirected, descending, ribbonArrow, select } from 'd3';
import type { GroupFlow } from '../flows-model.ts';
import { L } from '../i18n.ts';

export interface ChordInput {
  flows: readonly GroupFlow[];
  label: (key: string) => string;
  color: (key: string, i: number) => string;
  /** Order of the groups around the circle (same-coloured clusters side by side). */
  order?: (a: string, b: string) => number;
  width: number;
  height: number;
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
  const keys = [...new Set(between.flatMap((f) => [f.from, f.to]))].sort(input.order ?? ((a, b) => a.localeCompare(b, 'zh-CN')));
  const index = new Map(keys.map((k, i) => [k, i]));
  const matrix = keys.map(() => keys.map(() => 0));
  for (const f of between) matrix[index.get(f.from)!]![index.get(f.to)!]! += f.count;
  const outer = Math.min(height / 2 - 24, width / 2 - 200);
  const inner = outer - 12;
  const chords = chordDirected().padAngle(Math.min(0.06, 1.5 / keys.length)).sortSubgroups(descending).sortChords(descending)(matrix);
  const ribbon = ribbonArrow<unknown, unknown>().radius(inner - 1).padAngle(1 / inner);
  const arcGen = arc<{ startAngle: number; endAngle: number }>().innerRadius(inner).outerRadius(outer);
  const colour = (i: number) => input.color(keys[i]!, i);

  svg.append('g').attr('class', 'ribbons').selectAll('path').data(chords).join('path')
    .attr('d', (d) => String(ribbon(d) ?? ''))
    .attr('fill', (d) => colour(d.source.index)).attr('fill-opacity', 0.72).attr('stroke', '#fff').attr('stroke-width', 0.5)
    .append('title').text((d) => `${input.label(keys[d.source.index]!)} → ${input.label(keys[d.target.index]!)}：${L(`${d.source.value} 人`, `${d.source.value} teachers`)}`);
  svg.append('g').attr('class', 'groups').selectAll('path').data(chords.groups).join('path')
    .attr('d', (d) => arcGen(d) ?? '').attr('fill', (d) => colour(d.index));

  // Horizontal labels (Chinese reads badly rotated), pushed apart per side, with leader lines.
  const labels = chords.groups.map((d) => {
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
