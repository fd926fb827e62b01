// The optimisation model of one county. Interchangeable teachers (same school, stage, subject,
// backbone, degree class) form one class with an integer flow to each candidate destination;
// teachers with a preference, a commute limit or a lock are classes of one. The hard rules come
// from policy.ts; the objective (README "The model") fills subject needs, evens out the teacher
// indicators (a linear stand-in for the 差异系数), favours rural and weak destinations, honours
// preferences and avoids needless moves.
import type { School, Stage, Subject, Teacher } from '../contract/schemas.ts';
import { pushTo } from '../contract/collections.ts';
import { type CountyContext, distanceKm, isRuralOrWeak } from '../policy/county.ts';
import { INDICATOR_KEYS, type IndicatorKey, indicatorFlags, schoolIndicators } from '../policy/indicators.ts';
import { ModelBuilder, type LinearModel } from './linear-model.ts';
import { needKey, subjectSupply } from '../policy/needs.ts';
import { countyRules, type Move, moveAllowed } from '../policy/rules.ts';

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
}

export interface BuiltModel {
  model: LinearModel;
  classes: TeacherClass[];
  flows: Flow[];
  /** Slack column of each county constraint (elastic mode only), keyed by constraint key. */
  slacks: Map<string, { lo?: number; hi?: number; min?: number; max?: number }>;
  pruned: boolean;
}

export interface BuildOptions {
  /** Keep only the best `policy.solver.destinationsPerClass` destinations of each class. */
  prune: boolean;
  /** Every county constraint gets a priced slack: used to explain an infeasible county. */
  elastic?: boolean;
}

const ELASTIC_PENALTY = 1000;

