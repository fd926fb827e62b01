// Teacher indicators of 优质均衡 (domain.md §C1, items 1–3) per school and stage, and the
// student-weighted 差异系数 (§C3). Pure functions: the report computes "before" on the roster
// and "after" on applyMoves(roster, plan).
import { STAGES, type Degree, type Policy, type School, type Stage, type Teacher } from '../contract/schemas.ts';

export const INDICATOR_KEYS = ['aboveDegree', 'backbone', 'peArt'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];
export type IndicatorFlags = Record<IndicatorKey, boolean>;

/** 高于规定学历: primary counts 专科 and up, junior 本科 and up (§C1, §f.9). */
const ABOVE_DEGREE: Record<Stage, ReadonlySet<Degree>> = {
  primary: new Set<Degree>(['associate', 'bachelor', 'master', 'doctor']),
  junior: new Set<Degree>(['bachelor', 'master', 'doctor']),
};

/** Judged against the stage the teacher teaches; an unknown degree does not count. */
export function aboveDegree(t: Pick<Teacher, 'stage' | 'degree'>): boolean {
  return t.degree !== undefined && ABOVE_DEGREE[t.stage].has(t.degree);
}

/** 县级以上骨干: every level other than 'none' is county level or above. */
export function isBackbone(t: Pick<Teacher, 'backbone'>): boolean {
  return t.backbone !== 'none';
}

/** PE + arts (music, fine art) teachers, by main subject. */
export function isPeArt(t: Pick<Teacher, 'subject'>): boolean {
  return t.subject === 'pe' || t.subject === 'music' || t.subject === 'art';
}

/** The flags the optimisation model aggregates teachers by. */
export function indicatorFlags(t: Pick<Teacher, 'stage' | 'degree' | 'backbone' | 'subject'>): IndicatorFlags {
  return { aboveDegree: aboveDegree(t), backbone: isBackbone(t), peArt: isPeArt(t) };
}

/** Stages a school offers; nine-year schools are split into a primary and a junior part. */
export function schoolStages(s: Pick<School, 'stage'>): Stage[] {
  return s.stage === 'nine_year' ? [...STAGES] : [s.stage];
}

/** Enrolment P_i of one stage of a school (missing = 0). */
export function stageStudents(s: School, stage: Stage): number {
  return (stage === 'primary' ? s.students_primary : s.students_junior) ?? 0;
}

export interface SchoolIndicatorRow {
  school_id: string;
  /** Carried so callers can plan each county on its own (contract: per-county rules). */
  county: string | undefined;
  stage: Stage;
  students: number;
  /** All teachers of the roster at this school teaching this stage (专任教师, incl. off establishment). */
  teachers: number;
  aboveDegree: number;
  backbone: number;
  peArt: number;
  /** Per 100 students; null when the stage has no students. */
  aboveDegreePer100: number | null;
  backbonePer100: number | null;
  peArtPer100: number | null;
  /** Counted in the CV: has students and is not a 教学点 below the Hebei size floor. */
  inCvScope: boolean;
  /** School threshold met (§C1); null when there are no students to measure against. */
  aboveDegreeOk: boolean | null;
  backboneOk: boolean | null;
  peArtOk: boolean | null;
}

// Comparisons of ratios against thresholds such as 4.2 must not fail on float noise.
const EPS = 1e-9;

const per100 = (r: number, p: number): number | null => (p > 0 ? (100 * r) / p : null);
const meets = (v: number | null, min: number): boolean | null => (v === null ? null : v >= min - EPS);

export function schoolIndicators(schools: readonly School[], teachers: readonly Posted[], policy: Policy): SchoolIndicatorRow[] {
  const counts = new Map<string, { teachers: number } & Record<IndicatorKey, number>>();
  for (const t of teachers) {
    const key = `${t.school_id}|${t.stage}`;
    const c = counts.get(key) ?? { teachers: 0, aboveDegree: 0, backbone: 0, peArt: 0 };
    const f = indicatorFlags(t);
    c.teachers += fteOf(t);
    for (const k of INDICATOR_KEYS) if (f[k]) c[k] += fteOf(t);
    counts.set(key, c);
  }

  const ind = policy.indicators;
  const rows: SchoolIndicatorRow[] = [];
  for (const s of schools) {
    for (const stage of schoolStages(s)) {
      const students = stageStudents(s, stage);
      const c = counts.get(`${s.id}|${stage}`) ?? { teachers: 0, aboveDegree: 0, backbone: 0, peArt: 0 };
      const aboveDegreePer100 = per100(c.aboveDegree, students);
      const backbonePer100 = per100(c.backbone, students);
      const peArtPer100 = per100(c.peArt, students);
      rows.push({
        school_id: s.id,
        county: s.county,
        stage,
        students,
        teachers: c.teachers,
        aboveDegree: c.aboveDegree,
        backbone: c.backbone,
        peArt: c.peArt,
        aboveDegreePer100,
        backbonePer100,
        peArtPer100,
        inCvScope: students > 0 && !(s.teaching_point && students < ind.cvMinStudentsTeachingPoint),
        aboveDegreeOk: meets(aboveDegreePer100, ind.aboveDegreeMin[stage]),
        backboneOk: meets(backbonePer100, ind.backboneMin[stage]),
        peArtOk: meets(peArtPer100, ind.peArtMin[stage]),
      });
    }
  }
  return rows;
}

