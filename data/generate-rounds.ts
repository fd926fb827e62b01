// Assessment scores and cross-school applications (issue 12) for the synthetic county generator:
// opt-in (`--rounds`), so counties generated without it stay byte-identical.
import { type Application, type School, type Teacher, defaultPolicy } from '../solver/contract/schemas.ts';
import { distanceKm, offersStage } from '../solver/policy/county.ts';
import { assessEligibility } from '../solver/policy/eligibility.ts';
import { type Rng, clamp } from './random.ts';

/** 考核分数 on a 100-point scale, ~N(82, 7) clamped to 55–100, one decimal; backbone teachers score ~4 higher. */
export function withScores(teachers: Teacher[], rng: Rng): Teacher[] {
  return teachers.map((t) => ({ ...t, assessment_score: Math.round(10 * clamp(rng.normal(t.backbone === 'none' ? 82 : 86, 7), 55, 100)) / 10 }));
}

/**
 * Every teacher who may move (data contract, default policy of the year) lists 1–3 other schools
 * of their stage for 跨校竞聘 — any of them may 落聘 in round 1 — nearer schools more likely.
 */
export function buildApplications(schools: School[], teachers: Teacher[], rng: Rng, year: number): Application[] {
  const policy = { ...defaultPolicy(), year };
  const byId = new Map(schools.map((s) => [s.id, s]));
  const out: Application[] = [];
  for (const t of teachers) {
    if (!assessEligibility(t, policy).mayMove) continue;
    const here = byId.get(t.school_id);
    const options = schools.filter((s) => s.id !== t.school_id && !s.teaching_point && offersStage(s, t.stage));
    const picks = rng.sampleWeighted(options, (s) => 1 / (1 + ((here && distanceKm(here, s)) ?? 10) / 10), rng.int(1, 3));
    picks.forEach((s, i) => out.push({ teacher_id: t.id, school_id: s.id, rank: i + 1 }));
  }
  return out;
}
