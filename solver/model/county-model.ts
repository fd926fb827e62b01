// The optimisation model of one county: every allowed move, every rule of policy/rules.ts as a
// linear row, and every term of policy/objective.ts in the objective. Interchangeable teachers
// (same school, stage, subject, backbone, degree class, role, extra subjects, career conditions of
// policy/careers.ts) form one class with an integer flow per column; teachers with a preference, a
// lock, a baseline move, a place on the 顶岗培养 or the must-rotate list or a known home (their commute is priced) are
// classes of one.
//
// This is the FULL model: one column per class × allowed destination × kind of move (transfer,
// 支教, 走教 at its FTE share, 顶岗培养) × subject filled (the main one, or an extra subject by a
// whole move), and for 走教 to several schools one per set of up to maxSchools destinations a
// single 走教 column of the class reaches (model/itinerant-sets.ts). `initial` marks the few promising columns per class that the engine starts from; pricing
// (model/priced-solve.ts) adds every other column that could improve the plan, so "optimal" holds
// for this whole model.
import { MODES, type Mode, type PlanRow, type School, type Stage, type Subject, type Teacher } from '../contract/schemas.ts';
import { pushTo } from '../contract/collections.ts';
import { type CountyContext, floorShare, quotaOf } from '../policy/county.ts';
import { type IndicatorKey, indicatorFlags } from '../policy/indicators.ts';
import { needKey, subjectSupply } from '../policy/needs.ts';
import { careerKey } from '../policy/careers.ts';
import { extrasKey, fillableExtras } from '../policy/extra-subjects.ts';
import {
  type CvFocus, type CvPair, type ObjectiveContext, cvPairs, moveCost, objectiveContext, qCost, qSpan, scopeEntryCost, baselineOffset,
} from '../policy/objective.ts';
import { countyRules, isMustRotate, isNamedShadow, type Move, moveAllowed, movesMax, placeAllowed, postMayStay, rotationBudget, servedSchools } from '../policy/rules.ts';
import { ModelBuilder, type LinearModel, Terms } from './linear-model.ts';
import { type LineVar, addThresholdLines, lineEffects, lineValues } from './threshold-lines.ts';
import { needsStillShort } from './extra-columns.ts';
import { addShareStepRows, shareStepKeys, tallyKey } from './share-steps.ts';
import { severalServed } from './itinerant-sets.ts';
import { initialColumns, scoreOf } from './initial-columns.ts';
import { EndKeys } from './end-keys.ts';

export interface TeacherClass {
  id: number;
  origin: School;
  stage: Stage;
  subject: Subject;
  rep: Teacher;
  members: Teacher[];
  flags: Record<IndicatorKey, boolean>;
  /** A move lock: the class's one teacher must go to this school. */
  lockedTo?: string;
}

export interface Flow {
  v: number;
  cls: TeacherClass;
  to: School;
  /** The kind of move (policy.modes): each allowed kind is its own column and the optimiser picks. */
  mode: Mode;
  /** Share of a teacher the flow takes to the destination: 1, or the 走教 FTE share (at each school served). */
  share: number;
  /** 走教 to several schools (modes.itinerant.maxSchools): the schools served besides `to`, each at `share`; else empty. */
  also: School[];
  /** The extra subject this column's teachers fill at `to` (undefined: their main subject). */
  fills?: Subject;
  /** moveScore, once computed. */
  score?: number;
}

export interface FlowEffects {
  needs: [string, number][];
  tallies: [string, number][];
}

/** One school's count of one stage × indicator: its row and the unit steps up and down from before. */
export interface CvTally {
  pair: CvPair;
  school: string;
  /** Teachers per step: 1, or the 走教 share where a 走教 column can change this count (halves elsewhere would only weaken the LP bound). */
  step: number;
  up: number[];
  down: number[];
}

