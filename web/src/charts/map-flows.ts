// The flow map: schools placed by their own coordinates (Mercator fitted to the county, no
// tiles: intranets are offline), dot area ∝ students, colour = locale, a dark ring = weak
// school; curved arcs with width ∝ teachers moved and an arrowhead at the receiving school,
// orange toward rural/weak schools, grey otherwise. Arcs bend to the right of their direction,
// so A→B and B→A never lie on top of each other.
import { type ZoomTransform, geoDistance, geoMercator, polygonHull, scaleLinear, scaleSqrt, select, zoom, zoomIdentity } from 'd3';
import type { School } from '../api.ts';
import { clusterOf, type Flow, type FlowGraph, NO_CLUSTER, totalsOf } from '../flows-model.ts';
import { int } from '../format.ts';
import { L, localeLabel } from '../i18n.ts';
import { type Box, type PlacedLabel, placeLabels, textWidth } from './labels.ts';
import { DIRECTION_COLOR, LOCALE_COLOR, WEAK_RING } from './palette.ts';

export interface MapInput {
  schools: readonly School[];
  /** The flows to draw (already cut to the top N). */
  flows: readonly Flow[];
  graph: FlowGraph;
  selected: string | null;
  onSelect: (id: string | null) => void;
  width: number;
  height: number;
  /** How many of the busiest schools get a name label (collisions drop the rest). */
  labels?: number;
}

const students = (s: School) => (s.students_primary ?? 0) + (s.students_junior ?? 0);
const hasCoords = (s: School): s is School & { lat: number; lon: number } => s.lat !== undefined && s.lon !== undefined;

/** Round scale-bar length (km) whose bar is 60–160 px. */
function scaleBar(kmPerPx: number): { km: number; px: number } {
  const km = [0.5, 1, 2, 5, 10, 20, 50, 100].find((k) => k / kmPerPx >= 60) ?? 100;
  return { km, px: km / kmPerPx };
}

export interface FlowMap {
  svg: SVGSVGElement;
  update(input: MapInput): void;
  resetZoom(): void;
}

/**
 * A map that keeps its zoom across updates (filters, selection). Zoom is semantic: positions
 * spread apart, dots grow gently and more names fit, while line widths and text stay the same
 * size — a dense town centre becomes readable instead of merely bigger.
 */
export function createFlowMap(width: number, height: number): FlowMap {
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'flow-map').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('role', 'img').attr('aria-label', L('学校与交流流向地图', 'Map of schools and teacher flows'));
  let last: MapInput | null = null;
  let t: ZoomTransform = zoomIdentity;
  let pending = false;
  const behaviour = zoom<SVGSVGElement, unknown>().scaleExtent([1, 8]).translateExtent([[0, 0], [width, height]]).extent([[0, 0], [width, height]])
    .on('zoom', (ev: { transform: ZoomTransform }) => {
      t = ev.transform;
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; if (last) render(svg.node()!, last, t); });
    });
  svg.call(behaviour);
  return {
    svg: svg.node()!,
    update(input) { last = input; render(svg.node()!, input, t); },
    resetZoom() { svg.call(behaviour.transform, zoomIdentity); },
  };
}

