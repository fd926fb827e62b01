// The flow map: schools placed by their own coordinates (Mercator fitted to the county, no
// tiles: intranets are offline). Schools that would overlap at the current zoom are one node
// (flows-merge.ts), so every visible node can be clicked. A node's size and colour show either
// its students and locale, or its net teacher change (gain blue, loss red); a dark ring marks a
// weak school. Every flow between nodes is drawn (map-arcs.ts): those at or above the threshold
// strongly with an arrowhead, the rest faded. Hovering a node or an arc lights its flows and
// shows a tooltip; clicking selects it.
import { type ZoomTransform, geoMercator, scaleLinear, scaleSqrt, select, zoom, zoomIdentity } from 'd3';
import type { School } from '../api.ts';
import { type MapNode, type NodeFlow, mergeOverlapping, nodeFlows } from '../flows-merge.ts';
import { type Flow, type FlowGraph, defaultThreshold, movesDetail, splitByThreshold, totalsOf } from '../flows-model.ts';
import { type Child, h } from '../dom.ts';
import { int, signed } from '../format.ts';
import { L, localeLabel } from '../i18n.ts';
import { type Tip, movesTip } from './flows-tip.ts';
import { arcKey, drawArcs } from './map-arcs.ts';
import { drawBackground, drawLabels, drawScaleBar, nodeName } from './map-layers.ts';
import { LOCALE_COLOR, WEAK_RING, netColor } from './palette.ts';

export type SizeBy = 'students' | 'net';

export interface MapInput {
  schools: readonly School[];
  /** Every school→school flow, in magnitude order. */
  flows: readonly Flow[];
  graph: FlowGraph;
  /** Strongly drawn: node flows of at least this many teachers; null = the default (≈ 60 strong). */
  threshold: number | null;
  sizeBy: SizeBy;
  /** Schools selected (one, or a merged node's): their node is marked and its flows lit. */
  selected: ReadonlySet<string>;
  /** The selected arc (arcKey), whose flow alone is lit. */
  selectedFlow: string | null;
  clusterLabel: (key: string) => string;
  tip: Tip;
  onNode: (node: MapNode | null) => void;
  onFlow: (flow: NodeFlow) => void;
  /** After every draw (zoom changes the nodes): what was drawn, for the note and the slider. */
  onLayout?: (layout: MapLayout) => void;
  width: number;
  height: number;
  /** How many of the busiest nodes get a name label at zoom 1 (collisions drop the rest). */
  labels?: number;
}

export interface MapLayout { nodes: MapNode[]; flows: NodeFlow[]; strong: number; threshold: number; maxCount: number; fadedTeachers: number; fadedToward: number; within: number; merged: number }

const students = (s: School) => (s.students_primary ?? 0) + (s.students_junior ?? 0);
const hasCoords = (s: School): s is School & { lat: number; lon: number } => s.lat !== undefined && s.lon !== undefined;
/** Free pixels between two nodes: room for the weak ring and a hair of white. */
const NODE_GAP = 4;

export interface FlowMap {
  svg: SVGSVGElement;
  update(input: MapInput): void;
  resetZoom(): void;
  /** Zooms so the given schools fill most of the map (a merged node's "zoom in"). */
  zoomTo(ids: ReadonlySet<string>): void;
}

/**
 * A map that keeps its zoom across updates (filters, selection). Zoom is semantic: positions
 * spread apart, nodes split as they stop overlapping, dots grow gently and more names fit,
 * while line widths and text keep their size.
 */
export function createFlowMap(width: number, height: number): FlowMap {
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'flow-map').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('role', 'img').attr('aria-label', L('学校与交流流向地图', 'Map of schools and teacher flows'));
  let last: MapInput | null = null;
  let t: ZoomTransform = zoomIdentity;
  let pending = false;
  let base: Map<string, [number, number]> = new Map();
  const behaviour = zoom<SVGSVGElement, unknown>().scaleExtent([1, 12]).translateExtent([[0, 0], [width, height]]).extent([[0, 0], [width, height]])
    .on('zoom', (ev: { transform: ZoomTransform }) => {
      t = ev.transform;
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; if (last) base = render(svg.node()!, last, t); });
    });
  svg.call(behaviour);
  return {
    svg: svg.node()!,
    update(input) { last = input; base = render(svg.node()!, input, t); },
    resetZoom() { svg.call(behaviour.transform, zoomIdentity); },
    zoomTo(ids) {
      const pts = [...ids].map((id) => base.get(id)).filter((p): p is [number, number] => p !== undefined);
      if (pts.length === 0) return;
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
      const k = Math.min(12, Math.max(2, Math.min(width, height) / 3 / span));
      const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
      const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
      svg.call(behaviour.transform, zoomIdentity.translate(width / 2 - k * cx, height / 2 - k * cy).scale(k));
    },
  };
}

