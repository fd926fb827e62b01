// Infeasible counties say what to change, with numbers: the suggested shares are exact (one more
// teacher required and the conflict is back), and every count in a message equals a count made
// here from the contract's definitions, not from the precheck's own code.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../solver/contract/dataset.ts';
import type { Policy, School, Teacher } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf, homeDistanceKm } from '../solver/policy/county.ts';
import { type Conflict, precheck } from '../solver/policy/precheck.ts';
import { loadSample, randomDataset } from './helpers/datasets.ts';

type Ratios = Partial<Policy['ratios']>;
const withPolicy = (ds: Dataset, change: { ratios?: Ratios; limits?: Partial<Policy['limits']>; flows?: Partial<Policy['flows']> }): Dataset => ({
  ...ds,
  policy: {
    ...ds.policy,
    ratios: { ...ds.policy.ratios, ...change.ratios },
    limits: { ...ds.policy.limits, ...change.limits },
    flows: { ...ds.policy.flows, ...change.flows },
  },
});
const conflictsOf = (ds: Dataset): Conflict[] => precheck(buildCountyContext(countiesOf(ds)[0]!, ds));
const find = (ds: Dataset, rule: string) => conflictsOf(ds).find((c) => c.rules[0] === rule);

// ── Independent counts, from the data contract's definitions ────────────────────────────────────
const age = (t: Teacher, p: Policy) => p.year - t.birth_year;
const oldFor = (t: Teacher, p: Policy) => age(t, p) >= p.eligibility.maxAge[t.gender];
const yearsFor = (t: Teacher, p: Policy) =>
  t.years_at_school >= (t.role === 'principal' || t.role === 'vice_principal' ? p.eligibility.leaderYearsAtSchool : p.eligibility.teacherYearsAtSchool);
const eligible = (t: Teacher, p: Policy) => t.on_establishment && !t.exemption && !oldFor(t, p) && yearsFor(t, p);
const mayMove = (t: Teacher, p: Policy) => eligible(t, p) || (t.on_establishment && !t.exemption && t.volunteer);
const lockOf = (ds: Dataset, t: Teacher) => ds.locks.find((l) => l.teacher_id === t.id);
const free = (ds: Dataset, t: Teacher) => mayMove(t, ds.policy) && lockOf(ds, t)?.action !== 'stay';

/** Same-stage schools a teacher could go to (the lock target only, for a move lock). */
function sameStage(ds: Dataset, t: Teacher): School[] {
  const lock = lockOf(ds, t);
  const pool = lock?.action === 'move' ? ds.schools.filter((s) => s.id === lock.to_school_id) : ds.schools.filter((s) => s.id !== t.school_id);
  return pool.filter((s) => s.stage === t.stage || s.stage === 'nine_year');
}
const withinCommute = (ds: Dataset, t: Teacher, s: School) => {
  const km = homeDistanceKm(t, s);
  return ds.policy.limits.maxCommuteKm === null || km === null || km <= ds.policy.limits.maxCommuteKm;
};
const ruralOrWeak = (ds: Dataset, s: School) => !ds.policy.flows.towardRuralOrWeakOnly || s.locale === 'rural' || s.weak;
const hasDestination = (ds: Dataset, t: Teacher) => sameStage(ds, t).some((s) => withinCommute(ds, t, s) && ruralOrWeak(ds, s));

/** Σ over schools of min(teachers of the group with a destination, ⌊share × staff⌋), and how many the caps hold back. */
function movable(ds: Dataset, group: Teacher[]): { movable: number; overCap: number } {
  let total = 0;
  let over = 0;
  for (const s of ds.schools) {
    const staff = ds.teachers.filter((t) => t.school_id === s.id).length;
    const cap = Math.floor(Number((ds.policy.limits.maxOutflowShareOfSchool * staff).toFixed(9)));
    const n = group.filter((t) => t.school_id === s.id && free(ds, t) && hasDestination(ds, t)).length;
    total += Math.min(n, cap);
    over += Math.max(0, n - cap);
  }
  return { movable: total, overCap: over };
}
const eligibleCount = (ds: Dataset) => ds.teachers.filter((t) => eligible(t, ds.policy)).length;
const ceil = (share: number, n: number) => Math.ceil(Number((share * n).toFixed(9)));

/** "需降到 ≤ X%（n/d）" in a message: the share's numerator and denominator. */
function suggested(message: string, what: string): [number, number] {
  const m = new RegExp(`${what}(?:需)?降到 ≤ \\d+\\.\\d%（(\\d+)/(\\d+)）`).exec(message);
  if (!m) throw new Error(`no ${what} suggestion in: ${message}`);
  return [Number(m[1]), Number(m[2])];
}

