// The flows of a plan, as the flows page draws them: moves filtered (subject, backbone, cluster,
// mode), merged into school→school flows, the top N kept and the rest summed, school in/out
// totals from a graphology graph, and the same moves grouped by locale or cluster for the
// sankey and the chord. Pure: no DOM, so the numbers the page shows can be checked alone.
import { DirectedGraph } from 'graphology';
import type { PlanRow, School } from './api.ts';

/** Same definition as the audit's `toward_rural_or_weak` count (solver/report/audit.ts). */
export type Direction = 'toward' | 'other';
export const directionOf = (from: School, to: School): Direction =>
  (to.locale === 'rural' && from.locale !== 'rural') || (to.weak && !from.weak) ? 'toward' : 'other';

export interface FlowFilter {
  subject: string;
  /** '' all, '1' backbone only, '0' non-backbone only. */
  backbone: string;
  cluster: string;
  mode: string;
}
export const NO_FILTER: FlowFilter = { subject: '', backbone: '', cluster: '', mode: '' };

export const NO_CLUSTER = '\u0000none';
export const clusterOf = (s: School | undefined): string => s?.cluster?.trim() || NO_CLUSTER;

export interface Move { row: PlanRow; from: School; to: School; dir: Direction; backbone: boolean }

export function resolveMoves(plan: readonly PlanRow[], schools: ReadonlyMap<string, School>): Move[] {
  const out: Move[] = [];
  for (const row of plan) {
    const from = schools.get(row.from_school_id);
    const to = schools.get(row.to_school_id);
    if (!from || !to) continue;
    out.push({ row, from, to, dir: directionOf(from, to), backbone: row.backbone !== undefined && row.backbone !== 'none' });
  }
  return out;
}

export function filterMoves(moves: readonly Move[], f: FlowFilter): Move[] {
  return moves.filter((m) =>
    (!f.subject || m.row.subject === f.subject)
    && (!f.backbone || m.backbone === (f.backbone === '1'))
    && (!f.mode || m.row.mode === f.mode)
    // A cluster keeps the flows that touch it: into, out of or within it.
    && (!f.cluster || clusterOf(m.from) === f.cluster || clusterOf(m.to) === f.cluster));
}

export interface Flow { from: School; to: School; count: number; backbone: number; dir: Direction; moves: Move[] }

/** School→school flows, largest first (ties by ids, so the order is stable). */
export function schoolFlows(moves: readonly Move[]): Flow[] {
  const m = new Map<string, Flow>();
  for (const x of moves) {
    const key = `${x.from.id}\u0000${x.to.id}`;
    let f = m.get(key);
    if (!f) { f = { from: x.from, to: x.to, count: 0, backbone: 0, dir: x.dir, moves: [] }; m.set(key, f); }
    f.count += 1;
    if (x.backbone) f.backbone += 1;
    f.moves.push(x);
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.from.id.localeCompare(b.from.id) || a.to.id.localeCompare(b.to.id));
}

export interface TopN { top: Flow[]; rest: { flows: number; teachers: number; toward: number } }

export function topN(flows: readonly Flow[], n: number): TopN {
  const top = flows.slice(0, n);
  const restFlows = flows.slice(n);
  return {
    top,
    rest: {
      flows: restFlows.length,
      teachers: restFlows.reduce((a, f) => a + f.count, 0),
      toward: restFlows.reduce((a, f) => a + (f.dir === 'toward' ? f.count : 0), 0),
    },
  };
}

export interface SchoolTotals { in: number; out: number; inBackbone: number; outBackbone: number }
export type FlowGraph = DirectedGraph<{ school: School }, { count: number; backbone: number }>;

/** Schools as nodes, flows as weighted edges: in/out totals and a school's partners come from here. */
export function flowGraph(schools: readonly School[], flows: readonly Flow[]): FlowGraph {
  const g: FlowGraph = new DirectedGraph();
  for (const s of schools) g.addNode(s.id, { school: s });
  for (const f of flows) g.addDirectedEdge(f.from.id, f.to.id, { count: f.count, backbone: f.backbone });
  return g;
}

export function totalsOf(g: FlowGraph, id: string): SchoolTotals {
  const t = { in: 0, out: 0, inBackbone: 0, outBackbone: 0 };
  if (!g.hasNode(id)) return t;
  g.forEachInEdge(id, (_e, a) => { t.in += a.count; t.inBackbone += a.backbone; });
  g.forEachOutEdge(id, (_e, a) => { t.out += a.count; t.outBackbone += a.backbone; });
  return t;
}

export interface GroupFlow { from: string; to: string; count: number; toward: number }

/** Moves summed between groups (locales or clusters), largest first. */
export function groupFlows(moves: readonly Move[], key: (s: School) => string): GroupFlow[] {
  const m = new Map<string, GroupFlow>();
  for (const x of moves) {
    const from = key(x.from);
    const to = key(x.to);
    const k = `${from}\u0000${to}`;
    const g = m.get(k) ?? { from, to, count: 0, toward: 0 };
    g.count += 1;
    if (x.dir === 'toward') g.toward += 1;
    m.set(k, g);
  }
  return [...m.values()].sort((a, b) => b.count - a.count);
}

export interface FlowSummary { teachers: number; backbone: number; toward: number; flows: number; schoolsSending: number; schoolsReceiving: number }

export function summarize(moves: readonly Move[], flows: readonly Flow[]): FlowSummary {
  return {
    teachers: moves.length,
    backbone: moves.filter((m) => m.backbone).length,
    toward: moves.filter((m) => m.dir === 'toward').length,
    flows: flows.length,
    schoolsSending: new Set(moves.map((m) => m.from.id)).size,
    schoolsReceiving: new Set(moves.map((m) => m.to.id)).size,
  };
}

export const OTHER_GROUP = '\u0000other';

/**
 * Keeps the `keep` busiest groups (teachers sent + received) and merges the rest into one
 * OTHER_GROUP, so a county with 40 clusters still gives a sankey and chord one can read.
 */
export function lumpGroups(flows: readonly GroupFlow[], keep: number): { flows: GroupFlow[]; lumped: number } {
  const volume = new Map<string, number>();
  for (const f of flows) {
    volume.set(f.from, (volume.get(f.from) ?? 0) + f.count);
    volume.set(f.to, (volume.get(f.to) ?? 0) + f.count);
  }
  if (volume.size <= keep + 1) return { flows: [...flows], lumped: 0 };
  const kept = new Set([...volume].sort((a, b) => b[1] - a[1]).slice(0, keep).map(([k]) => k));
  const key = (k: string) => (kept.has(k) ? k : OTHER_GROUP);
  const merged = new Map<string, GroupFlow>();
  for (const f of flows) {
    const from = key(f.from);
    const to = key(f.to);
    const k = `${from}\u0000${to}`;
    const g = merged.get(k) ?? { from, to, count: 0, toward: 0 };
    g.count += f.count;
    g.toward += f.toward;
    merged.set(k, g);
  }
  return { flows: [...merged.values()].sort((a, b) => b.count - a.count), lumped: volume.size - kept.size };
}
