// Round 3, 组织调剂: the bureau places whoever the two 竞聘 rounds left, with the optimiser under
// every rotation rule (solver/pipeline.ts). Round 1's placements become stay locks and round 2's
// move locks, so the optimiser moves only the unplaced, and the rules that sum over the plan
// (10% / 20% shares, outflow cap, quota, 差异系数) are kept on the cycle's whole result. Whoever it
// cannot place goes to the county pool (蓄水池, seed 001 §12: 待岗/培训).
import type { Dataset } from '../contract/dataset.ts';
import type { Lock, Policy } from '../contract/schemas.ts';
import { MODE_ZH } from '../contract/labels.ts';
import { buildCountyContext } from '../policy/county.ts';
import type { Engine } from '../model/engine.ts';
import { type CountyPlan, planCounty } from '../pipeline.ts';
import { stayReasons } from '../report/stay-reasons.ts';
import { type RoundRow, roundRow } from './round-rows.ts';

export interface OrganisedRound {
  county: string;
  rows: RoundRow[];
  plan: CountyPlan;
  /**
   * True when round 1's placements had to be opened to the optimiser: the unplaced alone could not
   * meet the rotation minimum or the backbone share, so the bureau rotates placed teachers too (R1, R3).
   */
  reopened: boolean;
}

/**
 * The cycle's policy: the rotation budget reaches up to every teacher the rounds may move (round-2
 * placements, the unplaced, move locks), so no unplaced teacher is sent to the pool for want of
 * budget; a placement costs nothing in itself (weights.move 0) — the bureau places all it can.
 */
export function cyclePolicy(ds: Dataset, moversShareOfEligible: number): Policy {
  const r = ds.policy.ratios;
  const share = Math.min(1, moversShareOfEligible);
  const max = Math.max(share, r.maxRotatedShareOfEligible ?? 0);
  return { ...ds.policy, ratios: { ...r, maxRotatedShareOfEligible: max > r.minRotatedShareOfEligible ? max : r.maxRotatedShareOfEligible } };
}

/** Round 3 of one county, after rounds 1 and 2 (`earlier`: their rows). `ds.policy` is the cycle's policy. */
export async function organisedRound(ds: Dataset, county: string, earlier: readonly RoundRow[], engine: Engine): Promise<OrganisedRound> {
  const last = new Map(earlier.map((r) => [r.teacher_id, r]));
  const placedAtHome = earlier.filter((r) => r.round === 1 && r.outcome === 'placed' && last.get(r.teacher_id) === r);
  const crossSchool = earlier.filter((r) => r.round === 2 && r.outcome === 'placed');
  const locked = new Set(ds.locks.map((l) => l.teacher_id));
  const stays: Lock[] = placedAtHome.filter((r) => !locked.has(r.teacher_id))
    .map((r) => ({ teacher_id: r.teacher_id, action: 'stay', reason: '第1轮校内竞聘上岗' }));
  const moves: Lock[] = crossSchool.filter((r) => !locked.has(r.teacher_id))
    .map((r) => ({ teacher_id: r.teacher_id, action: 'move', to_school_id: r.to_school_id, reason: r.reason }));
  const free = { ...ds, policy: { ...ds.policy, weights: { ...ds.policy.weights, move: 0 } } };
  const strict = await planCounty(buildCountyContext(county, { ...free, locks: [...ds.locks, ...stays, ...moves] }), engine);
  // When the unplaced cannot carry the 10% / 20% alone, placed teachers rotate too, each move priced as in a plan.
  const reopened = strict.status === 'infeasible' && strict.noPlanCause === 'conflict';
  const ctx = buildCountyContext(county, { ...ds, locks: [...ds.locks, ...moves] });
  const plan = reopened ? await planCounty(ctx, engine) : strict;
  const entering = new Set(earlier.filter((r) => r.outcome === 'unplaced' && last.get(r.teacher_id) === r).map((r) => r.teacher_id));
  const done = new Set(crossSchool.map((r) => r.teacher_id));
  const why = plan.status === 'infeasible' ? new Map<string, string>() : stayReasons(ctx, plan.moves);
  const rows: RoundRow[] = [];
  for (const m of plan.moves) {
    if (done.has(m.teacher.id)) continue;
    const row = plan.rows.find((r) => r.teacher_id === m.teacher.id);
    const how = m.mode === 'transfer' ? '' : `（${MODE_ZH[m.mode]}）`;
    const head = entering.has(m.teacher.id) ? '组织调剂' : '组织调剂（为完成交流比例，调离第1轮岗位）';
    rows.push(roundRow(3, m.teacher, 'placed', m.to.id, `${head}${how}：${row?.reason ?? ''}`));
  }
  const moved = new Set(plan.moves.map((m) => m.teacher.id));
  for (const id of entering) {
    if (moved.has(id)) continue;
    const t = ctx.teacherById.get(id)!;
    const cause = plan.status === 'infeasible' ? `组织调剂无可行方案（${plan.conflicts[0]?.message ?? plan.message ?? ''}）` : (why.get(id) ?? '无可调剂的岗位');
    rows.push(roundRow(3, t, 'pool', '', `${cause}；进入县域教师蓄水池（待岗/培训）`));
  }
  return { county, rows, plan, reopened };
}
