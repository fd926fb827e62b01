// The model asks move rules in two quick ways (policy/rule-kit.ts `allows`, policy/rules.ts
// `placeAllowed`): each must answer exactly as the rules' findings do, or the model would lose or
// gain columns. Checked on every teacher × school × kind of move of generated counties, with
// locks, a commute limit and 学区 in play, and 走教 to several schools.
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../data/generate.ts';
import { MODES, type Policy, defaultPolicy } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { type Move, moveAllowed, moveRules, placeAllowed } from '../solver/policy/rules.ts';

function county(seed: number, tune: (p: Policy) => void) {
  const policy = defaultPolicy();
  tune(policy);
  const ds = { ...generateCounty({ teachers: 300, seed }), policy };
  return buildCountyContext(countiesOf(ds)[0]!, ds);
}

const POLICIES: Record<string, (p: Policy) => void> = {
  default: () => {},
  'commute ≤ 15 km, cluster only, 走教 to two schools': (p) => {
    p.limits.maxCommuteKm = 15;
    p.flows.cluster = 'only';
    p.modes.itinerant.allowed = true;
    p.modes.itinerant.maxSchools = 2;
    p.modes.itinerant.fte = 0.25;
  },
};

describe('move rule shortcuts agree with the findings', () => {
  for (const [name, tune] of Object.entries(POLICIES)) {
    it(name, () => {
      const ctx = county(3, tune);
      let checked = 0;
      for (const t of ctx.teachers.slice(0, 60)) {
        const from = ctx.schoolById.get(t.school_id)!;
        for (const [k, to] of ctx.schools.entries()) {
          const also = ctx.schools[(k + 1) % ctx.schools.length]!;
          const moves = MODES.flatMap((mode): Move[] => [{ teacher: t, from, to, mode }, { teacher: t, from, to, also: [also], mode }]);
          for (const m of moves) for (const r of moveRules) expect(r.allows(ctx, m), r.id).toBe(r.violation(ctx, m) === null);
          // A rule marked anyMode gives one verdict for every kind: placeAllowed false means no kind is allowed.
          for (const r of moveRules.filter((x) => x.anyMode)) expect(new Set(moves.filter((m) => !m.also).map((m) => r.allows(ctx, m))).size, r.id).toBe(1);
          if (!placeAllowed(ctx, t, from, to)) expect(moves.filter((m) => !m.also).some((m) => moveAllowed(ctx, m))).toBe(false);
          checked += moves.length;
        }
      }
      expect(checked).toBeGreaterThan(1000);
    });
  }
});
