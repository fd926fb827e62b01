// A feasible plan built greedily before the MIP, so a busy machine or a short time limit still
// returns a plan whenever this finds one: locked moves first, the 顶岗培养 list next, then the
// backbone teachers the backbone share needs, then anyone, each time the move that on its own
// helps most and keeps every rule (outflow cap, quota, budget, the never-worse switch, leaders per
// school). Principals move only in swaps (rule principal_kept), which single steps cannot make:
// they are left to the MIP.
import { type CountyContext, ceilShare, floorShare, quotaOf } from '../policy/county.ts';
import { qStep } from '../policy/objective.ts';
import { isLeader } from '../policy/leaders.ts';
import { inBudget, isMustRotate, isNamedShadow, movesPost, rotationBudget } from '../policy/rules.ts';
import { type BuiltModel, type Flow, completeSolution, flowEffects } from './county-model.ts';
import { moveScore } from './initial-columns.ts';
import { keepsEveryRow } from './warm-start.ts';

export function greedyStart(ctx: CountyContext, built: BuiltModel): Float64Array | null {
  const budget = rotationBudget(ctx);
  const share = ctx.policy.ratios.minBackboneShareOfRotated;
  const target = budget.min;
  const staff = (s: string) => ctx.staffBefore.get(s) ?? 0;
  const outflow = new Map<string, number>();
  const leadersOut = new Map<string, number>();
  const netIn = new Map<string, number>();
  const left = new Map(built.classes.map((c) => [c.id, c.members.length]));
  const count = new Map<string, number>(); // tally key → change so far
  const guard = new Map(built.pairs.map((p) => [p, 0])); // Q − Q0 − (2·Q0/R0)·ΔR, must stay ≤ 0
  const taken = new Map<number, number>();
  let rotated = 0; // moves in the rotation budget (顶岗培养 is outside it)
  let backbone = 0;

  const fits = (f: Flow): boolean => {
    const from = f.cls.origin.id;
    if ((left.get(f.cls.id) ?? 0) <= 0 || (inBudget(f) === 1 && rotated >= budget.max)) return false;
    if ((outflow.get(from) ?? 0) + 1 > floorShare(ctx.policy.limits.maxOutflowShareOfSchool, staff(from))) return false;
    if (isLeader(f.cls.rep, ctx.policy) && (leadersOut.get(from) ?? 0) + 1 > ctx.policy.leaders.maxLeavingPerSchool) return false;
    if (movesPost(f) && (netIn.get(f.to.id) ?? 0) + 1 > Math.max(quotaOf(f.to, ctx.policy).quota, staff(f.to.id)) - staff(f.to.id)) return false;
    const e = flowEffects(built, f);
    for (const [k, sign] of e.tallies) {
      const t = built.tallies.get(k)!;
      const d = (count.get(k) ?? 0) + sign;
      if (d / t.step > t.up.length + 1e-9 || -d / t.step > t.down.length + 1e-9) return false;
    }
    // A pair already above its never-worse line (after a lock) may only come down.
    return !ctx.policy.indicators.neverWorse || built.pairs.every((p) => guard.get(p)! + guardChange(built, f, p, count) <= Math.max(0, guard.get(p)!) + 1e-9);
  };
  const excess = () => built.pairs.reduce((a, p) => a + Math.max(0, guard.get(p)!), 0);
  const take = (f: Flow) => {
    for (const p of built.pairs) guard.set(p, guard.get(p)! + guardChange(built, f, p, count));
    for (const [k, sign] of flowEffects(built, f).tallies) count.set(k, (count.get(k) ?? 0) + sign);
    left.set(f.cls.id, left.get(f.cls.id)! - 1);
    outflow.set(f.cls.origin.id, (outflow.get(f.cls.origin.id) ?? 0) + 1);
    if (isLeader(f.cls.rep, ctx.policy)) leadersOut.set(f.cls.origin.id, (leadersOut.get(f.cls.origin.id) ?? 0) + 1);
    // netIn counts posts (the quota rule): a 支教 teacher's post stays at home.
    netIn.set(f.to.id, (netIn.get(f.to.id) ?? 0) + movesPost(f));
    netIn.set(f.cls.origin.id, (netIn.get(f.cls.origin.id) ?? 0) - movesPost(f));
    taken.set(f.v, (taken.get(f.v) ?? 0) + 1);
    rotated += inBudget(f);
    if (f.cls.flags.backbone) backbone += inBudget(f);
  };

  // A lock is carried by its class's whole, main-subject columns (transfer or 支教).
  const locked = built.flows.filter((f) => f.cls.lockedTo !== undefined && f.share === 1 && f.fills === undefined);
  for (const f of locked) {
    if ((left.get(f.cls.id) ?? 0) <= 0) continue; // the lock's other kind of move (transfer or 支教) took it
    const other = locked.find((g) => g.cls === f.cls && g !== f && fits(g));
    take(fits(f) || !other ? f : other); // the planner's decision, even where it pushes a 差异系数 up: the moves below must bring it back
  }
  if (built.classes.some((c) => c.lockedTo !== undefined && left.get(c.id)! > 0)) return null; // a lock only 走教 can keep: left to the MIP
  // Each teacher on the 顶岗培养 list to the best host that fits; placements beyond the list are left to the MIP.
  const listed = built.flows.filter((f) => f.mode === 'shadow' && isNamedShadow(ctx, f.cls.rep.id)).sort((a, b) => moveScore(ctx, built, a) - moveScore(ctx, built, b));
  for (const f of listed) if (fits(f)) take(f);
  if (built.classes.some((c) => isNamedShadow(ctx, c.rep.id) && left.get(c.id)! > 0)) return null;
  // Each teacher on the must-rotate list by the best whole move that counts toward rotation and fits.
  const must = built.flows.filter((f) => isMustRotate(ctx, f.cls.rep.id) && f.share === 1 && ctx.policy.modes[f.mode].countsTowardRotation).sort((a, b) => moveScore(ctx, built, a) - moveScore(ctx, built, b));
  for (const f of must) if (fits(f)) take(f);
  if (built.classes.some((c) => isMustRotate(ctx, c.rep.id) && left.get(c.id)! > 0)) return null;
  // Indices sorted by score (typed arrays: a county's flows run to 10⁵–10⁶). Whole moves only: the
  // MIP is free to turn any of them into 走教 shares.
  const flows = built.flows.filter((f) => f.cls.lockedTo === undefined && f.share === 1 && f.mode !== 'shadow' && f.cls.rep.role !== 'principal');
  const score = Float64Array.from(flows, (f) => moveScore(ctx, built, f));
  const ranked = Array.from(Uint32Array.from(flows.keys()).sort((a, b) => score[a]! - score[b]! || a - b), (i) => flows[i]!);
  const fill = (want: (f: Flow) => boolean, enough: () => boolean) => {
    for (const f of ranked) {
      if (enough()) return;
      // Each flow may carry several teachers of its class: take it while it fits.
      while (!enough() && want(f) && fits(f)) take(f);
    }
  };
  if (ctx.policy.indicators.neverWorse) {
    for (const f of ranked) {
      if (excess() <= 1e-9) break;
      if (fits(f) && built.pairs.some((p) => guard.get(p)! > 1e-9 && guardChange(built, f, p, count) < 0)) take(f);
    }
    if (excess() > 1e-9) return null;
  }
  const finalCount = () => Math.max(target, rotated);
  fill((f) => f.cls.flags.backbone, () => backbone >= ceilShare(share, finalCount()));
  fill((f) => f.cls.flags.backbone || backbone >= ceilShare(share, rotated + 1), () => rotated >= target);
  if (rotated < target || backbone < ceilShare(share, rotated)) return null;
  // The greedy steps know the common rules only: the engine trusts a start, so one breaking any
  // other row of the model (the leaders' rules, say) is not offered.
  const x = completeSolution(built, (f) => taken.get(f.v) ?? 0);
  return keepsEveryRow(built.model, x) ? x : null;
}

/** How one more teacher on flow f changes the pair's never-worse row (same arithmetic as the model's). */
function guardChange(built: BuiltModel, f: Flow, p: BuiltModel['pairs'][number], count: ReadonlyMap<string, number>): number {
  if (f.cls.stage !== p.stage || !f.cls.flags[p.indicator]) return 0;
  let d = 0;
  for (const [school, sign] of [[f.to.id, 1], [f.cls.origin.id, -1]] as const) {
    const s = p.schools.get(school);
    if (!s) continue;
    const now = s.R + (count.get(`${p.stage}|${p.indicator}|${school}`) ?? 0);
    d += sign > 0 ? qStep(s.P, now) : -qStep(s.P, now - 1);
  }
  const cross = Number(p.schools.has(f.to.id)) - Number(p.schools.has(f.cls.origin.id));
  return d - (2 * p.Q0 * cross) / p.R0;
}