/** Draws the map at zoom `zt`; returns each school's position at zoom 1 (for zoomTo). */
function render(node: SVGSVGElement, input: MapInput, zt: ZoomTransform): Map<string, [number, number]> {
  const { width, height } = input;
  const placed = input.schools.filter(hasCoords);
  const svg = select(node);
  svg.selectAll('*').remove();
  input.tip.hide();
  const base = new Map<string, [number, number]>();
  if (placed.length === 0) {
    svg.append('text').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle').attr('class', 'map-empty')
      .text(L('学校没有经纬度，无法绘制地图；请使用城乡或学区视图。', 'Schools have no coordinates; use the locale or cluster view.'));
    return base;
  }
  const pad = 28;
  const projection = geoMercator().fitExtent([[pad, pad], [width - pad, height - pad - 24]], { type: 'MultiPoint', coordinates: placed.map((s) => [s.lon, s.lat]) });
  for (const s of placed) base.set(s.id, (projection([s.lon, s.lat]) ?? [0, 0]) as [number, number]);
  const pos = new Map([...base].map(([id, p]) => [id, [zt.applyX(p[0]), zt.applyY(p[1])] as [number, number]]));

  // Node size: students, or the absolute net change; merged nodes sum their schools (capped, so
  // a town centre does not swallow the map — its label says how many schools it holds).
  const net = new Map(placed.map((s) => { const t = totalsOf(input.graph, s.id); return [s.id, t.in - t.out]; }));
  const grow = Math.min(2, Math.sqrt(zt.k));
  const rMax = Math.min(14, Math.max(8, width / 90)) * grow;
  const byStudents = scaleSqrt().domain([0, Math.max(1, ...placed.map(students))]).range([2.2 * grow, rMax]);
  const maxNet = Math.max(1, ...placed.map((s) => Math.abs(net.get(s.id)!)));
  const byNet = scaleSqrt().domain([0, maxNet]).range([2.6 * grow, rMax]);
  const sum = (list: readonly School[], f: (s: School) => number) => list.reduce((a, s) => a + f(s), 0);
  const netOf = (list: readonly School[]) => sum(list, (s) => net.get(s.id) ?? 0);
  const radius = (list: readonly School[]) => Math.min(rMax * 1.5, input.sizeBy === 'net' ? byNet(Math.abs(netOf(list))) : byStudents(sum(list, students)));
  const nodes = mergeOverlapping(placed.map((s) => ({ school: s, x: pos.get(s.id)![0], y: pos.get(s.id)![1] })), { radius, weight: students, gap: NODE_GAP });
  const { between, within } = nodeFlows(nodes, input.flows);
  const threshold = input.threshold ?? defaultThreshold(between.map((f) => f.count));
  const split = splitByThreshold(between, threshold);
  const strong = new Set(split.strong);
  const maxCount = Math.max(1, ...between.map((f) => f.count));
  const stroke = scaleLinear().domain([1, Math.max(2, maxCount)]).range([1.2, 9]).clamp(true);

  const clusterLabels = drawBackground(svg, placed, pos, input.clusterLabel);

  const sel = input.selected;
  const touches = (n: MapNode) => n.schools.some((s) => sel.has(s.id));
  const arcs = svg.append('g').attr('class', 'arcs');
  // Hovering lights some arcs and pales the rest by classes, without a redraw.
  // Only when the thing under the pointer changes: mousemove fires often and there may be 1,000 arcs.
  let hovered: unknown = null;
  const hover = (what: MapNode | NodeFlow | null, on: ((f: NodeFlow) => boolean) | null) => {
    if (what === hovered) return;
    hovered = what;
    svg.classed('hovering', on !== null);
    arcs.selectAll<SVGGElement, NodeFlow>('.arc').classed('hi', (f) => on !== null && on(f));
  };
  drawArcs(arcs, between, {
    strong, width: stroke, maxBend: 80 * grow,
    lit: input.selectedFlow ? (f) => arcKey(f) === input.selectedFlow : sel.size > 0 ? (f) => touches(f.from) || touches(f.to) : null,
    onClick: (f) => { input.tip.hide(); input.onFlow(f); },
    onHover: (f, ev) => {
      hover(f, (g) => g === f);
      input.tip.show(ev, movesTip(`${nodeName(f.from)} → ${nodeName(f.to)}`, movesDetail(f.moves)));
    },
    onLeave: () => { hover(null, null); input.tip.hide(); },
  });

  // Nodes, big first so small ones stay on top (they do not overlap, but selection halos may).
  const dots = svg.append('g').attr('class', 'dots');
  for (const n of [...nodes].sort((a, b) => b.r - a.r)) {
    const lead = n.schools[0]!;
    const merged = n.schools.length > 1;
    const active = n.schools.some((s) => input.graph.hasNode(s.id) && input.graph.degree(s.id) > 0);
    const isSel = touches(n);
    // data-ids is space-separated, so `.school[data-ids~="S001"]` finds the node holding a school.
    const g = dots.append('g').attr('class', `school${merged ? ' merged' : ''}${active ? '' : ' idle'}${isSel ? ' selected' : ''}`)
      .attr('data-id', n.id).attr('data-ids', n.schools.map((s) => s.id).join(' ')).attr('data-r', n.r.toFixed(2))
      .attr('transform', `translate(${n.x},${n.y})`)
      .on('click', (ev: MouseEvent) => { ev.stopPropagation(); input.tip.hide(); input.onNode(isSel && !merged ? null : n); })
      .on('mousemove', (ev: MouseEvent) => {
        hover(n, (f) => f.from === n || f.to === n);
        input.tip.show(ev, nodeTip(n, input.flows, net));
      })
      .on('mouseleave', () => { hover(null, null); input.tip.hide(); });
    if (isSel) g.append('circle').attr('r', n.r + 7).attr('class', 'selected-halo');
    if (n.schools.some((s) => s.weak)) g.append('circle').attr('r', n.r + 2).attr('class', 'weak-ring').attr('stroke', WEAK_RING);
    const fill = input.sizeBy === 'net' ? netColor(netOf(n.schools), maxNet) : LOCALE_COLOR[lead.locale] ?? '#999';
    g.append('circle').attr('r', n.r).attr('fill', fill).attr('class', 'dot');
    if (merged && n.r >= 7) g.append('text').attr('class', 'node-count').attr('dy', '0.35em').attr('text-anchor', 'middle').text(n.schools.length);
  }
  // A plain click on the background clears the selection (d3-zoom swallows the click after a drag).
  svg.on('click', () => input.onNode(null));

  const activity = new Map(nodes.map((n) => [n.id, n.schools.reduce((a, s) => { const t = totalsOf(input.graph, s.id); return a + t.in + t.out; }, 0)]));
  drawLabels(svg, nodes, clusterLabels, { activity, selected: nodes.find((n) => touches(n)), count: input.labels ?? 12, width, height }, zt.k);
  drawScaleBar(svg, projection, width, height, pad, zt.k);
  input.onLayout?.({ nodes, flows: between, strong: split.strong.length, threshold, maxCount, fadedTeachers: split.fadedTeachers, fadedToward: split.fadedToward,
    within: [...within.values()].reduce((a, b) => a + b, 0), merged: nodes.filter((n) => n.schools.length > 1).length });
  return base;
}

