// Subject demand when needs.csv is absent (domain.md Q7, the Jilin local method):
//   required FTE = classes × weekly periods of the subject per class ÷ weekly periods per teacher.
import type { Need, Policy, School, Stage, Subject, Teacher } from '../contract/schemas.ts';
import { type Posted, fteOf, schoolStages, servedSchools, shareOf, stageStudents } from './indicators.ts';

/**
 * Weekly periods per class, by grade. A representative timetable built on the 2022 curriculum
 * (教育部 教材〔2022〕2号, 义务教育课程方案; domain.md §d, with the Zhejiang and Shandong timetables
 * cited there): 26 periods in grades 1–2, 30 in grades 3–6, 34 in grades 7–9; English from
 * grade 3, information technology from grade 3, science in primary only, biology and geography
 * in grades 7–8, physics in 8–9, chemistry in 9. Over the nine years the shares land inside the
 * curriculum's bands: chinese 20.8% (20–22), math 14.2% (13–15), english 7.3% (6–8), ethics
 * 6.6% (6–8), science incl. physics/chemistry/biology 8.4% (8–10), history+geography 3.6% (3–4),
 * info tech 2.6% (1–3), music+art 10.9% (9–11), PE 10.6% (10–11), labour+practice+mental
 * health+local/school courses 15.0% (14–18). Schools set their own timetables; pass needs.csv
 * to override.
 */
export const PERIODS_BY_GRADE: Record<Stage, Partial<Record<Subject, readonly number[]>>> = {
  primary: {
    //             g1 g2 g3 g4 g5 g6
    chinese:       [8, 8, 7, 7, 6, 6],
    math:          [4, 4, 4, 4, 4, 4],
    english:       [0, 0, 2, 2, 2, 2],
    ethics_law:    [2, 2, 2, 2, 2, 2],
    science:       [1, 1, 2, 2, 2, 2],
    info_tech:     [0, 0, 1, 1, 1, 1],
    pe:            [4, 4, 3, 3, 3, 3],
    music:         [2, 2, 2, 2, 2, 2],
    art:           [2, 2, 2, 2, 2, 2],
    labor:         [1, 1, 1, 1, 1, 1],
    practice:      [1, 1, 2, 2, 2, 2],
    mental_health: [0, 0, 1, 1, 1, 1],
  },
  junior: {
    //             g7 g8 g9
    chinese:       [5, 5, 5],
    math:          [5, 5, 5],
    english:       [4, 4, 4],
    ethics_law:    [2, 2, 2],
    history:       [2, 2, 2],
    geography:     [2, 2, 0],
    biology:       [2, 2, 0],
    physics:       [0, 3, 3],
    chemistry:     [0, 0, 3],
    info_tech:     [1, 1, 1],
    pe:            [3, 3, 3],
    music:         [1, 1, 1],
    art:           [1, 1, 1],
    labor:         [1, 1, 1],
    practice:      [1, 1, 1],
    mental_health: [1, 1, 1],
  },
};

/** Periods left for local and school-based courses (地方/校本课程): no subject post, so no demand. */
export const LOCAL_PERIODS_BY_GRADE: Record<Stage, readonly number[]> = {
  primary: [1, 1, 1, 1, 2, 2],
  junior: [3, 0, 1],
};

/** Curriculum totals per grade (2022 方案). */
export const PERIODS_PER_GRADE: Record<Stage, readonly number[]> = {
  primary: [26, 26, 30, 30, 30, 30],
  junior: [34, 34, 34],
};

const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;

/**
 * Average weekly periods per class over the grades of the stage: a class of unknown grade is
 * costed at the stage average (e.g. English in primary = (0+0+2+2+2+2)/6).
 */
export const WEEKLY_PERIODS: Record<Stage, Partial<Record<Subject, number>>> = {
  primary: averages(PERIODS_BY_GRADE.primary),
  junior: averages(PERIODS_BY_GRADE.junior),
};

function averages(byGrade: Partial<Record<Subject, readonly number[]>>): Partial<Record<Subject, number>> {
  const out: Partial<Record<Subject, number>> = {};
  for (const [subject, periods] of Object.entries(byGrade) as [Subject, readonly number[]][]) out[subject] = mean(periods);
  return out;
}

/** Class-size caps (domain.md K1) used to estimate classes when classes_<stage> is empty. */
export const CLASS_SIZE_FOR_ESTIMATE: Record<Stage, number> = { primary: 45, junior: 50 };

