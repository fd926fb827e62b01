// The flows of a plan, as the flows page draws them: moves of one county (or all), filtered
// (subject, backbone, cluster, mode), merged into school→school flows in a documented order, a
// magnitude threshold splitting them into strong and faded, school in/out totals from a
// graphology graph, and what a tooltip says about a set of moves. Pure: no DOM, so the numbers
// the page shows can be checked alone. Grouping for the sankey and chord is in flows-groups.ts,
// merging overlapping schools on the map in flows-merge.ts.
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
  /** A cluster key (clusterOf), '' for all. */
  cluster: string;
  mode: string;
}

/** A school's county as the solver reads it (solver/policy/county.ts): '' when the file has none. */
export const countyOf = (s: School): string => s.county ?? '';

// A cluster (学区) belongs to its county: two counties' 城东学区 are two clusters, so every
// grouping keys a cluster by county and name. The separator cannot occur in either (a control
// character), and an empty name is a school with no cluster.
const SEP = '\u001f';
export const clusterKey = (county: string, name: string): string => `${county}${SEP}${name}`;
export const clusterOf = (s: School): string => clusterKey(countyOf(s), s.cluster?.trim() ?? '');
export function clusterParts(key: string): { county: string; name: string } {
  const i = key.indexOf(SEP);
  return i < 0 ? { county: '', name: key } : { county: key.slice(0, i), name: key.slice(i + 1) };
}

/** Same definition as the audit's `within_cluster` (solver/policy/county.ts sameCluster): a school without a cluster shares none. */
export const sameCluster = (a: School, b: School): boolean => (a.cluster?.trim() ?? '') !== '' && clusterOf(a) === clusterOf(b);

export interface Move { row: PlanRow; from: School; to: School; dir: Direction; backbone: boolean }

/** Most of these moves are 走教 (the map draws their arc dashed). */
export const mostlyItinerant = (moves: readonly Move[]): boolean => 2 * moves.filter((m) => m.row.mode === 'itinerant').length > moves.length;

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

/** The schools and moves of one county ('' = all). Moves never cross counties (the contract refuses it). */
export function inCounty<T extends School>(schools: readonly T[], moves: readonly Move[], county: string): { schools: T[]; moves: Move[] } {
  if (!county) return { schools: [...schools], moves: [...moves] };
  return { schools: schools.filter((s) => countyOf(s) === county), moves: moves.filter((m) => countyOf(m.from) === county) };
}

export function filterMoves(moves: readonly Move[], f: FlowFilter): Move[] {
  return moves.filter((m) =>
    (!f.subject || m.row.subject === f.subject)
    && (!f.backbone || m.backbone === (f.backbone === '1'))
    && (!f.mode || m.row.mode === f.mode)
    // A cluster keeps the flows that touch it: into, out of or within it.
    && (!f.cluster || clusterOf(m.from) === f.cluster || clusterOf(m.to) === f.cluster));
}

export interface Flow { from: School; to: School; count: number; backbone: number; toward: number; moves: Move[] }

/**
 * The order every flow list follows — which flows are drawn strongly, on top, and listed first:
 * more teachers, then more backbone teachers, then more toward rural/weak schools; only equal
 * flows fall back to the school names and ids, so the order is stable but never decides by id
 * what a planner sees.
 */
export interface Ranked { count: number; backbone: number; toward: number; from: { id: string; name: string }; to: { id: string; name: string } }
export function byMagnitude(a: Ranked, b: Ranked): number {
  return b.count - a.count || b.backbone - a.backbone || b.toward - a.toward
    || a.from.name.localeCompare(b.from.name, 'zh-CN') || a.to.name.localeCompare(b.to.name, 'zh-CN')
    || a.from.id.localeCompare(b.from.id) || a.to.id.localeCompare(b.to.id);
}

/** School→school flows in magnitude order (byMagnitude). */
export function schoolFlows(moves: readonly Move[]): Flow[] {
  const m = new Map<string, Flow>();
  for (const x of moves) {
    const key = `${x.from.id}\u0000${x.to.id}`;
    let f = m.get(key);
    if (!f) { f = { from: x.from, to: x.to, count: 0, backbone: 0, toward: 0, moves: [] }; m.set(key, f); }
    f.count += 1;
    if (x.backbone) f.backbone += 1;
    if (x.dir === 'toward') f.toward += 1;
    f.moves.push(x);
  }
  return [...m.values()].sort(byMagnitude);
}