export interface BuiltModel {
  model: LinearModel;
  classes: TeacherClass[];
  flows: Flow[];
  /** Per column: 1 = in the first restricted model (every non-flow column but the CV steps past what transfers alone could bring in, and the best flows). */
  initial: Uint8Array;
  needs: Map<string, { u: number; gap: number }>;
  tallies: Map<string, CvTally>;
  pairs: CvPair[];
  /** The finest CV step in teachers: 1, or the 走教 share when 走教 is allowed (counts then move in shares). */
  step: number;
  /** Binaries of the school-line term (model/threshold-lines.ts). */
  lines: LineVar[];
  objective: ObjectiveContext;
  /** Slack column of each county constraint (elastic mode only), keyed by constraint key. */
  slacks: Map<string, { lo?: number; hi?: number; min?: number; max?: number }>;
  /** The keys of `needs` and `tallies` by school, for flowEffects. */
  keys: EndKeys;
}

export interface BuildOptions {
  /** Every county constraint gets a priced slack: used to explain an infeasible county. */
  elastic?: boolean;
  /** The plan being re-planned (see weights.changeFromBaseline). */
  baseline?: readonly PlanRow[];
  /** Only dropping or redirecting a baseline move counts as a change (ObjectiveContext.baselineAdditionsFree). */
  baselineAdditionsFree?: boolean;
  /** Price only this stage × indicator's CV (best achievable); per-move terms still follow the policy. */
  focus?: CvFocus;
}

const ELASTIC_PENALTY = 1e4;

