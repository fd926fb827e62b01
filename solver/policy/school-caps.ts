// 优质均衡 size caps (domain.md K1–K2; 裕政〔2024〕53号 and 教督〔2017〕6号 via seed 003): classes of at
// most 45 (primary) / 50 (junior) students, schools of at most 2000 students (2500 for nine-year
// schools). A rotation moves teachers, not students, so no plan changes these: they are reported
// per school beside the plan, with the schools that fail, as the county's standing against the standard.
import type { School, Stage } from '../contract/schemas.ts';
import { schoolStages, stageStudents } from './indicators.ts';

export const MAX_CLASS_SIZE: Record<Stage, number> = { primary: 45, junior: 50 };
export const MAX_SCHOOL_SIZE = { single_stage: 2000, nine_year: 2500 } as const;

export interface SchoolCapRow {
  school_id: string;
  students: number;
  /** 2000, or 2500 for a nine-year school (K2). */
  max_students: number;
  school_size_ok: boolean;
  /** Average class size per stage offered (students ÷ classes); null when classes_<stage> is not given. */
  class_size: { stage: Stage; students: number; classes: number | null; average: number | null; max: number; ok: boolean | null }[];
}

/** The K1/K2 standing of each school. */
export function schoolCaps(schools: readonly School[]): SchoolCapRow[] {
  return schools.map((s) => {
    const students = schoolStages(s).reduce((a, st) => a + stageStudents(s, st), 0);
    const max = s.stage === 'nine_year' ? MAX_SCHOOL_SIZE.nine_year : MAX_SCHOOL_SIZE.single_stage;
    return {
      school_id: s.id,
      students,
      max_students: max,
      school_size_ok: students <= max,
      class_size: schoolStages(s).map((stage) => {
        const n = stageStudents(s, stage);
        const classes = (stage === 'primary' ? s.classes_primary : s.classes_junior) ?? null;
        // Only the average is known: above the cap, some class is too; at or below, the data cannot say more.
        // Classes estimated from the cap itself (needs.ts) would always pass: without classes there is no answer.
        const average = classes === null || classes === 0 ? null : n / classes;
        return { stage, students: n, classes, average, max: MAX_CLASS_SIZE[stage], ok: average === null ? null : average <= MAX_CLASS_SIZE[stage] };
      }),
    };
  });
}

/** The schools failing each cap, said with their numbers. */
export function capFailures(rows: readonly SchoolCapRow[]): { school_size: string[]; class_size: string[]; class_size_unknown: number } {
  return {
    school_size: rows.filter((r) => !r.school_size_ok).map((r) => `${r.school_id}：在校生${r.students}人 > ${r.max_students}`),
    class_size: rows.flatMap((r) =>
      r.class_size.filter((c) => c.ok === false).map((c) => `${r.school_id}（${c.stage === 'primary' ? '小学' : '初中'}）：${c.students}人 ÷ ${c.classes}班 = 平均班额${c.average!.toFixed(1)} > ${c.max}`),
    ),
    class_size_unknown: rows.reduce((a, r) => a + r.class_size.filter((c) => c.ok === null).length, 0),
  };
}
