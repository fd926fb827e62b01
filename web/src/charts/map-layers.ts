// The flow map's context layers: the county's and clusters' soft shapes behind everything
// (context without tiles), node and cluster names placed without overlaps, and the scale bar.
import { type GeoProjection, type Selection, geoDistance, polygonHull } from 'd3';
import type { School } from '../api.ts';
import type { MapNode } from '../flows-merge.ts';
import { clusterOf, clusterParts } from '../flows-model.ts';
import { L } from '../i18n.ts';
import { type Box, type PlacedLabel, placeLabels, textWidth } from './labels.ts';

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type Pt = [number, number];
interface ClusterLabel { text: string; x: number; y: number }

/** A node's name: the school's, or the biggest school's and how many more. */
export const nodeName = (n: MapNode): string => (n.schools.length === 1 ? n.name : L(`${n.name} 等 ${n.schools.length} 所`, `${n.name} + ${n.schools.length - 1} more`));

const hullOf = (pts: Pt[]) => (pts.length >= 3 ? polygonHull(pts) : null);

/** County and cluster shapes; returns where each cluster's name would go (above its top school). */
export function drawBackground(svg: Svg, schools: readonly School[], pos: ReadonlyMap<string, Pt>, label: (key: string) => string): ClusterLabel[] {
  const bg = svg.append('g').attr('class', 'map-bg');
  // One shape per county: several counties side by side are not one blob.
  const counties = new Map<string, Pt[]>();
  const clusters = new Map<string, Pt[]>();
  for (const s of schools) {
    const p = pos.get(s.id);
    if (!p) continue;
    const c = clusterOf(s);
    counties.set(clusterParts(c).county, [...(counties.get(clusterParts(c).county) ?? []), p]);
    if (clusterParts(c).name) clusters.set(c, [...(clusters.get(c) ?? []), p]);
  }
  for (const pts of counties.values()) { const hull = hullOf(pts); if (hull) bg.append('path').attr('d', `M${hull.join('L')}Z`).attr('class', 'county-shape'); }
  const out: ClusterLabel[] = [];
  for (const [key, pts] of clusters) {
    const hull = hullOf(pts);
    if (hull) bg.append('path').attr('d', `M${hull.join('L')}Z`).attr('class', 'cluster-shape');
    else for (const p of pts) bg.append('circle').attr('cx', p[0]).attr('cy', p[1]).attr('r', 10).attr('class', 'cluster-shape');
    const top = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
    out.push({ text: label(key), x: pts.reduce((a, p) => a + p[0], 0) / pts.length, y: top[1] - 16 });
  }
  return out;
}

export interface LabelInput {
  /** Activity (teachers in + out) of each node, by node id: the busiest are named first. */
  activity: ReadonlyMap<string, number>;
  /** The selected node, always named. */
  selected: MapNode | undefined;
  /** Names at zoom 1; more fit as the map zooms. */
  count: number;
  width: number;
  height: number;
}

export function drawLabels(svg: Svg, nodes: readonly MapNode[], clusterLabels: readonly ClusterLabel[], o: LabelInput, k: number): void {
  const sel = o.selected;
  const chosen = nodes.filter((n) => (o.activity.get(n.id) ?? 0) > 0 && n !== sel)
    .sort((a, b) => (o.activity.get(b.id) ?? 0) - (o.activity.get(a.id) ?? 0) || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, Math.round(o.count * k));
  const dotBoxes: Box[] = nodes.filter((n) => n.r > 3.5).map((n) => ({ x: n.x - n.r, y: n.y - n.r, w: 2 * n.r, h: 2 * n.r }));
  const bounds = { x: 2, y: 2, w: o.width - 4, h: o.height - 30 };
  const candidate = (n: MapNode) => ({ id: n.id, text: nodeName(n), x: n.x, y: n.y, r: n.r + (n === sel ? 7 : 0) });
  const boxOf = (l: PlacedLabel): Box => {
    const w = textWidth(l.text, 13) + 4;
    return { x: l.x - (l.anchor === 'end' ? w : l.anchor === 'middle' ? w / 2 : 0), y: l.y - 9, w, h: 18 };
  };
  // The selected node is always named (its name may cover a dot); the others must find free room.
  const first = sel ? placeLabels([candidate(sel)], 12, bounds) : [];
  const names = [...first, ...placeLabels(chosen.map(candidate), 12, bounds, [...dotBoxes, ...first.map(boxOf)])];
  const layer = svg.append('g').attr('class', 'labels');
  for (const l of names) layer.append('text').attr('x', l.x).attr('y', l.y).attr('dy', '0.35em').attr('text-anchor', l.anchor).attr('class', `school-label${sel && l.id === sel.id ? ' selected' : ''}`).text(l.text);
  const taken: Box[] = [...dotBoxes, ...names.map(boxOf)];
  const placed = placeLabels(clusterLabels.map((c, i) => ({ id: String(i), text: c.text, x: c.x, y: c.y, r: 0 })), 11, bounds, taken);
  for (const l of placed) layer.append('text').attr('x', l.x).attr('y', l.y).attr('dy', '0.35em').attr('text-anchor', l.anchor).attr('class', 'cluster-label').text(l.text);
}

/** Scale bar: distance between two screen points at the map's centre, at the current zoom. */
export function drawScaleBar(svg: Svg, projection: GeoProjection, width: number, height: number, pad: number, k: number): void {
  const mid: Pt = [width / 2, height / 2];
  const a = projection.invert?.([mid[0] - 50, mid[1]]);
  const b = projection.invert?.([mid[0] + 50, mid[1]]);
  if (!a || !b) return;
  const kmPerPx = (geoDistance(a, b) * 6371) / 100 / k;
  const km = [0.5, 1, 2, 5, 10, 20, 50, 100].find((x) => x / kmPerPx >= 60) ?? 100;
  const px = km / kmPerPx;
  const sb = svg.append('g').attr('class', 'scale-bar').attr('transform', `translate(${pad},${height - 16})`);
  sb.append('path').attr('d', `M0,-5V0H${px}V-5`);
  sb.append('text').attr('x', px + 6).attr('y', 0).text(`${km} km`);
}
