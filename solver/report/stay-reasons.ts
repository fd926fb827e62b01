// Why each teacher who may move stays where they are, with the numbers behind it. Reasons are
// tried in the order a planner asks: a lock, nowhere to go, the school's outflow cap, the school's
// own subject need, the rotation budget; the first that holds is the reason given.
import type { Dataset } from '../contract/dataset.ts';
import type { Teacher } from '../contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { type CountyContext, buildCountyContext, ceilShare } from '../policy/county.ts';
import { needKey, supplyAfterMoves } from '../policy/needs.ts';
import { noDestinationText, obstacleOf, outflowCap, pct } from '../policy/precheck.ts';
import { type Move, inBudget, leavesHome, rotationBudget } from '../policy/rules.ts';
import type { CountyPlan } from '../pipeline.ts';

/** report.json `stay_reasons`: teacher id → why a teacher who may move stays. */
export type StayReasons = Record<string, string>;

/** What the plan as a whole looks like from one school: its outflow and its teachers per subject after the moves. */
interface PlanView {
  ctx: CountyContext;
  moves: Move[];
  outflow: Map<string, number>;
  /** Moves in the rotation budget (顶岗培养 is outside it). */
  budgeted: number;
  supplyAfter: Map<string, number>;
  /** Needs rounded to whole teachers, as the model counts them. */
  required: Map<string, number>;
}

function planView(ctx: CountyContext, moves: Move[]): PlanView {
  const outflow = new Map<string, number>();
  for (const m of moves) outflow.set(m.from.id, (outflow.get(m.from.id) ?? 0) + leavesHome(m));
  return {
    ctx, moves, outflow, budgeted: moves.reduce((a, m) => a + inBudget(m), 0), supplyAfter: supplyAfterMoves(ctx.teachers, moves),
    required: new Map(ctx.needs.map((n) => [needKey(n.school_id, n.stage, n.subject), Math.round(n.required)])),
  };
}

/** A stay lock, or no destination any rule allows. */
function cannotMove(v: PlanView, t: Teacher): string | null {
  const o = obstacleOf(v.ctx, t);
  if (o?.kind === 'stay_lock') return `锁定留任：${o.reason}`;
  if (o?.kind === 'no_destination') return `无可去学校：${noDestinationText(v.ctx.policy, o)}`;
  return null;
}

function outflowFull(v: PlanView, t: Teacher): string | null {
  const cap = outflowCap(v.ctx, t.school_id);
  const out = v.outflow.get(t.school_id) ?? 0;
  if (out < cap) return null;
  const formula = `⌊${pct(v.ctx.policy.limits.maxOutflowShareOfSchool)} × ${v.ctx.staffBefore.get(t.school_id)}⌋`;
  return cap === 0 ? `本校流出上限为0人（${formula}），不能调出` : `本校流出已达上限（已调出${out}人 = ${formula}）`;
}

/** Leaving would open (or widen) a gap in the teacher's subject at their own school, after the plan's moves. */
function originNeed(v: PlanView, t: Teacher): string | null {
  const key = needKey(t.school_id, t.stage, t.subject);
  const need = v.required.get(key) ?? 0;
  const have = v.supplyAfter.get(key) ?? 0;
  if (need === 0 || have > need) return null;
  const school = v.ctx.schoolById.get(t.school_id);
  const subject = `${school?.stage === 'nine_year' ? STAGE_ZH[t.stage] : ''}${SUBJECT_ZH[t.subject]}`;
  const state = have < need ? `${subject}缺口` : `${subject}教师刚好够用`;
  return `留任：本校${state}，调出会新增缺口（需${need}人，交流后现有${have}人）`;
}

function budgetFull(v: PlanView): string | null {
  const b = rotationBudget(v.ctx);
  if (v.budgeted < b.max) return null;
  const { minRotatedShareOfEligible: min, maxRotatedShareOfEligible: max } = v.ctx.policy.ratios;
  const share = max !== null && ceilShare(max, b.eligible) === b.max ? max : min;
  const basis = ceilShare(share, b.eligible) === b.max ? `⌈${pct(share)} × ${b.eligible}⌉` : `锁定交流${b.lockedMoves}人`;
  return `名额已满：本次只需交流${b.max}人（交流预算${basis}）`;
}

/** The budget had room, yet the optimiser left this teacher: moving them did not pay under the objective. */
function notChosen(v: PlanView): string {
  const room = rotationBudget(v.ctx).max - v.budgeted;
  return `未选中：再调出此人不能进一步改善均衡或补缺（预算内还可多交流${room}人）`;
}

/** Every eligible teacher (and volunteer) the plan leaves at their school, with the first reason that holds. */
export function stayReasons(ctx: CountyContext, moves: Move[]): Map<string, string> {
  const moved = new Set(moves.map((m) => m.teacher.id));
  const v = planView(ctx, moves);
  const out = new Map<string, string>();
  for (const t of ctx.teachers) {
    if (moved.has(t.id) || !ctx.eligibility.get(t.id)!.mayMove) continue;
    out.set(t.id, cannotMove(v, t) ?? outflowFull(v, t) ?? originNeed(v, t) ?? budgetFull(v) ?? notChosen(v));
  }
  return out;
}

/** Stay reasons of every county that has a plan (a county with no plan has nobody to explain). */
export function stayReasonsOf(ds: Dataset, plans: readonly CountyPlan[]): StayReasons {
  const out: StayReasons = {};
  for (const p of plans) {
    if (p.status === 'infeasible') continue;
    for (const [id, why] of stayReasons(buildCountyContext(p.county, ds), p.moves)) out[id] = why;
  }
  return out;
}
