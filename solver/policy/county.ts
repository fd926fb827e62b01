// One county's planning context: every ratio, cap and rule applies per county and no teacher
// moves across counties (data contract), so a dataset is split here and planned county by county.
import type { Lock, Need, Policy, Preference, School, Stage, Teacher } from '../contract/schemas.ts';
import type { Dataset } from '../contract/dataset.ts';
import { type Eligibility, assessEligibility } from './eligibility.ts';
import { stageStudents } from './indicators.ts';
import { needsOrDerived } from './needs.ts';


export interface CountyContext {
  county: string;
  policy: Policy;
  schools: School[];
  schoolById: Map<string, School>;
  teachers: Teacher[];
  teacherById: Map<string, Teacher>;
  eligibility: Map<string, Eligibility>;
  eligibleCount: number;
  needs: Need[];
  preferences: Preference[];
  locks: Lock[];
  /** Teachers on the roster at each school before the plan (all stages, all roles). */
  staffBefore: Map<string, number>;
}

export const NO_COUNTY = '';

export function countyOf(s: School): string {
  return s.county ?? NO_COUNTY;
}

export function offersStage(s: School, stage: Stage): boolean {
  return s.stage === 'nine_year' || s.stage === stage;
}

/** Approved quota, or computed from enrolment by the staff:student ratios (Q1) when empty. */
export function quotaOf(s: School, policy: Policy): { quota: number; computed: boolean } {
  if (s.quota !== undefined) return { quota: s.quota, computed: false };
  const q = stageStudents(s, 'primary') / policy.quotaRatio.primary + stageStudents(s, 'junior') / policy.quotaRatio.junior;
  return { quota: Math.ceil(q - 1e-9), computed: true };
}

export const isRuralOrWeak = (s: School): boolean => s.locale === 'rural' || s.weak;

/** A school's 学区/集团, unique across counties (schools.cluster is named per county); null when it has none. */
export const clusterOf = (s: School): string | null => (s.cluster === undefined || s.cluster === '' ? null : `${countyOf(s)}|${s.cluster}`);

/** True when both schools are in one 学区/集团 (a school without a cluster shares none). */
export const sameCluster = (a: School, b: School): boolean => clusterOf(a) !== null && clusterOf(a) === clusterOf(b);

/** Great-circle distance in km, or null when a coordinate is missing. */
export function distanceKm(a: { lat?: number; lon?: number }, b: { lat?: number; lon?: number }): number | null {
  if (a.lat === undefined || a.lon === undefined || b.lat === undefined || b.lon === undefined) return null;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function homeDistanceKm(t: Teacher, s: School): number | null {
  return distanceKm({ lat: t.home_lat, lon: t.home_lon }, s);
}

/**
 * ⌈share × n⌉ computed on decimals, so 0.1 × 30 is 3 and not 4 (0.1 × 30 = 3.0000000000000004
 * in floating point). Auditors compute the same integer.
 */
export function ceilShare(share: number, n: number): number {
  return Math.ceil(Number((share * n).toFixed(9)));
}

export function floorShare(share: number, n: number): number {
  return Math.floor(Number((share * n).toFixed(9)));
}

export function buildCountyContext(county: string, ds: Dataset): CountyContext {
  const policy = ds.policy;
  const schools = ds.schools.filter((s) => countyOf(s) === county);
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  const teachers = ds.teachers.filter((t) => schoolById.has(t.school_id));
  const teacherById = new Map(teachers.map((t) => [t.id, t]));
  const eligibility = new Map(teachers.map((t) => [t.id, assessEligibility(t, policy)]));
  const staffBefore = new Map(schools.map((s) => [s.id, 0]));
  for (const t of teachers) staffBefore.set(t.school_id, (staffBefore.get(t.school_id) ?? 0) + 1);
  return {
    county,
    policy,
    schools,
    schoolById,
    teachers,
    teacherById,
    eligibility,
    eligibleCount: [...eligibility.values()].filter((e) => e.eligible).length,
    needs: needsOrDerived({ schools, needs: ds.needs?.filter((n) => schoolById.has(n.school_id)) }, policy),
    preferences: ds.preferences.filter((p) => teacherById.has(p.teacher_id) && schoolById.has(p.school_id)),
    locks: ds.locks.filter((l) => teacherById.has(l.teacher_id)),
    staffBefore,
  };
}

export function countiesOf(ds: Dataset): string[] {
  return [...new Set(ds.schools.map(countyOf))].sort();
}
