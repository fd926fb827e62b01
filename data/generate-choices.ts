// Preferences (意愿) and planner locks (人工锁定) for the synthetic county generator; plausible
// teachers are picked with the solver's own eligibility rule.
import { defaultPolicy, type Lock, type Preference, type School, type Teacher } from '../solver/contract/schemas.ts';
import { distanceKm, offersStage } from '../solver/policy/county.ts';
import { assessEligibility } from '../solver/policy/eligibility.ts';
import type { SchoolDraft } from './generate-schools.ts';
import type { Rng } from './random.ts';

/** The solver's own eligibility (data contract) under the default policy of the plan year. */
const policyOf = (year: number) => ({ ...defaultPolicy(), year });
const eligibilityIn = (year: number) => {
  const policy = policyOf(year);
  return (t: Teacher) => assessEligibility(t, policy);
};

/** ~5% of the teachers who may move list 1–3 schools of their stage, nearer ones more likely. */
export function buildPreferences(schools: School[], teachers: Teacher[], rng: Rng, year: number): Preference[] {
  const eligibility = eligibilityIn(year);
  const byId = new Map(schools.map((s) => [s.id, s]));
  const destinations = (t: Teacher) => schools.filter((s) => s.id !== t.school_id && !s.teaching_point && offersStage(s, t.stage));
  const hasDestination = { primary: schools.filter((s) => !s.teaching_point && offersStage(s, 'primary')).length > 1, junior: schools.filter((s) => !s.teaching_point && offersStage(s, 'junior')).length > 1 };
  const candidates = teachers.filter((t) => eligibility(t).mayMove && hasDestination[t.stage]);
  const k = candidates.length === 0 ? 0 : Math.max(1, Math.round(0.05 * candidates.length));
  const chosen = new Set(rng.sampleWeighted(candidates, () => 1, k));
  const out: Preference[] = [];
  for (const t of teachers) {
    if (!chosen.has(t)) continue;
    const here = byId.get(t.school_id);
    const options = destinations(t);
    const young = year - t.birth_year < 35;
    const picks = rng.sampleWeighted(options, (s) => {
      const d = (here && distanceKm(here, s)) ?? 10;
      const pull = s.locale === 'urban' ? (young ? 2.5 : 1.5) : s.locale === 'town' ? 1.2 : 0.7;
      return pull / (1 + d / 5) ** 2;
    }, rng.int(1, 3));
    picks.forEach((s, i) => out.push({ teacher_id: t.id, school_id: s.id, rank: i + 1 }));
  }
  return out;
}

const STAY_REASONS = ['毕业班教学任务', '学校特色项目负责人', '承担省级课题研究', '新校区筹建任务'] as const;
const MOVE_REASONS = ['对口帮扶安排', '城乡学校共同体结对', '乡村学校紧缺学科支援'] as const;

/**
 * 2–4 `stay` locks and 1–2 `move` locks. Move locks go to teachers who are clearly eligible
 * (years ≥ 8, at least 5 years under the age cap, on establishment, no exemption, not a leader)
 * at schools big enough to let them go (≥ 10 teachers, so the 20% outflow cap allows ≥ 2), and
 * point to a school of their stage with ≥ 2 free posts under its quota, rural or weak ones first
 * (small counties: ≥ 5 teachers and 1 free post).
 * No teacher is locked twice.
 */
export function buildLocks(drafts: SchoolDraft[], teachers: Teacher[], rng: Rng, year: number): Lock[] {
  const eligibility = eligibilityIn(year);
  const { maxAge } = policyOf(year).eligibility;
  const staff = new Map<string, number>();
  for (const t of teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  const schoolOf = new Map(drafts.map((d) => [d.school.id, d.school]));
  const room = (s: School) => (s.quota ?? 0) - (staff.get(s.id) ?? 0);
  const locked = new Set<string>();
  const locks: Lock[] = [];
  const usedTargets = new Set<string>();

  const clearlyEligible = (t: Teacher, minStaff: number) =>
    eligibility(t).eligible && t.role === 'teacher' && t.years_at_school >= 8
    && year - t.birth_year <= maxAge[t.gender] - 5 && (staff.get(t.school_id) ?? 0) >= minStaff;
  const targetsFor = (t: Teacher, minRoom: number) => drafts.map((d) => d.school).filter((s) =>
    s.id !== t.school_id && !s.teaching_point && offersStage(s, t.stage) && room(s) >= minRoom && !usedTargets.has(s.id));
  const moves = rng.int(1, 2);
  for (let m = 0; m < moves; m++) {
    // Strict first; small counties fall back to schools of ≥ 5 teachers and targets with 1 free post.
    let minRoom = 2;
    const ok = (t: Teacher, minStaff: number) => !locked.has(t.id) && clearlyEligible(t, minStaff) && targetsFor(t, minRoom).length > 0;
    let pool = teachers.filter((t) => ok(t, 10));
    if (pool.length === 0) {
      minRoom = 1;
      pool = teachers.filter((t) => ok(t, 5));
    }
    const [t] = rng.sampleWeighted(pool, (x) => {
      const loc = schoolOf.get(x.school_id)?.locale;
      return loc === 'urban' ? 3 : loc === 'town' ? 2 : 0.5;
    }, 1);
    if (!t) break;
    const [to] = rng.sampleWeighted(targetsFor(t, minRoom), (s) => (s.locale === 'rural' || s.weak ? 3 : 1), 1);
    if (!to) continue;
    locked.add(t.id);
    usedTargets.add(to.id);
    locks.push({ teacher_id: t.id, action: 'move', to_school_id: to.id, reason: rng.pick(MOVE_REASONS) });
  }

  const stays = rng.int(2, 4);
  const pool = teachers.filter((t) => !locked.has(t.id) && eligibility(t).eligible);
  const stayPool = pool.length >= stays ? pool : teachers.filter((t) => !locked.has(t.id));
  for (const t of rng.sampleWeighted(stayPool, () => 1, stays)) {
    locked.add(t.id);
    locks.unshift({ teacher_id: t.id, action: 'stay', reason: rng.pick(STAY_REASONS) });
  }
  return locks;
}