describe('backbone shortfall', async () => {
  const ds = withPolicy(await loadSample('small-county'), { ratios: { minRotatedShareOfEligible: 0.3, minBackboneShareOfRotated: 0.9 } });
  const p = ds.policy;
  const rotated = ceil(0.3, eligibleCount(ds));
  const backbone = ds.teachers.filter((t) => t.backbone !== 'none');
  const conflict = find(ds, 'backbone_share')!;

  it('says how many backbone teachers are needed and how many can move', () => {
    const { movable: a } = movable(ds, backbone);
    expect(conflict.message).toContain(`骨干比例要求至少${ceil(0.9, rotated)}名骨干教师交流（⌈0.9 × ${rotated}⌉），但只有${a}名骨干教师可交流`);
    expect(conflict.shortBy).toBe(ceil(0.9, rotated) - a);
    expect(suggested(conflict.message, '骨干比例')).toEqual([a, rotated]);
  });

  it('suggests the largest backbone share that is feasible: exactly that, and one teacher more conflicts again', () => {
    const [a, r] = suggested(conflict.message, '骨干比例');
    expect(find(withPolicy(ds, { ratios: { minBackboneShareOfRotated: a / r } }), 'backbone_share')).toBeUndefined();
    expect(find(withPolicy(ds, { ratios: { minBackboneShareOfRotated: (a + 1) / r } }), 'backbone_share')).toBeDefined();
  });

  it('or the largest rotation share at which the backbone teachers who can move suffice', () => {
    const [r, e] = suggested(conflict.message, '或交流比例');
    expect(e).toBe(eligibleCount(ds));
    expect(find(withPolicy(ds, { ratios: { minRotatedShareOfEligible: r / e } }), 'backbone_share')).toBeUndefined();
    expect(find(withPolicy(ds, { ratios: { minRotatedShareOfEligible: (r + 1) / e } }), 'backbone_share')).toBeDefined();
  });

  it('breaks the county\'s backbone teachers down by why they cannot move, and the parts add up', () => {
    const established = backbone.filter((t) => t.on_establishment && !t.exemption && !t.volunteer);
    const tooOld = established.filter((t) => oldFor(t, p)).length;
    const fewYears = established.filter((t) => !oldFor(t, p) && !yearsFor(t, p)).length;
    const deferred = backbone.filter((t) => t.on_establishment && t.exemption).length;
    const stayLocked = backbone.filter((t) => mayMove(t, p) && lockOf(ds, t)?.action === 'stay').length;
    const noDestination = backbone.filter((t) => free(ds, t) && !hasDestination(ds, t)).length;
    const { movable: a, overCap } = movable(ds, backbone);
    const notOnEstablishment = backbone.filter((t) => !t.on_establishment).length;
    expect(tooOld + fewYears + deferred + notOnEstablishment + stayLocked + noDestination + overCap + a).toBe(backbone.length);
    expect(conflict.message).toContain(`全县骨干教师${backbone.length}名中${tooOld}人超龄、${fewYears}人任教年限不足、${deferred}人暂缓（`);
    expect(conflict.message).toContain(`${stayLocked}人锁定留任`);
    expect(conflict.message).toContain(`${overCap}人受各校流出上限所限`);
    expect(conflict.message).toMatch(new RegExp(`可交流${a}人$`));
    expect(conflict.rules).toEqual(expect.arrayContaining(['backbone_share', 'rotation_share', 'locks', 'outflow_cap']));
  });
});

describe('rotation shortfall', async () => {
  const ds = withPolicy(await loadSample('tiny'), { ratios: { minRotatedShareOfEligible: 0.6 } });
  const conflict = find(ds, 'rotation_share')!;

  it('says how many must move and how many can, within the outflow caps', () => {
    const e = eligibleCount(ds);
    const { movable: n, overCap } = movable(ds, ds.teachers);
    expect(conflict.message).toContain(`轮岗比例要求至少${ceil(0.6, e)}名教师交流（⌈0.6 × ${e}⌉），但只有${n}名教师可交流`);
    expect(conflict.message).toContain(`${overCap}人受各校流出上限所限`);
    expect(conflict.rules).toContain('outflow_cap');
  });

  it('suggests the largest rotation share that is feasible: exactly that, and one teacher more conflicts again', () => {
    const [n, e] = suggested(conflict.message, '交流比例');
    expect(find(withPolicy(ds, { ratios: { minRotatedShareOfEligible: n / e } }), 'rotation_share')).toBeUndefined();
    expect(find(withPolicy(ds, { ratios: { minRotatedShareOfEligible: (n + 1) / e } }), 'rotation_share')).toBeDefined();
  });
});

