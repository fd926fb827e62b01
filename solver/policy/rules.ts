// The policy, on one screen: every rule a plan must keep, named as a planner would say it, with
// the clause it comes from and its parameter. The optimisation model and the audit both read
// these definitions, so a plan the solver returns is checked by the very rules it was built from.
//
// Two kinds of rule:
// - move rules judge one move on its own; the model only creates moves that pass them;
// - county rules are sums over all moves (Σ coef(move) within [min, max]); the model adds them as
//   linear constraints and the audit adds up the plan's moves with the same coefficients.
//
// The rules themselves live by kind: policy/move-rules.ts (one move), policy/county-rules.ts (sums
// over the plan) with policy/leaders.ts (principals and vice-principals) and policy/shadow.ts
// (顶岗培养, also its move rule); their shapes in
// policy/rule-kit.ts. This file evaluates them the one way the model, the audit and the report share.
import type { School, Teacher } from '../contract/schemas.ts';
import type { CountyContext } from './county.ts';
import { countyRules } from './county-rules.ts';
import { moveRules } from './move-rules.ts';
import type { Move, RuleResult } from './rule-kit.ts';

export { countyRules } from './county-rules.ts';
export { moveRules } from './move-rules.ts';
export {
  type CountyRule, type Move, type MoveRule, type RuleResult, type SumConstraint, countsTowardRotation, inBudget, isMustRotate, isNamedShadow, leavesHome, modeAllowed,
  movesMax, mustRotateOf, movesPost, perServed, postMayStay, rotationBudget, servedSchools, shadowCap,
} from './rule-kit.ts';

/** Every county rule evaluated on a list of moves (the audit's and the report's view). */
export function checkCountyRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return countyRules.map((rule) => {
    const sums = rule.constraints(ctx).map((c) => moves.reduce((acc, m) => acc + c.coef(m), 0));
    return { id: rule.id, name: rule.name, name_en: rule.name_en, clause: rule.clause, clause_en: rule.clause_en, ...rule.result(ctx, sums, moves) };
  });
}

/** Every move rule evaluated on each move. */
export function checkMoveRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return moveRules.map((rule) => {
    const bad = moves.filter((m) => rule.violation(ctx, m) !== null);
    return {
      id: rule.id, name: rule.name, name_en: rule.name_en, clause: rule.clause, clause_en: rule.clause_en,
      required: '0 项违反', required_en: 'no violations', actual: `${bad.length}/${moves.length} 项违反`, actual_en: `${bad.length} of ${moves.length} moves violate`,
      ok: bad.length === 0, numerator: bad.length, denominator: moves.length,
      details: bad.map((m) => rule.violation(ctx, m)!), details_en: bad.map((m) => rule.violationEn(ctx, m)!),
    };
  });
}

/** True when a teacher may be sent to a school under every move rule (the model's destination filter). */
export function moveAllowed(ctx: CountyContext, m: Move): boolean {
  return moveRules.every((r) => r.allows(ctx, m));
}

const placeRules = moveRules.filter((r) => r.anyMode);

/**
 * False when no kind of move from `from` to `to` can keep every move rule, by the rules blind to
 * the kind (anyMode): the model skips such a school before asking moveAllowed of each kind, which
 * at 460 schools × 5,000 classes was millions of candidate moves for nothing.
 */
export function placeAllowed(ctx: CountyContext, teacher: Teacher, from: School, to: School): boolean {
  const m: Move = { teacher, from, to, mode: 'transfer' };
  return placeRules.every((r) => r.allows(ctx, m));
}