/** How many flows to draw strongly when the user has not moved the threshold slider. */
const STRONG_TARGET = 60;

/**
 * The default magnitude threshold: the smallest number of teachers for which at most `target`
 * flows are at or above it (1 when all fit). A threshold never splits equal flows, so the
 * strongly drawn set does not depend on any tie-break.
 */
export function defaultThreshold(counts: readonly number[], target = STRONG_TARGET): number {
  const sorted = [...counts].sort((a, b) => b - a);
  if (sorted.length <= target) return 1;
  const t = sorted[target]! + 1;
  return Math.min(t, sorted[0]!);
}

export interface Split<T> { strong: T[]; faded: T[]; fadedTeachers: number; fadedToward: number }

/** Flows at or above `threshold` teachers are drawn strongly, the rest faded (never dropped). */
export function splitByThreshold<T extends { count: number; toward: number }>(flows: readonly T[], threshold: number): Split<T> {
  const strong = flows.filter((f) => f.count >= threshold);
  const faded = flows.filter((f) => f.count < threshold);
  return { strong, faded, fadedTeachers: faded.reduce((a, f) => a + f.count, 0), fadedToward: faded.reduce((a, f) => a + f.toward, 0) };
}

export interface SchoolTotals { in: number; out: number; inBackbone: number; outBackbone: number }
export type FlowGraph = DirectedGraph<{ school: School }, { count: number; backbone: number }>;

/** Schools as nodes, flows as weighted edges: in/out totals and a school's partners come from here. */
export function flowGraph(schools: readonly School[], flows: readonly Flow[]): FlowGraph {
  const g: FlowGraph = new DirectedGraph();
  for (const s of schools) g.addNode(s.id, { school: s });
  for (const f of flows) if (g.hasNode(f.from.id) && g.hasNode(f.to.id)) g.addDirectedEdge(f.from.id, f.to.id, { count: f.count, backbone: f.backbone });
  return g;
}

export function totalsOf(g: FlowGraph, id: string): SchoolTotals {
  const t = { in: 0, out: 0, inBackbone: 0, outBackbone: 0 };
  if (!g.hasNode(id)) return t;
  g.forEachInEdge(id, (_e, a) => { t.in += a.count; t.inBackbone += a.backbone; });
  g.forEachOutEdge(id, (_e, a) => { t.out += a.count; t.outBackbone += a.backbone; });
  return t;
}

export interface FlowSummary {
  teachers: number; backbone: number; toward: number; withinCluster: number; crossCluster: number; flows: number; schoolsSending: number; schoolsReceiving: number;
}

export function summarize(moves: readonly Move[], flows: readonly Flow[]): FlowSummary {
  const within = moves.filter((m) => sameCluster(m.from, m.to)).length;
  return {
    teachers: moves.length,
    backbone: moves.filter((m) => m.backbone).length,
    toward: moves.filter((m) => m.dir === 'toward').length,
    withinCluster: within,
    crossCluster: moves.length - within,
    flows: flows.length,
    schoolsSending: new Set(moves.map((m) => m.from.id)).size,
    schoolsReceiving: new Set(moves.map((m) => m.to.id)).size,
  };
}

export interface MovesDetail {
  teachers: number; backbone: number; toward: number; subjects: [string, number][];
  /** Moves per kind (plan.csv mode), most first. */
  modes: [string, number][];
  /** Σ plan.csv fte of the 走教 moves: the posts they serve at the other schools. */
  itinerantFte: number;
}

/** Counts per key, most first (ties by key). */
function tally(keys: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** What a tooltip says about some moves: how many, how many backbone, by kind of move and by subject (most first). */
export function movesDetail(moves: readonly Move[]): MovesDetail {
  return {
    teachers: moves.length,
    backbone: moves.filter((m) => m.backbone).length,
    toward: moves.filter((m) => m.dir === 'toward').length,
    subjects: tally(moves.map((m) => m.row.subject ?? '')),
    modes: tally(moves.map((m) => m.row.mode)),
    itinerantFte: moves.reduce((a, m) => a + (m.row.mode === 'itinerant' ? m.row.fte ?? 0 : 0), 0),
  };
}