describe('switches that remove movers are named, with counts', () => {
  it('towardRuralOrWeakOnly: teachers with no rural or weak school of their stage', () => {
    // Seed 2 has junior teachers only at urban and town schools: none of them has a rural or weak destination.
    const ds = withPolicy(randomDataset(2), { ratios: { minRotatedShareOfEligible: 0.9 }, flows: { towardRuralOrWeakOnly: true } });
    const blocked = ds.teachers.filter((t) => free(ds, t) && sameStage(ds, t).length > 0 && !sameStage(ds, t).some((s) => s.locale === 'rural' || s.weak));
    expect(blocked.length).toBeGreaterThan(0);
    const conflict = find(ds, 'rotation_share')!;
    expect(conflict.message).toContain(`${blocked.length}人只向乡村或薄弱学校交流，县内无同学段的乡村或薄弱学校（flows.towardRuralOrWeakOnly）`);
    expect(conflict.message).toContain(`只有${movable(ds, ds.teachers).movable}名教师可交流`);
    expect(conflict.rules).toContain('toward_rural_or_weak');
    // Without the switch those teachers have destinations again.
    expect(find(withPolicy(ds, { flows: { towardRuralOrWeakOnly: false } }), 'rotation_share')!.rules).not.toContain('toward_rural_or_weak');
  });

  it('maxCommuteKm: teachers with no school of their stage within the limit; stage: no other school of their stage', () => {
    // Seed 1 has a single junior school, so its junior teachers have nowhere to go whatever the policy.
    const ds = withPolicy(randomDataset(1), { ratios: { minRotatedShareOfEligible: 0.9 }, limits: { maxCommuteKm: 5 } });
    const candidates = ds.teachers.filter((t) => free(ds, t));
    const noStage = candidates.filter((t) => sameStage(ds, t).length === 0);
    const tooFar = candidates.filter((t) => sameStage(ds, t).length > 0 && !sameStage(ds, t).some((s) => withinCommute(ds, t, s)));
    expect(noStage.length).toBeGreaterThan(0);
    expect(tooFar.length).toBeGreaterThan(0);
    const conflict = find(ds, 'rotation_share')!;
    expect(conflict.message).toContain(`${noStage.length + tooFar.length}人无可去学校（`);
    expect(conflict.message).toContain(`${tooFar.length}人通勤上限5公里内无同学段学校（limits.maxCommuteKm）`);
    expect(conflict.message).toContain(`${noStage.length}人县内无其他同学段学校`);
    expect(conflict.message).toContain(`只有${movable(ds, ds.teachers).movable}名教师可交流`);
    expect(conflict.rules).toEqual(expect.arrayContaining(['commute', 'stage_match']));
  });

  it('keeps the lock conflicts: a move lock past the commute limit names the lock and the rule', async () => {
    const ds = withPolicy(await loadSample('tiny'), { limits: { maxCommuteKm: 8 } });
    const lock = conflictsOf(ds).find((c) => c.rules[0] === 'locked_moves');
    expect(lock?.rules).toEqual(['locked_moves', 'commute']);
    expect(lock?.message).toMatch(/^人工锁定与“通勤距离不超过上限”冲突：教师\S+到\S+通勤[\d.]+公里>8$/);
  });

  it('a county with enough movers has no conflict', async () => {
    expect(conflictsOf(await loadSample('small-county'))).toEqual([]);
  });
});

describe('the must-rotate list (rule must_rotate)', async () => {
  const ds = await loadSample('small-county');
  const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
  const old = ds.teachers.find((t) => !ctx.eligibility.get(t.id)!.mayMove && oldFor(t, ds.policy))!;
  const free = ds.teachers.find((t) => ctx.eligibility.get(t.id)!.eligible)!;
  const listed = (ids: string[]): Dataset => ({ ...ds, policy: { ...ds.policy, cycle: { ...ds.policy.cycle, mustRotate: ids } } });

  it('names a listed teacher who may not move, and only that one', () => {
    const found = conflictsOf(listed([old.id, free.id])).filter((c) => c.rules[0] === 'must_rotate');
    expect(found.map((c) => [c.rules, c.shortBy])).toEqual([[['must_rotate', 'may_move'], 1]]);
    expect(found[0]!.message).toContain(`教师${old.id}`);
    expect(found[0]!.message).toContain('超龄');
  });

  it('names a listed teacher with a stay lock', () => {
    const locked = { ...listed([free.id]), locks: [{ teacher_id: free.id, action: 'stay' as const, reason: '试点' }] };
    expect(conflictsOf(locked).find((c) => c.rules[0] === 'must_rotate')?.message).toContain(`教师${free.id}已锁定留任（试点）`);
  });
});