/**
 * Classes of one stage: the given classes_<stage>, else ceil(students / 45 primary, 50 junior),
 * i.e. the fewest classes the class-size cap allows. This understates small rural schools that
 * keep one class per grade, so planners should supply classes where they have them.
 */
export function stageClasses(s: School, stage: Stage): number {
  const given = stage === 'primary' ? s.classes_primary : s.classes_junior;
  return given ?? Math.ceil(stageStudents(s, stage) / CLASS_SIZE_FOR_ESTIMATE[stage]);
}

/** Weekly periods one teacher carries (Q7): rural schools carry the heavier rural load. */
export function teacherLoad(s: Pick<School, 'locale'>, stage: Stage, policy: Policy): number {
  const l = policy.teacherLoad;
  if (s.locale === 'rural') return stage === 'primary' ? l.ruralPrimary : l.ruralJunior;
  return l[stage];
}

// FTE to 0.01: finer precision means nothing for staffing and keeps CSV output readable.
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Derived needs for every (school, stage offered, subject of the stage); stages with no classes yield none. */
export function deriveNeeds(schools: readonly School[], policy: Policy): Need[] {
  const needs: Need[] = [];
  for (const s of schools) {
    for (const stage of schoolStages(s)) {
      const classes = stageClasses(s, stage);
      if (classes === 0) continue;
      const load = teacherLoad(s, stage, policy);
      for (const [subject, periods] of Object.entries(WEEKLY_PERIODS[stage]) as [Subject, number][]) {
        needs.push({ school_id: s.id, stage, subject, required: round2((classes * periods) / load) });
      }
    }
  }
  return needs;
}

/**
 * needs.csv when given, else derived. A header-only needs.csv is treated as absent: a county
 * that needs no teacher at all is not a plausible input.
 */
export function needsOrDerived(ds: { schools: readonly School[]; needs?: readonly Need[] | undefined }, policy: Policy): Need[] {
  return ds.needs && ds.needs.length > 0 ? [...ds.needs] : deriveNeeds(ds.schools, policy);
}

export function needKey(school_id: string, stage: Stage, subject: Subject): string {
  return `${school_id}|${stage}|${subject}`;
}

/**
 * Teachers per (school, stage, main subject) in FTE (a 走教 share counts at both schools), keyed like
 * needKey. Extra subjects are not counted: a teacher covers an extra subject only where a plan sends
 * them to fill it (supplyAfterMoves).
 */
export function subjectSupply(teachers: readonly Posted[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of teachers) {
    const k = needKey(t.school_id, t.stage, t.subject);
    out.set(k, (out.get(k) ?? 0) + fteOf(t));
  }
  return out;
}

/** What a move changes in the supply: the teacher leaves the main subject at home and fills `fills` (else the main subject) there, by the move's share. */
export interface SupplyMove {
  teacher: Teacher;
  to: { id: string };
  also?: { id: string }[] | undefined;
  mode: string;
  fte?: number | undefined;
  fills?: Subject | undefined;
}

/**
 * Supply after a plan: subjectSupply of the roster, each mover (or a 走教 share) taken off the main subject at the
 * origin and added to the subject they fill at the destination — the very sums the model's need rows hold.
 */
export function supplyAfterMoves(teachers: readonly Teacher[], moves: readonly SupplyMove[]): Map<string, number> {
  const out = subjectSupply(teachers);
  const add = (k: string, d: number) => out.set(k, (out.get(k) ?? 0) + d);
  for (const m of moves) {
    const served = servedSchools(m);
    add(needKey(m.teacher.school_id, m.teacher.stage, m.teacher.subject), -shareOf(m) * served.length);
    for (const s of served) add(needKey(s.id, m.teacher.stage, m.fills ?? m.teacher.subject), shareOf(m));
  }
  return out;
}

const shortages = new WeakMap<object, Map<string, number>>();
/**
 * Teachers each school × stage × subject lacks before the plan (round(required) − supply, only
 * where > 0), keyed by needKey: the shortages 走教 exists for. Computed once per county context.
 */
export function shortBefore(ctx: { needs: readonly Need[]; teachers: readonly Teacher[] }): Map<string, number> {
  let out = shortages.get(ctx);
  if (!out) {
    const supply = subjectSupply(ctx.teachers);
    out = new Map();
    for (const n of ctx.needs) {
      const k = needKey(n.school_id, n.stage, n.subject);
      const gap = Math.round(n.required) - (supply.get(k) ?? 0);
      if (gap > 1e-9) out.set(k, gap);
    }
    shortages.set(ctx, out);
  }
  return out;
}
