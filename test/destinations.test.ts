// The pre-check judges destinations once per kind of teacher (solver/policy/destinations.ts). Its
// answer must be the one every school judged for every teacher gives: checked here against that
// plain definition, teacher by teacher, on generated counties under policies that leave many
// teachers few or no destinations (commute limits, clusters, rural-only, 走教 only, 顶岗培养).
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../data/generate.ts';
import { MODES, type Mode, type Policy, type School, type Teacher, defaultPolicy } from '../solver/contract/schemas.ts';
import { type CountyContext, buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { blockingRules, hasDestination } from '../solver/policy/destinations.ts';
import { type Move, moveAllowed, moveRules } from '../solver/policy/rules.ts';

/** Every school judged for the teacher under every rule: the definition the kinds must agree with. */
function plainly(ctx: CountyContext, t: Teacher, modes: Mode[]) {
  const lock = ctx.locks.find((l) => l.teacher_id === t.id);
  const target = lock?.action === 'move' ? ctx.schoolById.get(lock.to_school_id) : undefined;
  const schools = target ? [target] : ctx.schools.filter((s) => s.id !== t.school_id);
  const move = (s: School, mode: Mode): Move =>
    ({ teacher: t, from: ctx.schoolById.get(t.school_id)!, to: s, mode, ...(mode === 'itinerant' ? { fte: ctx.policy.modes.itinerant.fte } : {}) });
  const has = schools.some((s) => modes.some((mode) => moveAllowed(ctx, move(s, mode))));
  const ok = (id: string, m: Move) => moveRules.find((r) => r.id === id)!.violation(ctx, m) === null;
  const sameStage = schools.map((s) => move(s, modes[0]!)).filter((m) => ok('stage_match', m));
  const others = moveRules.map((r) => r.id).filter((id) => !['may_move', 'other_school', 'same_county', 'locks', 'stage_match'].includes(id));
  const alone = others.filter((id) => !sameStage.some((m) => ok(id, m)));
  const blocking = sameStage.length === 0 ? { alone: ['stage_match'], together: [] }
    : { alone, together: alone.length > 0 ? [] : others.filter((id) => sameStage.some((m) => !ok(id, m))) };
  return { has, blocking };
}

const POLICIES: Record<string, (p: Policy) => void> = {
  default: () => {},
  'commute 3 km': (p) => void (p.limits.maxCommuteKm = 3),
  'rural only, commute 5 km': (p) => {
    p.flows.towardRuralOrWeakOnly = true;
    p.limits.maxCommuteKm = 5;
  },
  'cluster only': (p) => void (p.flows.cluster = 'only'),
  '走教 only, where short': (p) => {
    for (const m of ['transfer', 'support', 'shadow'] as const) p.modes[m].allowed = false;
    Object.assign(p.modes.itinerant, { allowed: true, onlyWhereShort: true, maxKm: 6 });
  },
  '走教 in the cluster, commute 4 km': (p) => {
    Object.assign(p.modes.itinerant, { allowed: true, withinCluster: true });
    p.limits.maxCommuteKm = 4;
  },
};

describe('destinations judged per kind of teacher', () => {
  for (const [seed, teachers] of [[7, 300], [3, 1200]] as const) {
    const tables = generateCounty({ teachers, seed });
    it.each(Object.keys(POLICIES))(`${teachers} teachers (seed ${seed}), %s: the same answer as every school judged per teacher`, (name) => {
      const policy = defaultPolicy();
      POLICIES[name]!(policy);
      // A few on the 顶岗培养 list (allowed), so the shadow mode's own destinations are judged too.
      policy.modes.shadow.allowed = true;
      policy.modes.shadow.teachers = tables.teachers.filter((_, i) => i % 41 === 0).map((t) => t.id);
      const ds = { ...tables, policy };
      const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
      const modes = MODES.filter((m) => policy.modes[m].allowed);
      let blocked = 0;
      for (const t of ctx.teachers) {
        for (const asked of [modes, ['shadow'] as Mode[]]) {
          const want = plainly(ctx, t, asked);
          expect(hasDestination(ctx, t, asked), `${t.id} ${asked.join(',')}`).toBe(want.has);
          if (!want.has) {
            blocked++;
            expect(blockingRules(ctx, t, asked), `${t.id} ${asked.join(',')}`).toEqual(want.blocking);
          }
        }
      }
      // Each policy leaves some teacher (at least in the shadow mode) without a destination, so the blocking rules are compared too.
      expect(blocked).toBeGreaterThan(0);
    });
  }
});
