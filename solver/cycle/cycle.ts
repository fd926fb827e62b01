// One appointment cycle of 县管校聘 (domain.md §e item 4), county by county: 校内竞聘 → 跨校竞聘 →
// 组织调剂 → the county pool. It may stop after any round and go on from rows the planner edited.
// Each round is checked against the rules that apply to it; the cycle's final plan by auditPlan.
import type { Dataset } from '../contract/dataset.ts';
import type { Application, PlanRow } from '../contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../policy/county.ts';
import { needKey } from '../policy/needs.ts';
import { type RuleResult, countsTowardRotation, moveRules } from '../policy/rules.ts';
import type { Engine } from '../model/engine.ts';
import { type PlanAudit, auditPlan } from '../report/audit.ts';
import { blockingPairs } from './deferred-acceptance.ts';
import { type OrganisedRound, cyclePolicy, organisedRound } from './organised.ts';
import { postsOf } from './round-posts.ts';
import { ROUND_NAMES, type RoundNo, type RoundRow } from './round-rows.ts';
import { crossSchoolMarket, crossSchoolRound, inSchoolRound, keepsPost } from './rounds.ts';

export interface RoundSummary {
  county: string;
  round: RoundNo;
  name: string;
  entered: number;
  placed: number;
  /** Left for the next round (rounds 1–2) or sent to the pool (round 3). */
  left: number;
  /** Teachers the round moves to another school; those counting toward the 10%, and their backbone. */
  moved: number;
  counted: number;
  backbone: number;
  /** The round's share of the rotation: counted ÷ eligible (the 10% rule's denominator). */
  share_of_eligible: number | null;
  /** The rules that apply to this round, checked on its own output. */
  checks: { id: string; name: string; ok: boolean; actual: string; details: string[] }[];
  ok: boolean;
}

export interface CycleResult {
  rows: RoundRow[];
  rounds: RoundSummary[];
  /** Round 3 per county; empty when the cycle stopped earlier. */
  organised: OrganisedRound[];
  /** The dataset the final plan is audited with: its policy's budget reaches the cycle's placements. */
  dataset: Dataset;
  plan: PlanRow[];
  audit: PlanAudit | null;
}

const check = (r: RuleResult) => ({ id: r.id, name: r.name, ok: r.ok, actual: r.actual, details: r.details ?? [] });

/**
 * Runs rounds after those of `from` (edited rows of rounds 1…k, or none) up to `stopAfter`. `ds`
 * comes with its history applied by the caller (history.ts applyHistory, as `lungang rounds` and the
 * server's rounds job do), so the edited file's checks and the rounds see the same stay locks.
 */
export async function runCycle(ds: Dataset, applications: readonly Application[], engine: Engine,
  opts: { from?: readonly RoundRow[]; stopAfter?: RoundNo } = {}): Promise<CycleResult> {
  const stop = opts.stopAfter ?? 3;
  const done = Math.max(0, ...(opts.from ?? []).map((r) => r.round));
  const rows: RoundRow[] = [...(opts.from ?? [])];
  for (const county of countiesOf(ds)) {
    const ctx = buildCountyContext(county, ds);
    const posts = postsOf(ctx);
    if (done < 1 && stop >= 1) rows.push(...inSchoolRound(ctx, posts));
    const round1 = rows.filter((r) => r.round === 1 && ctx.teacherById.has(r.teacher_id));
    if (done < 2 && stop >= 2) rows.push(...crossSchoolRound(ctx, posts, round1, applications));
  }
  // Every teacher round 2 saw (placed there, still unplaced, move-locked) may move in the cycle.
  const movers = countiesOf(ds).map((county) => {
    const ctx = buildCountyContext(county, ds);
    return { n: rows.filter((r) => r.round === 2 && ctx.teacherById.has(r.teacher_id)).length, eligible: ctx.eligibleCount };
  });
  // One policy for the whole file: the largest share any county needs (a range, so no county is held to it).
  const need = movers.reduce((a, m) => Math.max(a, m.eligible > 0 ? m.n / m.eligible : 0), 0);
  const cycleDs: Dataset = { ...ds, policy: cyclePolicy(ds, need) };
  const organised: OrganisedRound[] = [];
  if (stop >= 3) {
    for (const county of countiesOf(ds)) {
      const ctx = buildCountyContext(county, ds);
      const o = await organisedRound(cycleDs, county, rows.filter((r) => ctx.teacherById.has(r.teacher_id)), engine);
      organised.push(o);
      rows.push(...o.rows);
    }
  }
  const plan = stop >= 3 ? organised.flatMap((o) => o.plan.rows) : [];
  const audit = stop >= 3 ? auditPlan(cycleDs, plan) : null;
  return { rows, rounds: summaries(cycleDs, rows, applications, organised, audit), organised, dataset: cycleDs, plan, audit };
}