/** Groups the teachers who may move into classes; stay-locked teachers are left out. */
export function teacherClasses(ctx: CountyContext): TeacherClass[] {
  const prefs = new Set(ctx.preferences.map((p) => p.teacher_id));
  const locks = new Map(ctx.locks.map((l) => [l.teacher_id, l]));
  const commuteLimited = (t: Teacher) => ctx.policy.limits.maxCommuteKm !== null && t.home_lat !== undefined && t.home_lon !== undefined;
  const byKey = new Map<string, TeacherClass>();
  const classes: TeacherClass[] = [];
  for (const t of [...ctx.teachers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const lock = locks.get(t.id);
    if (lock?.action === 'stay') continue;
    if (!ctx.eligibility.get(t.id)?.mayMove && lock?.action !== 'move') continue;
    const flags = indicatorFlags(t);
    const singleton = lock !== undefined || prefs.has(t.id) || commuteLimited(t);
    const key = singleton ? `one|${t.id}` : `${t.school_id}|${t.stage}|${t.subject}|${flags.backbone}|${flags.aboveDegree}`;
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

interface Scoring {
  shortage: Map<string, number>;
  /** Per stage|indicator|school: target − current teachers (positive = the school lacks them). */
  deficit: Map<string, number>;
  prefRank: Map<string, number>;
}

function moveCost(ctx: CountyContext, cls: TeacherClass, to: School, s: Scoring): number {
  const w = ctx.policy.weights;
  const towardRuralOrWeak = (to.locale === 'rural' && cls.origin.locale !== 'rural') || (to.weak && !cls.origin.weak);
  const rank = cls.members.length === 1 ? s.prefRank.get(`${cls.rep.id}|${to.id}`) : undefined;
  return w.move - (towardRuralOrWeak ? w.ruralOrWeakBonus : 0) - (rank ? w.preferenceBonus / rank : 0);
}

function destinationScore(cls: TeacherClass, to: School, s: Scoring): number {
  let score = (s.shortage.get(needKey(to.id, cls.stage, cls.subject)) ?? 0) > 0.5 ? 10 : 0;
  for (const k of INDICATOR_KEYS) if (cls.flags[k] && (s.deficit.get(`${cls.stage}|${k}|${to.id}`) ?? 0) > 0.5) score += 4;
  if (isRuralOrWeak(to) && !isRuralOrWeak(cls.origin)) score += 2;
  if (s.prefRank.has(`${cls.rep.id}|${to.id}`)) score += 20;
  return score - (distanceKm(cls.origin, to) ?? 0) / 100;
}

export function buildModel(ctx: CountyContext, opts: BuildOptions): BuiltModel {
  const b = new ModelBuilder();
  const w = ctx.policy.weights;
  const classes = teacherClasses(ctx);
  const supply = subjectSupply(ctx.teachers);
  // Needs and fair shares are counted in whole teachers — a school cannot hold 0.3 of one. This
  // also keeps the LP relaxation integral in practice (5,000 teachers: ~1 s instead of ~10 s).
  const required = new Map(ctx.needs.map((n) => [needKey(n.school_id, n.stage, n.subject), Math.round(n.required)]));
  const rows = schoolIndicators(ctx.schools, ctx.teachers, ctx.policy).filter((r) => r.inCvScope);
  const scoring: Scoring = {
    shortage: new Map([...required].map(([k, r]) => [k, r - (supply.get(k) ?? 0)])),
    deficit: new Map(),
    prefRank: new Map(ctx.preferences.map((p) => [`${p.teacher_id}|${p.school_id}`, p.rank])),
  };
  const targets = new Map<string, { target: number; before: number; weight: number }>();
  for (const stage of ['primary', 'junior'] as const) {
    const inStage = rows.filter((r) => r.stage === stage);
    const P = inStage.reduce((a, r) => a + r.students, 0);
    for (const k of INDICATOR_KEYS) {
      const R = inStage.reduce((a, r) => a + r[k], 0);
      if (P === 0 || R === 0) continue;
      // Interim proxy until the exact 差异系数 term replaces it.
      const weight = 0.03 * w.cvBalance * Math.sqrt(inStage.length / R);
      for (const r of inStage) {
        const key = `${stage}|${k}|${r.school_id}`;
        targets.set(key, { target: Math.round((R / P) * r.students), before: r[k], weight });
        scoring.deficit.set(key, (R / P) * r.students - r[k]);
      }
    }
  }

  // Flow variables: one per class × allowed (and, when pruning, promising) destination.
  const flows: Flow[] = [];
  const keep = ctx.policy.solver.destinationsPerClass;
  for (const cls of classes) {
    let dests = ctx.schools.filter((to) => moveAllowed(ctx, { teacher: cls.rep, from: cls.origin, to, mode: 'transfer' }));
    if (opts.prune && cls.lockedTo === undefined && dests.length > keep) {
      dests = dests
        .map((to) => ({ to, score: destinationScore(cls, to, scoring) }))
        .sort((a, b2) => b2.score - a.score || (a.to.id < b2.to.id ? -1 : 1))
        .slice(0, keep)
        .map((d) => d.to);
    }
    for (const to of dests) {
      const locked = cls.lockedTo === to.id;
      const v = b.addVar(`x${cls.id}_${to.id.replace(/[^A-Za-z0-9_]/g, '_')}_${flows.length}`, {
        lb: locked && !opts.elastic ? 1 : 0, ub: cls.members.length, cost: moveCost(ctx, cls, to, scoring), int: true,
      });
      flows.push({ v, cls, to });
    }
  }
  const byClass = groupBy(flows, (f) => f.cls.id);
  for (const cls of classes) {
    const fs = byClass.get(cls.id) ?? [];
    if (fs.length > 1) b.addRow(`cap${cls.id}`, fs.map((f) => [f.v, 1]), -Infinity, cls.members.length);
  }
  const touching = new Map<string, Flow[]>();
  for (const f of flows) {
    for (const id of new Set([f.cls.origin.id, f.to.id])) pushTo(touching, id, f);
  }
  const asMove = (f: Flow): Move => ({ teacher: f.cls.rep, from: f.cls.origin, to: f.to, mode: 'transfer' });

  // Hard rules (policy.ts), each a linear row over the flows; elastic mode prices a slack on each.
  const slacks: BuiltModel['slacks'] = new Map();
  let rowNo = 0;
  for (const rule of countyRules) {
    for (const c of rule.constraints(ctx)) {
      const scope = c.school === undefined ? flows : touching.get(c.school) ?? [];
      const terms: [number, number][] = scope.flatMap((f) => {
        const k = c.coef(asMove(f));
        return k !== 0 ? [[f.v, k] as [number, number]] : [];
      });
      const min = c.min ?? -Infinity;
      const max = c.max ?? Infinity;
      if (terms.length === 0 && min <= 0 && max >= 0) continue;
      if (opts.elastic) {
        const s: { lo?: number; hi?: number; min?: number; max?: number } = { min: c.min, max: c.max };
        if (c.min !== undefined) terms.push([(s.lo = b.addVar(`slo${rowNo}`, { cost: ELASTIC_PENALTY })), 1]);
        if (c.max !== undefined) terms.push([(s.hi = b.addVar(`shi${rowNo}`, { cost: ELASTIC_PENALTY })), -1]);
        slacks.set(c.key, s);
      }
      b.addRow(`r${rowNo++}_${rule.id}`, terms, min, max);
    }
  }

  // Objective: unfilled subject need at every school a flow touches (origin protection included).
  const needTerms = new Map<string, [number, number][]>();
  for (const f of flows) {
    for (const [school, sign] of [[f.to.id, 1], [f.cls.origin.id, -1]] as const) {
      const key = needKey(school, f.cls.stage, f.cls.subject);
      pushTo(needTerms, key, [f.v, sign] as [number, number]);
    }
  }
  // Needs and indicator gaps no flow can touch still count, as a constant: objectives then compare
  // across scenarios and prunings.
  for (const [key, r] of required) {
    if (!needTerms.has(key)) b.model.offset += w.unfilledNeed * Math.max(0, r - (supply.get(key) ?? 0));
  }
  for (const [key, terms] of needTerms) {
    const gap = (required.get(key) ?? 0) - (supply.get(key) ?? 0);
    // A need already met can still open up when its teachers leave: keep the row then.
    if (gap <= 0 && !terms.some(([, sign]) => sign < 0)) continue;
    const u = b.addVar(`u_${rowNo}`, { cost: w.unfilledNeed });
    b.addRow(`need${rowNo++}`, [...terms, [u, 1]], gap, Infinity);
  }

  // Objective: distance of each school's indicator count from the county-average target.
  for (const [key, t] of targets) {
    const [stage, k, school] = key.split('|') as [Stage, IndicatorKey, string];
    const terms: [number, number][] = (touching.get(school) ?? []).flatMap((f) =>
      f.cls.stage === stage && f.cls.flags[k] && f.cls.origin.id !== f.to.id ? [[f.v, f.to.id === school ? 1 : -1] as [number, number]] : [],
    );
    if (terms.length === 0) {
      b.model.offset += t.weight * Math.abs(t.target - t.before);
      continue;
    }
    const e = b.addVar(`e_${rowNo}`, { cost: t.weight });
    b.addRow(`devhi${rowNo}`, [...terms, [e, -1]], -Infinity, t.target - t.before);
    b.addRow(`devlo${rowNo++}`, [...terms, [e, 1]], t.target - t.before, Infinity);
  }
  return { model: b.model, classes, flows, slacks, pruned: opts.prune };
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) pushTo(m, key(it), it);
  return m;
}
