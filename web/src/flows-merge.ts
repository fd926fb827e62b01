// Schools that would overlap on the map at the current zoom become one node, as FlowmapBlue
// clusters locations by zoom: a town centre's dozen schools within a few hundred metres would
// otherwise hide one another and a click would land on whichever was drawn last. A merged node
// sums its schools' flows; flows inside it are counted, not drawn. Pure: positions in pixels in,
// nodes and node→node flows out.
import type { School } from './api.ts';
import { type Flow, type Move, byMagnitude } from './flows-model.ts';

export interface MapNode {
  /** The school's id, or `m:` and the sorted ids of the schools merged. */
  id: string;
  /** The biggest school's name (a stable name for tie-breaks; the page labels merged nodes itself). */
  name: string;
  /** Biggest first. */
  schools: School[];
  x: number;
  y: number;
  r: number;
}

export interface PlacedSchool { school: School; x: number; y: number }

export interface MergeOptions {
  /** A node's radius in pixels from its schools (students, or net teacher change, summed). */
  radius: (schools: readonly School[]) => number;
  /** Weight of a school in its node's position (the centre of mass), e.g. its students. */
  weight: (s: School) => number;
  /** Free pixels required between two nodes' edges. */
  gap: number;
}

interface Work { schools: School[]; x: number; y: number; w: number; r: number }

/**
 * Greedy passes, biggest node first: a node absorbs every node that overlaps it (centres closer
 * than the two radii plus `gap`), moving to the weighted centre and growing; passes repeat until
 * one merges nothing, so no two nodes returned overlap.
 */
export function mergeOverlapping(points: readonly PlacedSchool[], o: MergeOptions): MapNode[] {
  let nodes: Work[] = points.map((p) => ({ schools: [p.school], x: p.x, y: p.y, w: o.weight(p.school) + 1, r: o.radius([p.school]) }));
  for (;;) {
    nodes.sort((a, b) => b.r - a.r || a.schools[0]!.id.localeCompare(b.schools[0]!.id));
    const out: Work[] = [];
    const used = new Set<number>();
    let merged = false;
    for (let i = 0; i < nodes.length; i++) {
      if (used.has(i)) continue;
      let n = nodes[i]!;
      for (let j = i + 1; j < nodes.length; j++) {
        const m = nodes[j]!;
        if (used.has(j) || Math.hypot(n.x - m.x, n.y - m.y) >= n.r + m.r + o.gap) continue;
        const w = n.w + m.w;
        const schools = [...n.schools, ...m.schools];
        n = { schools, x: (n.x * n.w + m.x * m.w) / w, y: (n.y * n.w + m.y * m.w) / w, w, r: o.radius(schools) };
        used.add(j);
        merged = true;
      }
      out.push(n);
    }
    nodes = out;
    if (!merged) break;
  }
  return nodes.map((n) => {
    const schools = [...n.schools].sort((a, b) => o.weight(b) - o.weight(a) || a.id.localeCompare(b.id));
    const id = schools.length === 1 ? schools[0]!.id : `m:${schools.map((s) => s.id).sort().join(',')}`;
    return { id, name: schools[0]!.name, schools, x: n.x, y: n.y, r: n.r };
  });
}

export interface NodeFlow { from: MapNode; to: MapNode; count: number; backbone: number; toward: number; moves: Move[] }

/** School flows summed between the nodes they join, in magnitude order; flows inside a node are counted per node. */
export function nodeFlows(nodes: readonly MapNode[], flows: readonly Flow[]): { between: NodeFlow[]; within: Map<string, number> } {
  const nodeOf = new Map<string, MapNode>();
  for (const n of nodes) for (const s of n.schools) nodeOf.set(s.id, n);
  const between = new Map<string, NodeFlow>();
  const within = new Map<string, number>();
  for (const f of flows) {
    const a = nodeOf.get(f.from.id);
    const b = nodeOf.get(f.to.id);
    if (!a || !b) continue;
    if (a === b) { within.set(a.id, (within.get(a.id) ?? 0) + f.count); continue; }
    const k = `${a.id}\u0000${b.id}`;
    const g = between.get(k) ?? { from: a, to: b, count: 0, backbone: 0, toward: 0, moves: [] };
    g.count += f.count;
    g.backbone += f.backbone;
    g.toward += f.toward;
    g.moves.push(...f.moves);
    between.set(k, g);
  }
  return { between: [...between.values()].sort(byMagnitude), within };
}