function nodeTip(n: MapNode, flows: readonly Flow[], net: ReadonlyMap<string, number>): Child {
  const ids = new Set(n.schools.map((s) => s.id));
  const moves = flows.filter((f) => ids.has(f.from.id) || ids.has(f.to.id)).flatMap((f) => f.moves);
  const inn = moves.filter((m) => ids.has(m.to.id));
  const out = moves.filter((m) => ids.has(m.from.id));
  const bbIn = inn.filter((m) => m.backbone).length;
  const bbOut = out.filter((m) => m.backbone).length;
  const change = signed(n.schools.reduce((a, x) => a + (net.get(x.id) ?? 0), 0));
  const s = n.schools[0]!;
  const where = n.schools.length === 1 ? `${localeLabel(s.locale)}${s.weak ? L('，薄弱', ', weak') : ''} · ${L('在校生', 'students')} ${int(students(s))}`
    : L(`${n.schools.length} 所学校在此缩放下重叠，点击列出或放大`, `${n.schools.length} schools overlap at this zoom; click to list or zoom in`);
  return movesTip(nodeName(n), movesDetail(moves), h('div', null, where),
    h('div', { 'data-testid': 'tip-net' }, L(`调入 ${inn.length}（骨干 ${bbIn}）· 调出 ${out.length}（骨干 ${bbOut}）· 净 ${change}`, `in ${inn.length} (${bbIn} backbone) · out ${out.length} (${bbOut} backbone) · net ${change}`)));
}
