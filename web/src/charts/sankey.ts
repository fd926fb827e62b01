// Aggregated flows as a two-column sankey: where teachers leave from (left) and where they go
// (right), by locale (城区→乡村…) or by cluster (学区). Two columns keep it acyclic and readable
// at any county size; links are coloured by direction like the map's arcs. Hovering a band
// shows its teachers, backbone and subjects; clicking it shows its moves beside the chart.
import { select } from 'd3';
import { sankey, sankeyLinkHorizontal, type SankeyGraph } from 'd3-sankey';
import type { GroupFlow } from '../flows-groups.ts';
import type { MovesDetail } from '../flows-model.ts';
import { L } from '../i18n.ts';
import { type Tip, movesTip } from './flows-tip.ts';
import { DIRECTION_COLOR } from './palette.ts';

interface NodeX { id: string; key: string; side: 'out' | 'in'; label: string; color: string }
interface LinkX { source: string; target: string; value: number; toward: number; flow: GroupFlow }

export interface SankeyInput {
  flows: readonly GroupFlow[];
  label: (key: string) => string;
  color: (key: string) => string;
  width: number;
  height: number;
  /** Order of the groups top to bottom (e.g. urban, town, rural). */
  order?: readonly string[];
  tip: Tip;
  /** Teachers, backbone and subjects of a band, for its tooltip. */
  detail: (f: GroupFlow) => MovesDetail;
  onBand: (f: GroupFlow) => void;
  /** The band selected (`from>to`), drawn darker while the others pale. */
  selected: string | null;
}
export const bandKey = (f: { from: string; to: string }): string => `${f.from}>${f.to}`;

export function drawSankey(input: SankeyInput): SVGSVGElement {
  const { width, height } = input;
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'sankey').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img')
    .attr('aria-label', L('分组流向桑基图', 'Sankey of flows between groups'));
  const flows = input.flows.filter((f) => f.count > 0);
  if (flows.length === 0) {
    svg.append('text').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle').attr('class', 'map-empty').text(L('所选范围内没有交流', 'No moves in this selection'));
    return svg.node()!;
  }
  const keys = [...new Set(flows.flatMap((f) => [f.from, f.to]))];
  const rank = (k: string) => { const i = input.order?.indexOf(k) ?? -1; return i < 0 ? 1000 : i; };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'zh-CN'));
  const outTotal = new Map<string, number>();
  const inTotal = new Map<string, number>();
  for (const f of flows) { outTotal.set(f.from, (outTotal.get(f.from) ?? 0) + f.count); inTotal.set(f.to, (inTotal.get(f.to) ?? 0) + f.count); }
  const nodes: NodeX[] = [
    ...keys.filter((k) => outTotal.has(k)).map((k) => ({ id: `out:${k}`, key: k, side: 'out' as const, label: input.label(k), color: input.color(k) })),
    ...keys.filter((k) => inTotal.has(k)).map((k) => ({ id: `in:${k}`, key: k, side: 'in' as const, label: input.label(k), color: input.color(k) })),
  ];
  const links: LinkX[] = flows.map((f) => ({ source: `out:${f.from}`, target: `in:${f.to}`, value: f.count, toward: f.toward, flow: f }));
  const labelRoom = Math.min(220, width * 0.2);
  const layout = sankey<NodeX, LinkX>().nodeId((n) => n.id).nodeWidth(14).nodePadding(Math.max(6, Math.min(18, height / (keys.length * 3))))
    .nodeSort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key, 'zh-CN'))
    .extent([[labelRoom, 24], [width - labelRoom, height - 8]]);
  const graph: SankeyGraph<NodeX, LinkX> = layout({ nodes: nodes.map((n) => ({ ...n })), links: links.map((l) => ({ ...l })) });

  svg.append('text').attr('x', labelRoom).attr('y', 12).attr('class', 'axis-title').attr('text-anchor', 'start').text(L('流出', 'From'));
  svg.append('text').attr('x', width - labelRoom).attr('y', 12).attr('class', 'axis-title').attr('text-anchor', 'end').text(L('流入', 'To'));
  const link = svg.append('g').attr('class', 'links').selectAll('g').data(graph.links).join('g')
    .attr('class', (d) => `link${input.selected === null ? '' : bandKey(d.flow) === input.selected ? ' selected' : ' dim'}`)
    .attr('data-from', (d) => d.flow.from).attr('data-to', (d) => d.flow.to).attr('data-count', (d) => d.value)
    .on('mousemove', (ev: MouseEvent, d) => input.tip.show(ev, movesTip(`${(d.source as NodeX).label} → ${(d.target as NodeX).label}`, input.detail(d.flow))))
    .on('mouseleave', () => input.tip.hide())
    .on('click', (_ev: MouseEvent, d) => { input.tip.hide(); input.onBand(d.flow); });
  link.append('path').attr('d', sankeyLinkHorizontal())
    .attr('stroke', (d) => (d.toward * 2 >= d.value ? DIRECTION_COLOR.toward : DIRECTION_COLOR.other))
    .attr('stroke-width', (d) => Math.max(1, d.width ?? 1)).attr('fill', 'none');
  // Labels closer than one line to the previous one on their side are left out (the tooltip stays).
  const labelled = new Set<string>();
  for (const side of ['out', 'in'] as const) {
    let last = -Infinity;
    for (const n of graph.nodes.filter((x) => x.side === side).sort((p, q) => (p.y0 ?? 0) - (q.y0 ?? 0))) {
      const y = ((n.y0 ?? 0) + (n.y1 ?? 0)) / 2;
      if (y - last >= 14) { labelled.add(n.id); last = y; }
    }
  }
  const node = svg.append('g').attr('class', 'nodes').selectAll('g').data(graph.nodes).join('g').attr('class', 'node');
  node.append('title').text((d) => `${d.label}：${L(`${d.value ?? 0} 人`, `${d.value ?? 0} teachers`)}`);
  node.append('rect').attr('x', (d) => d.x0 ?? 0).attr('y', (d) => d.y0 ?? 0).attr('width', (d) => (d.x1 ?? 0) - (d.x0 ?? 0))
    .attr('height', (d) => Math.max(1, (d.y1 ?? 0) - (d.y0 ?? 0))).attr('fill', (d) => d.color);
  node.filter((d) => labelled.has(d.id)).append('text')
    .attr('x', (d) => (d.side === 'out' ? (d.x0 ?? 0) - 8 : (d.x1 ?? 0) + 8))
    .attr('y', (d) => ((d.y0 ?? 0) + (d.y1 ?? 0)) / 2).attr('dy', '0.35em')
    .attr('text-anchor', (d) => (d.side === 'out' ? 'end' : 'start')).attr('class', 'node-label')
    .text((d) => `${d.label}  ${d.value ?? 0}`);
  return svg.node()!;
}