export interface WeightedCv {
  /** Σ P_i over the points used. */
  P: number;
  /** Σ R_i over the points used. */
  R: number;
  /** X̄ = ΣR / ΣP (per student, not per 100). */
  mean: number;
  /** S = sqrt(Σ (P_i/P)(X_i − X̄)²), same unit as mean. */
  sd: number;
  /** S / X̄; null when ΣP = 0 or X̄ = 0 (undefined ratio). */
  cv: number | null;
}

/** Student-weighted CV exactly as domain.md §C3 — never the plain (unweighted) CV. */
export function weightedCv(points: readonly { P: number; R: number }[]): WeightedCv {
  const used = points.filter((p) => p.P > 0);
  const P = used.reduce((a, p) => a + p.P, 0);
  const R = used.reduce((a, p) => a + p.R, 0);
  if (P === 0) return { P, R, mean: 0, sd: 0, cv: null };
  const mean = R / P;
  const variance = used.reduce((a, p) => a + (p.P / P) * (p.R / p.P - mean) ** 2, 0);
  const sd = Math.sqrt(variance);
  return { P, R, mean, sd, cv: mean === 0 ? null : sd / mean };
}

export interface CvRow {
  stage: Stage;
  indicator: IndicatorKey;
  /** School-stage rows in CV scope. */
  schools: number;
  P: number;
  R: number;
  /** County value per 100 students. */
  mean: number;
  /** Weighted standard deviation per 100 students. */
  sd: number;
  cv: number | null;
  /** policy.indicators.cvMax for the stage. */
  max: number;
  /** cv ≤ max; null when the CV is undefined (no students in scope, or nobody counted). */
  ok: boolean | null;
}

/**
 * County CV per stage × indicator over the in-scope rows. Pass the rows of ONE county: every
 * county is assessed on its own (data contract).
 */
export function cvTable(rows: readonly SchoolIndicatorRow[], policy: Policy): CvRow[] {
  const out: CvRow[] = [];
  for (const stage of STAGES) {
    const scoped = rows.filter((r) => r.stage === stage && r.inCvScope);
    const max = policy.indicators.cvMax[stage];
    for (const indicator of INDICATOR_KEYS) {
      const w = weightedCv(scoped.map((r) => ({ P: r.students, R: r[indicator] })));
      out.push({
        stage,
        indicator,
        schools: scoped.length,
        P: w.P,
        R: w.R,
        mean: 100 * w.mean,
        sd: 100 * w.sd,
        cv: w.cv,
        max,
        ok: w.cv === null ? null : w.cv <= max + EPS,
      });
    }
  }
  return out;
}

/** A teacher as counted at `school_id`: `fte` is the share of the teacher's post there (1 when absent). */
export type Posted = Teacher & { fte?: number };

/** The share of a post a roster entry counts for (a 走教 teacher counts at two schools). */
export const fteOf = (t: Posted): number => t.fte ?? 1;

/** The share of the teacher a move takes from home to the destination (走教: its FTE share; else the whole teacher). */
export const shareOf = (m: { mode: string; fte?: number | undefined }): number => (m.mode === 'itinerant' ? m.fte ?? 1 : 1);

/** Every school a move serves: `to`, and for a 走教 to several schools (modes.itinerant.maxSchools) the others in `also`. */
export const servedSchools = <S>(m: { to: S; also?: S[] | undefined }): S[] => (m.also?.length ? [m.to, ...m.also] : [m.to]);

/** A plan's moves as applyMoves takes them: one entry per school served, each with its share. */
export const assignments = (moves: readonly { teacher: { id: string }; to: { id: string }; also?: { id: string }[] | undefined; mode: string; fte?: number | undefined }[]) =>
  moves.flatMap((m) => servedSchools(m).map((s) => ({ teacher_id: m.teacher.id, to_school_id: s.id, fte: shareOf(m) })));

/**
 * The roster after a plan: copies of every teacher, with school_id changed for movers; moves
 * with a share below 1 (走教, one entry per school served) leave the teacher at home for the rest
 * and add an entry at each school served for its share, so indicators and needs count FTE. Throws
 * on an unknown teacher, a whole move given twice or shares that leave nothing at home, since a
 * silently dropped move would misstate the "after" indicators.
 */
export function applyMoves(
  teachers: readonly Teacher[],
  moves: readonly { teacher_id: string; to_school_id: string; fte?: number }[],
): Posted[] {
  const to = new Map<string, { school: string; fte: number }[]>();
  for (const m of moves) {
    const list = to.get(m.teacher_id) ?? [];
    list.push({ school: m.to_school_id, fte: m.fte ?? 1 });
    if (list.length > 1 && list.reduce((a, x) => a + x.fte, 0) >= 1 - 1e-9) throw new Error(`applyMoves: teacher ${m.teacher_id} moved more than once`);
    to.set(m.teacher_id, list);
  }
  const known = new Set(teachers.map((t) => t.id));
  for (const id of to.keys()) if (!known.has(id)) throw new Error(`applyMoves: unknown teacher ${id}`);
  return teachers.flatMap((t): Posted[] => {
    const copy = { ...t, extra_subjects: [...t.extra_subjects] };
    const list = to.get(t.id);
    if (!list) return [copy];
    if (list[0]!.fte >= 1) return [{ ...copy, school_id: list[0]!.school }];
    const served = list.map((m): Posted => ({ ...copy, extra_subjects: [...t.extra_subjects], school_id: m.school, fte: m.fte }));
    return [{ ...copy, fte: 1 - list.reduce((a, m) => a + m.fte, 0) }, ...served];
  });
}