function summaries(ds: Dataset, rows: readonly RoundRow[], applications: readonly Application[], organised: readonly OrganisedRound[], audit: PlanAudit | null): RoundSummary[] {
  const out: RoundSummary[] = [];
  for (const county of countiesOf(ds)) {
    const ctx = buildCountyContext(county, ds);
    const posts = postsOf(ctx);
    const of = (round: RoundNo) => rows.filter((r) => r.round === round && ctx.teacherById.has(r.teacher_id));
    const r1 = of(1);
    const r2 = of(2);
    const planOf = organised.find((o) => o.county === county)?.plan;
    const moves = {
      1: [],
      2: r2.filter((r) => r.outcome === 'placed').map((r) => ({ teacher: ctx.teacherById.get(r.teacher_id)!, from: ctx.schoolById.get(r.from_school_id)!, to: ctx.schoolById.get(r.to_school_id)!, mode: 'transfer' as const })),
      3: (planOf?.moves ?? []).filter((m) => !r2.some((r) => r.teacher_id === m.teacher.id && r.outcome === 'placed')),
    };
    const checks = {
      1: [inSchoolCheck(ctx, posts, r1)],
      2: crossSchoolChecks(ds, ctx, posts, r1, r2, applications),
      3: audit ? [check(audit.integrity), ...audit.counties.filter((c) => c.county === county).flatMap((c) => c.rules.map(check))] : [],
    };
    for (const round of [1, 2, 3] as const) {
      const entered = of(round);
      if (entered.length === 0 && !(round === 3 && planOf)) continue;
      const counted = moves[round].filter((m) => countsTowardRotation(ctx, m) === 1);
      out.push({
        county, round, name: ROUND_NAMES[round][0], entered: entered.length,
        placed: entered.filter((r) => r.outcome === 'placed').length, left: entered.filter((r) => r.outcome !== 'placed').length,
        moved: moves[round].length, counted: counted.length, backbone: counted.filter((m) => m.teacher.backbone !== 'none').length,
        share_of_eligible: ctx.eligibleCount > 0 ? counted.length / ctx.eligibleCount : null,
        checks: checks[round], ok: checks[round].every((c) => c.ok),
      });
    }
  }
  return out;
}

/** Round 1: every teacher has one row at the own school, and those who competed take no more than the posts left. */
function inSchoolCheck(ctx: ReturnType<typeof buildCountyContext>, posts: ReadonlyMap<string, number>, r1: readonly RoundRow[]) {
  const bad: string[] = [];
  const seen = new Set(r1.map((r) => r.teacher_id));
  for (const t of ctx.teachers) if (!seen.has(t.id)) bad.push(`教师${t.id}没有第1轮记录`);
  const count = new Map<string, { kept: number; won: number }>();
  for (const r of r1) {
    const t = ctx.teacherById.get(r.teacher_id)!;
    if (r.outcome === 'placed' && r.to_school_id !== t.school_id) bad.push(`教师${t.id}第1轮只能在本校${t.school_id}上岗，记录为${r.to_school_id}`);
    if (r.outcome !== 'placed') continue;
    const k = needKey(t.school_id, t.stage, t.subject);
    const c = count.get(k) ?? { kept: 0, won: 0 };
    if (keepsPost(ctx, t) === null) c.won++; else c.kept++;
    count.set(k, c);
  }
  for (const [k, c] of count) {
    const p = posts.get(k) ?? 0;
    if (c.won > Math.max(0, p - c.kept)) bad.push(`${k.replaceAll('|', ' ')}：岗位${p}个，保留岗位${c.kept}人，竞聘上岗${c.won}人，超出岗位数`);
  }
  return { id: 'in_school_posts', name: '校内竞聘上岗人数不超过岗位数', ok: bad.length === 0, actual: `${bad.length}处不符`, details: bad };
}

/** Round 2: its moves under every move rule, the outflow cap and the quota, and the matching stable. */
function crossSchoolChecks(ds: Dataset, ctx: ReturnType<typeof buildCountyContext>, posts: ReadonlyMap<string, number>,
  r1: readonly RoundRow[], r2: readonly RoundRow[], applications: readonly Application[]) {
  const rows: PlanRow[] = r2.filter((r) => r.outcome === 'placed').map((r) => ({ teacher_id: r.teacher_id, from_school_id: r.from_school_id, to_school_id: r.to_school_id, mode: 'transfer', reason: r.reason }));
  const a = auditPlan({ ...ds, schools: ctx.schools, teachers: ctx.teachers }, rows);
  const ids = new Set([...moveRules.map((r) => r.id), 'outflow_cap', 'quota']);
  const rules = [check(a.integrity), ...a.counties.flatMap((c) => c.rules.filter((r) => ids.has(r.id)).map(check))];
  return [...rules, stableCheck(ctx, posts, r1, r2, applications)];
}

/** Round 2's matching (the market rebuilt from round 1, the matches from its rows) has no blocking pair. */
function stableCheck(ctx: ReturnType<typeof buildCountyContext>, posts: ReadonlyMap<string, number>,
  r1: readonly RoundRow[], r2: readonly RoundRow[], applications: readonly Application[]) {
  const { market } = crossSchoolMarket(ctx, posts, r1, applications);
  const match = new Map(r2.filter((r) => r.outcome === 'placed').map((r) => [r.teacher_id, r.to_school_id]));
  const pairs = blockingPairs(market, match).map(([t, s]) => `教师${t}与学校${s}都更愿互相匹配`);
  return { id: 'cross_school_stable', name: '跨校竞聘结果稳定（无教师与学校都更愿互相匹配）', ok: pairs.length === 0, actual: `${pairs.length}对阻塞`, details: pairs };
}
