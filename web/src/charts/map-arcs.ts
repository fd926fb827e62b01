// The map's arcs between nodes: curved, bending to the right of their direction so A→B and B→A
// never lie on top of each other, width ∝ teachers, trimmed to the nodes' edges. Strong flows
// (at or above the threshold) get an arrowhead at the receiving node; faded ones are drawn
// thin and pale, so small flows stay visible without drowning the big ones (FlowmapBlue fades
// rather than drops). Each arc has a wide transparent stroke so a 1-px flow is still easy to
// hover and click. A flow of mostly 走教 teachers (part-time at the other school, post at home)
// is dashed.
import type { Selection } from 'd3';
import type { NodeFlow } from '../flows-merge.ts';
import { mostlyItinerant } from '../flows-model.ts';
import { DIRECTION_COLOR } from './palette.ts';

type Pt = [number, number];

export interface ArcOptions {
  strong: ReadonlySet<NodeFlow>;
  width: (count: number) => number;
  /** Bend at most this many pixels (grows gently with zoom). */
  maxBend: number;
  /** Arcs not to dim: all when null. */
  lit: ((f: NodeFlow) => boolean) | null;
  onClick: (f: NodeFlow, ev: MouseEvent) => void;
  onHover: (f: NodeFlow, ev: MouseEvent) => void;
  onLeave: () => void;
}

export const arcKey = (f: NodeFlow): string => `${f.from.id}>${f.to.id}`;
/** Most of a flow's teachers go toward rural or weak schools. */
const colourOf = (f: NodeFlow) => DIRECTION_COLOR[f.toward * 2 >= f.count ? 'toward' : 'other'];

const unit = (a: Pt, b: Pt): Pt => { const l = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1; return [(b[0] - a[0]) / l, (b[1] - a[1]) / l]; };

/**
 * Draws `flows` (magnitude order) into `layer` smallest first, so big flows sit on top; the faded
 * ones are all below the threshold, so they come first.
 */
export function drawArcs(layer: Selection<SVGGElement, unknown, null, undefined>, flows: readonly NodeFlow[], o: ArcOptions): void {
  for (const f of [...flows].reverse()) {
    const strong = o.strong.has(f);
    const p0: Pt = [f.from.x, f.from.y];
    const p1: Pt = [f.to.x, f.to.y];
    const dx = p1[0] - p0[0];
    const dy = p1[1] - p0[1];
    const d = Math.hypot(dx, dy) || 1;
    const bend = Math.min(0.25 * d, o.maxBend);
    const c: Pt = [(p0[0] + p1[0]) / 2 - (dy / d) * bend, (p0[1] + p1[1]) / 2 + (dx / d) * bend];
    const w = strong ? o.width(f.count) : Math.max(0.8, o.width(f.count) * 0.6);
    const u0 = unit(p0, c);
    const u1 = unit(c, p1);
    const head = strong ? 4 + w * 1.6 : 0;
    const s0: Pt = [p0[0] + u0[0] * (f.from.r + 1), p0[1] + u0[1] * (f.from.r + 1)];
    const tip: Pt = [p1[0] - u1[0] * (f.to.r + 2), p1[1] - u1[1] * (f.to.r + 2)];
    const e1: Pt = [tip[0] - u1[0] * head * 0.8, tip[1] - u1[1] * head * 0.8];
    const dim = o.lit !== null && !o.lit(f);
    const itinerant = mostlyItinerant(f.moves);
    const g = layer.append('g').datum(f).attr('class', `arc ${strong ? 'strong' : 'faded'}${dim ? ' dim' : ''}${itinerant ? ' itinerant' : ''}`)
      .attr('data-from', f.from.id).attr('data-to', f.to.id).attr('data-count', f.count)
      .on('click', (ev: MouseEvent) => { ev.stopPropagation(); o.onClick(f, ev); })
      .on('mousemove', (ev: MouseEvent) => o.onHover(f, ev))
      .on('mouseleave', o.onLeave);
    const colour = colourOf(f);
    const path = `M${s0[0]},${s0[1]}Q${c[0]},${c[1]} ${e1[0]},${e1[1]}`;
    g.append('path').attr('class', 'arc-line').attr('d', path).attr('stroke', colour).attr('stroke-width', w).attr('fill', 'none')
      .attr('stroke-dasharray', itinerant ? `${2 * w + 3} ${w + 3}` : null);
    if (strong) {
      const nx = -u1[1];
      const ny = u1[0];
      const hw = head * 0.55;
      const base: Pt = [tip[0] - u1[0] * head, tip[1] - u1[1] * head];
      g.append('path').attr('class', 'arc-head').attr('d', `M${tip[0]},${tip[1]}L${base[0] + nx * hw},${base[1] + ny * hw}L${base[0] - nx * hw},${base[1] - ny * hw}Z`).attr('fill', colour);
    }
    g.append('path').attr('class', 'arc-hit').attr('d', `M${s0[0]},${s0[1]}Q${c[0]},${c[1]} ${tip[0]},${tip[1]}`).attr('stroke-width', Math.max(8, w + 4)).attr('fill', 'none');
  }
}