function render(node: SVGSVGElement, input: MapInput, zt: ZoomTransform): void {
  const { width, height } = input;
  const placed = input.schools.filter(hasCoords);
  const svg = select(node);
  svg.selectAll('*').remove();
  if (placed.length === 0) {
    svg.append('text').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle').attr('class', 'map-empty')
      .text(L('学校没有经纬度，无法绘制地图；请使用城乡或学区视图。', 'Schools have no coordinates; use the locale or cluster view.'));
    return;
  }
  const pad = 28;
  const projection = geoMercator().fitExtent([[pad, pad], [width - pad, height - pad - 24]], { type: 'MultiPoint', coordinates: placed.map((s) => [s.lon, s.lat]) });
  const pos = new Map<string, [number, number]>();
  for (const s of placed) {
    const p = projection([s.lon, s.lat]) ?? [0, 0];
    pos.set(s.id, [zt.applyX(p[0]), zt.applyY(p[1])]);
  }
  const maxStudents = Math.max(1, ...placed.map(students));
  const grow = Math.min(2, Math.sqrt(zt.k));
  const radius = scaleSqrt().domain([0, maxStudents]).range([2.2 * grow, Math.min(14, Math.max(8, width / 90)) * grow]);
  const r = (s: School) => radius(students(s));
  const maxCount = Math.max(1, ...input.flows.map((f) => f.count));
  const stroke = scaleLinear().domain([1, Math.max(2, maxCount)]).range([1.2, 9]).clamp(true);

  // Background: the county's extent and its clusters (学区) as soft shapes — context without tiles.
  const bg = svg.append('g').attr('class', 'map-bg');
  const hullOf = (pts: [number, number][]) => (pts.length >= 3 ? polygonHull(pts) : null);
  const county = hullOf([...pos.values()]);
  if (county) bg.append('path').attr('d', `M${county.join('L')}Z`).attr('class', 'county-shape');
  const clusters = new Map<string, [number, number][]>();
  for (const s of placed) {
    const c = clusterOf(s);
    if (c === NO_CLUSTER) continue;
    const list = clusters.get(c) ?? [];
    list.push(pos.get(s.id)!);
    clusters.set(c, list);
  }
  const clusterLabels: { text: string; x: number; y: number }[] = [];
  for (const [name, pts] of clusters) {
    const hull = hullOf(pts);
    if (hull) bg.append('path').attr('d', `M${hull.join('L')}Z`).attr('class', 'cluster-shape');
    else for (const p of pts) bg.append('circle').attr('cx', p[0]).attr('cy', p[1]).attr('r', 10).attr('class', 'cluster-shape');
    const top = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
    clusterLabels.push({ text: name, x: pts.reduce((a, p) => a + p[0], 0) / pts.length, y: top[1] - 16 });
  }

  // Arcs, thin first so the big flows sit on top.
  const sel = input.selected;
  const arcs = svg.append('g').attr('class', 'arcs');
  for (const f of [...input.flows].reverse()) {
    const p0 = pos.get(f.from.id);
    const p1 = pos.get(f.to.id);
    if (!p0 || !p1) continue;
    const dx = p1[0] - p0[0];
    const dy = p1[1] - p0[1];
    const d = Math.hypot(dx, dy) || 1;
    const bend = Math.min(0.25 * d, 80 * grow);
    const c: [number, number] = [(p0[0] + p1[0]) / 2 - (dy / d) * bend, (p0[1] + p1[1]) / 2 + (dx / d) * bend];
    const w = stroke(f.count);
    // Trim both ends to the dots' edges; the head is drawn in the freed space at the end.
    const unit = (a: [number, number], b: [number, number]) => { const l = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1; return [(b[0] - a[0]) / l, (b[1] - a[1]) / l] as const; };
    const u0 = unit(p0, c);
    const u1 = unit(c, p1);
    const head = 4 + w * 1.6;
    const s0: [number, number] = [p0[0] + u0[0] * (r(f.from) + 1), p0[1] + u0[1] * (r(f.from) + 1)];
    const tip: [number, number] = [p1[0] - u1[0] * (r(f.to) + 2), p1[1] - u1[1] * (r(f.to) + 2)];
    const e1: [number, number] = [tip[0] - u1[0] * head * 0.8, tip[1] - u1[1] * head * 0.8];
    const dim = sel !== null && f.from.id !== sel && f.to.id !== sel;
    const g = arcs.append('g').attr('class', `arc arc-${f.dir}${dim ? ' dim' : ''}`).attr('data-from', f.from.id).attr('data-to', f.to.id);
    const colour = DIRECTION_COLOR[f.dir];
    g.append('path').attr('d', `M${s0[0]},${s0[1]}Q${c[0]},${c[1]} ${e1[0]},${e1[1]}`).attr('stroke', colour).attr('stroke-width', w).attr('fill', 'none');
    const nx = -u1[1];
    const ny = u1[0];
    const hw = head * 0.55;
    const base: [number, number] = [tip[0] - u1[0] * head, tip[1] - u1[1] * head];
    g.append('path').attr('d', `M${tip[0]},${tip[1]}L${base[0] + nx * hw},${base[1] + ny * hw}L${base[0] - nx * hw},${base[1] - ny * hw}Z`).attr('fill', colour);
    g.append('title').text(`${f.from.name} → ${f.to.name}：${L(`${f.count} 人（骨干 ${f.backbone} 人）`, `${f.count} teachers (${f.backbone} backbone)`)}`);
  }

  // School dots, big first so small schools stay clickable on top.
  const dots = svg.append('g').attr('class', 'dots');
  for (const s of [...placed].sort((a, b) => students(b) - students(a))) {
    const [x, y] = pos.get(s.id)!;
    const t = totalsOf(input.graph, s.id);
    const active = t.in + t.out > 0;
    const g = dots.append('g').attr('class', `school${active ? '' : ' idle'}${s.id === sel ? ' selected' : ''}`).attr('data-id', s.id)
      .attr('transform', `translate(${x},${y})`).on('click', (ev: MouseEvent) => { ev.stopPropagation(); input.onSelect(s.id === sel ? null : s.id); });
    if (s.id === sel) g.append('circle').attr('r', r(s) + 9).attr('class', 'selected-halo');
    if (s.weak) g.append('circle').attr('r', r(s) + 2.6).attr('class', 'weak-ring').attr('stroke', WEAK_RING);
    g.append('circle').attr('r', r(s)).attr('fill', LOCALE_COLOR[s.locale] ?? '#999').attr('class', 'dot');
    g.append('title').text(`${s.name}（${localeLabel(s.locale)}${s.weak ? L('，薄弱', ', weak') : ''}）\n${L('在校生', 'Students')} ${int(students(s))}\n${L('流入', 'In')} ${t.in} · ${L('流出', 'Out')} ${t.out}`);
  }
  // A plain click on the background clears the selection (d3-zoom swallows the click after a drag).
  svg.on('click', () => input.onSelect(null));

  // Labels: the selected school, then the busiest; clusters last, only where room is left.
  const byActivity = [...placed].map((s) => ({ s, t: totalsOf(input.graph, s.id) })).filter((x) => x.t.in + x.t.out > 0)
    .sort((a, b) => b.t.in + b.t.out - (a.t.in + a.t.out));
  const chosen = byActivity.slice(0, Math.round((input.labels ?? 12) * zt.k)).map((x) => x.s).filter((s) => s.id !== sel);
  const selSchool = placed.find((s) => s.id === sel);
  const dotBoxes: Box[] = placed.filter((s) => r(s) > 3.5).map((s) => { const [x, y] = pos.get(s.id)!; return { x: x - r(s), y: y - r(s), w: 2 * r(s), h: 2 * r(s) }; });
  const bounds = { x: 2, y: 2, w: width - 4, h: height - 30 };
  const candidate = (s: School) => { const [x, y] = pos.get(s.id)!; return { id: s.id, text: s.name, x, y, r: r(s) + (s.id === sel ? 8 : 0) }; };
  // The selected school is always named (it may cover a dot); the others must find free room.
  const first = selSchool ? placeLabels([candidate(selSchool)], 12, bounds) : [];
  const boxOf = (l: PlacedLabel): Box => {
    const w = textWidth(l.text, 13) + 4;
    return { x: l.x - (l.anchor === 'end' ? w : l.anchor === 'middle' ? w / 2 : 0), y: l.y - 9, w, h: 18 };
  };
  const firstBoxes = first.map(boxOf);
  const names = [...first, ...placeLabels(chosen.map(candidate), 12, bounds, [...dotBoxes, ...firstBoxes])];
  const labels = svg.append('g').attr('class', 'labels');
  for (const l of names) labels.append('text').attr('x', l.x).attr('y', l.y).attr('dy', '0.35em').attr('text-anchor', l.anchor).attr('class', `school-label${l.id === sel ? ' selected' : ''}`).text(l.text);
  const taken: Box[] = [...dotBoxes, ...names.map(boxOf)];
  const clusterPlaced = placeLabels(clusterLabels.map((c, i) => ({ id: String(i), text: c.text, x: c.x, y: c.y, r: 0 })), 11, bounds, taken);
  for (const l of clusterPlaced) labels.append('text').attr('x', l.x).attr('y', l.y).attr('dy', '0.35em').attr('text-anchor', l.anchor).attr('class', 'cluster-label').text(l.text);

  // Scale bar: distance between two screen points at the map's centre, at the current zoom.
  const mid: [number, number] = [width / 2, height / 2];
  const a = projection.invert?.([mid[0] - 50, mid[1]]);
  const b = projection.invert?.([mid[0] + 50, mid[1]]);
  if (a && b) {
    const { km, px } = scaleBar((geoDistance(a, b) * 6371) / 100 / zt.k);
    const sb = svg.append('g').attr('class', 'scale-bar').attr('transform', `translate(${pad},${height - 16})`);
    sb.append('path').attr('d', `M0,-5V0H${px}V-5`);
    sb.append('text').attr('x', px + 6).attr('y', 0).text(`${km} km`);
  }
}