/** Groups the teachers who may move (or must: move locks, the 顶岗培养 list) into classes; stay-locked teachers are left out. A teacher on the must-rotate list is a class of their own, so the list's one row moves each of them. */
export function teacherClasses(ctx: CountyContext, o: ObjectiveContext): TeacherClass[] {
  const prefs = new Set(ctx.preferences.map((p) => p.teacher_id));
  const locks = new Map(ctx.locks.map((l) => [l.teacher_id, l]));
  const homePriced = ctx.policy.limits.maxCommuteKm !== null || ctx.policy.weights.commutePerKm > 0;
  const personal = (t: Teacher) =>
    locks.has(t.id) || prefs.has(t.id) || isNamedShadow(ctx, t.id) || isMustRotate(ctx, t.id) || o.baseline?.has(t.id) === true || (homePriced && t.home_lat !== undefined && t.home_lon !== undefined);
  const byKey = new Map<string, TeacherClass>();
  const classes: TeacherClass[] = [];
  for (const t of [...ctx.teachers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const lock = locks.get(t.id);
    if (lock?.action === 'stay') continue;
    if (!ctx.eligibility.get(t.id)?.mayMove && lock?.action !== 'move' && !isNamedShadow(ctx, t.id)) continue;
    const flags = indicatorFlags(t);
    const key = personal(t) ? `one|${t.id}` : `${t.school_id}|${t.stage}|${t.subject}|${flags.backbone}|${flags.aboveDegree}|${t.role}|${careerKey(t, ctx.policy)}|${extrasKey(t)}`;
    let cls = byKey.get(key);
    if (!cls) {
      cls = {
        id: classes.length, origin: ctx.schoolById.get(t.school_id)!, stage: t.stage, subject: t.subject, rep: t, members: [], flags,
        ...(lock?.action === 'move' ? { lockedTo: lock.to_school_id } : {}),
      };
      byKey.set(key, cls);
      classes.push(cls);
    }
    cls.members.push(t);
  }
  return classes;
}

/** Each school a flow changes and by how much of a teacher: +share at every school served, −(share × schools served) at home. */
export const flowEnds = (f: Pick<Flow, 'to' | 'also' | 'share' | 'cls'>): [string, number][] => {
  const served = servedSchools(f);
  return [...served.map((s): [string, number] => [s.id, f.share]), [f.cls.origin.id, -f.share * served.length]];
};

/** The need rows and CV tallies one flow changes, with the sign of the change. */
export function flowEffects(built: Pick<BuiltModel, 'pairs' | 'keys'>, f: Flow): FlowEffects {
  const ends = flowEnds(f);
  const needs: [string, number][] = [];
  for (const [school, sign] of ends) {
    const key = built.keys.need(school, f.cls.stage, sign > 0 ? (f.fills ?? f.cls.subject) : f.cls.subject);
    if (key !== null) needs.push([key, sign]);
  }
  const tallies: [string, number][] = [];
  for (const p of built.pairs) {
    if (p.stage !== f.cls.stage || !f.cls.flags[p.indicator]) continue;
    for (const [school, sign] of ends) {
      const key = built.keys.tally(p, school);
      if (key !== null) tallies.push([key, sign]);
    }
  }
  return { needs, tallies };
}

/** +share for each counted teacher (or 走教 share of one) the flow brings into the pair's CV scope, −share for each it takes out. */
export function scopeCrossing(p: CvPair, f: Flow): number {
  if (p.stage !== f.cls.stage || !f.cls.flags[p.indicator]) return 0;
  // flowEnds' sum, term by term in its order, without its arrays: asked of every column × pair.
  let a = 0;
  for (const s of servedSchools(f)) a += p.schools.has(s.id) ? f.share : 0;
  return a + (p.schools.has(f.cls.origin.id) ? -f.share * (1 + f.also.length) : 0);
}

export function buildModel(ctx: CountyContext, opts: BuildOptions = {}): BuiltModel {
  const b = new ModelBuilder();
  const o = objectiveContext(ctx, opts.baseline, opts.baselineAdditionsFree);
  const w = ctx.policy.weights;
  const classes = teacherClasses(ctx, o);
  const pairs = cvPairs(ctx, opts.focus);
  const budget = rotationBudget(ctx);
  const most = movesMax(ctx); // moves of any kind: the budget and the 顶岗培养 placements outside it
  const cap = (s: string) => floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(s) ?? 0);
  const room = (s: School) => Math.max(quotaOf(s, ctx.policy).quota, ctx.staffBefore.get(s.id) ?? 0) - (ctx.staffBefore.get(s.id) ?? 0);

  // 支教, 走教 and 顶岗培养 keep the post at home: a school's inflow is then not bounded by its quota room.
  const postStays = postMayStay(ctx);
  const itinerant = ctx.policy.modes.itinerant;
  const finest = itinerant.allowed ? itinerant.fte : 1;
  const crossingCost = (f: Flow) => pairs.reduce((a, p) => a + scopeEntryCost(p) * scopeCrossing(p, f), 0);

  // Flow columns: every class × destination × kind of move the move rules allow (the full model),
  // and for whole moves (transfer, 支教, 顶岗培养) one more per extra subject the destination may still be short of.
  // The elastic model may break the outflow cap; a 走教 teacher stays home, bounded by the number of moves only.
  const needed = needsStillShort(ctx, classes, (school) => (opts.elastic ? Infinity : itinerant.allowed ? most : cap(school)));
  const flows: Flow[] = [];
  const addFlow = (cls: TeacherClass, m: Move, fixed: boolean) => {
    // Every flow gets every field up front (score too): one object shape for 10⁶ flows, no property added later.
    const f: Flow = { v: -1, cls, to: m.to, also: m.also ?? [], mode: m.mode, share: m.fte ?? 1, fills: m.fills || undefined, score: undefined };
    f.v = b.addVar('x', { lb: fixed ? 1 : 0, ub: cls.members.length, cost: moveCost(o, m) + crossingCost(f), int: true });
    flows.push(f);
  };
  for (const cls of classes) {
    const itinerantTo: School[] = [];
    const fillable = fillableExtras(cls.rep);
    for (const to of ctx.schools) {
      if ((cls.lockedTo !== undefined && cls.lockedTo !== to.id) || !placeAllowed(ctx, cls.rep, cls.origin, to)) continue;
      // 走教 fills the shortage subject it is allowed for (itinerant_subject) in FTE shares, never an
      // extra subject: a transfer or 支教 teaches a whole post at the destination, so only those fill one.
      const kinds = MODES.map((mode): Move => ({ teacher: cls.rep, from: cls.origin, to, mode, ...(mode === 'itinerant' ? { fte: itinerant.fte } : {}) }))
        .filter((m) => moveAllowed(ctx, m));
      const extras = fillable.filter((s) => needed.has(needKey(to.id, cls.stage, s)));
      const columns: Move[] = [];
      for (const m of kinds) {
        columns.push(m);
        if (m.mode !== 'itinerant') for (const fills of extras) columns.push({ ...m, fills });
      }
      if (kinds.some((m) => m.mode === 'itinerant')) itinerantTo.push(to);
      // A move lock fixes the school, not the kind or the subject: with more than one column to it, a row below.
      for (const m of columns) addFlow(cls, m, cls.lockedTo !== undefined && !opts.elastic && columns.length === 1);
    }
    for (const m of severalServed(ctx, cls.rep, cls.origin, itinerantTo)) addFlow(cls, m, false);
  }
  b.model.offset += baselineOffset(o);

  // Subject needs, in whole teachers: u ≥ required − supply − net inflow of the subject.
  const supplyBefore = subjectSupply(ctx.teachers);
  const needs: BuiltModel['needs'] = new Map();
  for (const n of ctx.needs) {
    const key = needKey(n.school_id, n.stage, n.subject);
    const required = Math.round(n.required);
    if (required > 0 && !needs.has(key)) needs.set(key, { u: b.addVar('u', { cost: w.unfilledNeed }), gap: required - (supplyBefore.get(key) ?? 0) });
  }

  // 差异系数: each in-scope school's count moves in unit steps, each step priced exactly.
  const movers = new Map<string, number>();
  const moversOfKind = new Map<string, number>();
  for (const cls of classes) {
    for (const p of pairs) {
      if (cls.stage !== p.stage || !cls.flags[p.indicator]) continue;
      const k = tallyKey(p.stage, p.indicator, cls.origin.id);
      movers.set(k, (movers.get(k) ?? 0) + cls.members.length);
      moversOfKind.set(`${p.stage}|${p.indicator}`, (moversOfKind.get(`${p.stage}|${p.indicator}`) ?? 0) + cls.members.length);
    }
  }
  const shareSteps = shareStepKeys(flows, pairs);
  const tallies: BuiltModel['tallies'] = new Map();
  const deferred: number[] = [];
  for (const p of pairs) {
    const qc = qCost(p);
    b.model.offset += p.weight;
    for (const [school, { P, R }] of p.schools) {
      const key = tallyKey(p.stage, p.indicator, school);
      const out = movers.get(key) ?? 0;
      const others = (moversOfKind.get(`${p.stage}|${p.indicator}`) ?? 0) - out;
      // Bounds any plan keeps: outflow ≤ cap (走教 shares aside), inflow ≤ quota room + outflow, within the budget (顶岗培养 aside).
      const down = Math.min(R, out, opts.elastic ? out : Math.min(cap(school) + (itinerant.allowed ? finest * itinerant.maxSchools * most : 0), most));
      const byTransfers = Math.min(others, budget.max, room(ctx.schoolById.get(school)!) + cap(school));
      const up = opts.elastic ? others : postStays ? Math.min(others, most) : byTransfers;
      const step = shareSteps.has(key) ? finest : 1;
      const t: CvTally = { pair: p, school, step, up: [], down: [] };
      // Steps of `step` teachers, each priced by the exact change of Q over it. Steps past what
      // transfers alone could bring in wait for pricing: costs rise step by step (convex), so a
      // later step never prices in before an earlier one, and most schools never need them.
      for (let j = 1; j <= Math.floor(up / step + 1e-9); j++) {
        const v = b.addVar('cu', { ub: 1, cost: qc * qSpan(P, R + (j - 1) * step, step) });
        t.up.push(v);
        if (!opts.elastic && j * step > byTransfers + 1e-9) deferred.push(v);
      }
      for (let j = 1; j <= Math.floor(down / step + 1e-9); j++) t.down.push(b.addVar('cd', { ub: 1, cost: -qc * qSpan(P, R - j * step, step) }));
      tallies.set(key, t);
    }
  }
  const built: BuiltModel = {
    model: b.model, classes, flows, initial: new Uint8Array(0), needs, tallies, pairs, step: finest, lines: [], objective: o, slacks: new Map(), keys: new EndKeys(needs, tallies),
  };

  // Rows. Terms are gathered per row first: each flow touches a handful of rows.
  const needTerms = new Map([...needs.keys()].map((k) => [k, new Terms()]));
  const tallyTerms = new Map([...tallies.keys()].map((k) => [k, new Terms()]));
  const shareColumns = new Map<string, number[]>();
  for (const f of flows) {
    const e = flowEffects(built, f);
    f.score = scoreOf(ctx, built, f, e); // moveScore, here where the effects are at hand (initial columns, greedy start)
    for (const [k, s] of e.needs) needTerms.get(k)!.add(f.v, s);
    for (const [k, s] of e.tallies) tallyTerms.get(k)!.add(f.v, s);
    if (f.share !== 1) for (const [k] of e.tallies) pushTo(shareColumns, k, f.v);
  }
  const byClass = new Map<number, Flow[]>();
  for (const f of flows) pushTo(byClass, f.cls.id, f);
  for (const cls of classes) {
    const terms = new Terms();
    for (const f of byClass.get(cls.id) ?? []) terms.add(f.v, 1);
    b.addRow(`cap${cls.id}`, terms, -Infinity, cls.members.length);
  }

  const elastic = (key: string, terms: Terms, min?: number, max?: number) => {
    if (!opts.elastic) return;
    const s: { lo?: number; hi?: number; min?: number; max?: number } = { min, max };
    if (min !== undefined) terms.add((s.lo = b.addVar('slo', { cost: ELASTIC_PENALTY })), 1);
    if (max !== undefined) terms.add((s.hi = b.addVar('shi', { cost: ELASTIC_PENALTY })), -1);
    built.slacks.set(key, s);
  };
  // County rules: each flow is asked once, county-wide rows and the rows of its two schools only.
  const ruleRows = countyRules.flatMap((rule) => rule.constraints(ctx).map((c) => ({ rule, c, terms: new Terms() })));
  const countyWide = ruleRows.filter((r) => r.c.school === undefined);
  const bySchool = new Map<string, typeof ruleRows>();
  for (const r of ruleRows) if (r.c.school !== undefined) pushTo(bySchool, r.c.school, r);
  const schoolRows = (s: School, f: Flow, move: Move) => {
    for (const r of bySchool.get(s.id) ?? []) r.terms.add(f.v, r.c.coef(move));
  };
  for (const f of flows) {
    const move: Move = { teacher: f.cls.rep, from: f.cls.origin, to: f.to, also: f.also, mode: f.mode };
    for (const r of countyWide) r.terms.add(f.v, r.c.coef(move));
    // Its home school, then each school served (servedSchools' order), with no array per flow.
    schoolRows(f.cls.origin, f, move);
    schoolRows(f.to, f, move);
    for (const s of f.also) schoolRows(s, f, move);
  }
  let rowNo = 0;
  for (const { rule, c, terms } of ruleRows) {
    const min = c.min ?? -Infinity;
    const max = c.max ?? Infinity;
    if (terms.idx.length === 0 && min <= 0 && max >= 0) continue;
    elastic(c.key, terms, c.min, c.max);
    b.addRow(`r${rowNo++}_${rule.id}`, terms, min, max);
  }
  // A move lock as a row over the class's columns to the locked school (one per kind and subject it may fill):
  // always in the elastic model, where a lock may give way at a price like any other rule, and
  // wherever a column bound cannot say it (more than one column).
  for (const cls of classes) {
    if (cls.lockedTo === undefined) continue;
    const own = byClass.get(cls.id) ?? [];
    if (!opts.elastic && own.length <= 1) continue;
    const terms = new Terms();
    for (const f of own) terms.add(f.v, 1);
    elastic(`lock_${cls.rep.id}`, terms, 1, undefined);
    b.addRow(`r${rowNo++}_lock`, terms, 1, Infinity);
  }
  for (const [key, n] of needs) b.addRow(`need${rowNo++}`, needTerms.get(key)!.add(n.u, 1), n.gap, Infinity);
  for (const [key, t] of tallies) {
    const terms = tallyTerms.get(key)!;
    for (const v of t.up) terms.add(v, -t.step);
    for (const v of t.down) terms.add(v, t.step);
    b.addRow(`cv${rowNo++}`, terms, 0, 0);
  }
  addShareStepRows(b, tallies, shareColumns);
  if (ctx.policy.indicators.neverWorse) {
    // CV² after ≤ CV² before ⇐ Q − Q0 ≤ (2·Q0/R0)·ΔR (R² ≥ R0² + 2·R0·ΔR): never worse, also when ΔR ≠ 0.
    for (const p of pairs) {
      const terms = new Terms();
      const steps: number[] = [];
      for (const t of tallies.values()) {
        if (t.pair !== p) continue;
        for (const v of [t.up, t.down].flat()) steps.push(v);
        const { P, R } = p.schools.get(t.school)!;
        t.up.forEach((v, j) => terms.add(v, qSpan(P, R + j * t.step, t.step)));
        t.down.forEach((v, j) => terms.add(v, -qSpan(P, R - (j + 1) * t.step, t.step)));
      }
      for (const f of flows) {
        const c = scopeCrossing(p, f);
        if (c !== 0) terms.add(f.v, (-2 * p.Q0 * c) / p.R0);
      }
      elastic(`neverworse_${p.stage}_${p.indicator}`, terms, undefined, 0);
      // Convexity fills the steps in order, so whole steps change no optimum; where this row binds,
      // whole steps let HiGHS treat it as a knapsack: such counties prove in seconds, not at the
      // time limit (60,000-teacher bench). Elsewhere they would only slow branch and bound.
      b.model.integralWhenBinding.push({ row: b.model.rows.length, columns: steps });
      b.addRow(`neverworse_${p.stage}_${p.indicator}`, terms, -Infinity, 0);
    }
  }
  built.lines = addThresholdLines(b, ctx, classes, flows, opts.elastic);
  built.initial = initialColumns(ctx, built);
  for (const v of deferred) built.initial[v] = 0;
  return built;
}

/** A full column vector from flow values: need shortfalls and CV steps follow from the flows. */
export function completeSolution(built: BuiltModel, flowValue: (f: Flow) => number): Float64Array {
  const x = new Float64Array(built.model.vars.length);
  const net = new Map<string, number>();
  const lineNet = new Map<string, number>();
  for (const f of built.flows) {
    const k = flowValue(f);
    if (k === 0) continue;
    x[f.v] = k;
    const e = flowEffects(built, f);
    for (const [key, s] of [...e.needs, ...e.tallies]) net.set(key, (net.get(key) ?? 0) + s * k);
    for (const [key, s] of lineEffects(f)) lineNet.set(key, (lineNet.get(key) ?? 0) + s * k);
  }
  lineValues(built.lines, lineNet, x);
  for (const [key, n] of built.needs) x[n.u] = Math.max(0, n.gap - (net.get(key) ?? 0));
  for (const [key, t] of built.tallies) {
    const d = net.get(key) ?? 0;
    (d > 0 ? t.up : t.down).slice(0, Math.round(Math.abs(d) / t.step)).forEach((v) => (x[v] = 1));
  }
  return x;
}
