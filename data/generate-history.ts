// A clean past for a generated county (history.csv, solver/cycle/history.ts): rows that agree with
// the roster and hold no paper rotation, so tests can plant their own on top and a cycle has terms
// to end. Seeded like the other layers; the other tables do not change when it is asked for.
import type { HistoryRow, School, Teacher } from '../solver/contract/schemas.ts';
import { offersStage } from '../solver/policy/county.ts';
import type { Rng } from './random.ts';

/** The policy defaults the rows keep clear of: the eligibility window (6), the deferral limit (3). */
const WINDOW = 6;
const MAX_DEFER = 3;

export function buildHistory(schools: readonly School[], teachers: readonly Teacher[], rng: Rng, year: number): HistoryRow[] {
  const others = (t: Teacher) => schools.filter((s) => s.id !== t.school_id && !s.teaching_point && offersStage(s, t.stage));
  const rural = (t: Teacher) => others(t).filter((s) => s.locale === 'rural' || s.weak);
  const out: HistoryRow[] = [];
  for (const t of teachers) {
    const from = others(t);
    if (t.exemption && t.exemption !== 'near_retirement' && rng.chance(0.5)) {
      // Deferred the year or two before this one: with this year's exemption still within the limit.
      const years = rng.int(1, MAX_DEFER - 1);
      out.push({ teacher_id: t.id, from_school_id: t.school_id, mode: 'deferral', start_year: year - years, end_year: year - 1, exemption: t.exemption });
    } else if (t.schools_worked >= 2 && t.years_at_school >= 1 && year - t.years_at_school >= 1990 && from.length > 0 && rng.chance(0.5)) {
      // How the teacher came to the present school: a transfer when the tenure began.
      out.push({ teacher_id: t.id, from_school_id: rng.pick(from).id, to_school_id: t.school_id, mode: 'transfer', start_year: year - t.years_at_school });
    } else if (t.years_at_school >= WINDOW + 2 && rural(t).length > 0 && rng.chance(0.04)) {
      // A 1-year 支教 term: most long past, some ending now (the plan year's returns).
      const start = rng.chance(0.3) ? year - 1 : year - rng.int(WINDOW, t.years_at_school - 1);
      out.push({ teacher_id: t.id, from_school_id: t.school_id, to_school_id: rng.pick(rural(t)).id, mode: 'support', start_year: start, end_year: start + 1 });
    }
  }
  return out;
}
