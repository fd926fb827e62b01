// Data contract v1 (../shared/spec/data-contract.md): the row types of every input and output
// table and the policy parameters. Every other module takes its types from here.
import { z } from 'zod';

export const STAGES = ['primary', 'junior'] as const;
export const SCHOOL_STAGES = ['primary', 'junior', 'nine_year'] as const;
export const LOCALES = ['urban', 'town', 'rural'] as const;
export const SUBJECTS = [
  'chinese', 'math', 'english', 'ethics_law', 'science', 'physics', 'chemistry', 'biology',
  'history', 'geography', 'info_tech', 'pe', 'music', 'art', 'labor', 'practice', 'mental_health',
] as const;
export const ROLES = ['teacher', 'principal', 'vice_principal', 'middle_manager'] as const;
export const BACKBONE_LEVELS = ['none', 'county', 'city', 'province', 'national'] as const;
export const TITLES = ['none', 'third', 'second', 'first', 'senior', 'full_senior'] as const;
export const DEGREES = ['secondary', 'associate', 'bachelor', 'master', 'doctor'] as const;
export const EXEMPTIONS = [
  'pregnancy', 'nursing', 'illness', 'program_lead', 'near_retirement', 'service_obligation', 'other',
] as const;
export const MODES = ['transfer', 'support', 'itinerant'] as const;
export const GENDERS = ['M', 'F'] as const;

export type Stage = (typeof STAGES)[number];
export type SchoolStage = (typeof SCHOOL_STAGES)[number];
export type Locale = (typeof LOCALES)[number];
export type Subject = (typeof SUBJECTS)[number];
export type Degree = (typeof DEGREES)[number];
export type Mode = (typeof MODES)[number];

export const schoolSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  stage: z.enum(SCHOOL_STAGES),
  locale: z.enum(LOCALES),
  weak: z.boolean().default(false),
  teaching_point: z.boolean().default(false),
  parent_id: z.string().optional(),
  cluster: z.string().optional(),
  county: z.string().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  students_primary: z.number().int().min(0).optional(),
  students_junior: z.number().int().min(0).optional(),
  classes_primary: z.number().int().min(0).optional(),
  classes_junior: z.number().int().min(0).optional(),
  quota: z.number().int().min(0).optional(),
});
export type School = z.infer<typeof schoolSchema>;

export const teacherSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  school_id: z.string().min(1),
  stage: z.enum(STAGES),
  subject: z.enum(SUBJECTS),
  extra_subjects: z.array(z.enum(SUBJECTS)).default([]),
  gender: z.enum(GENDERS),
  birth_year: z.number().int().min(1900).max(2100),
  role: z.enum(ROLES).default('teacher'),
  on_establishment: z.boolean().default(true),
  years_at_school: z.number().int().min(0),
  backbone: z.enum(BACKBONE_LEVELS).default('none'),
  title: z.enum(TITLES).default('none'),
  degree: z.enum(DEGREES).optional(),
  rural_weak_years: z.number().int().min(0).default(0),
  schools_worked: z.number().int().min(1).default(1),
  exemption: z.enum(EXEMPTIONS).optional(),
  volunteer: z.boolean().default(false),
  home_lat: z.number().min(-90).max(90).optional(),
  home_lon: z.number().min(-180).max(180).optional(),
});
export type Teacher = z.infer<typeof teacherSchema>;

export const needSchema = z.object({
  school_id: z.string().min(1),
  stage: z.enum(STAGES),
  subject: z.enum(SUBJECTS),
  required: z.number().min(0),
});
export type Need = z.infer<typeof needSchema>;

export const preferenceSchema = z.object({
  teacher_id: z.string().min(1),
  school_id: z.string().min(1),
  rank: z.number().int().min(1),
});
export type Preference = z.infer<typeof preferenceSchema>;

export const lockSchema = z.discriminatedUnion('action', [
  z.object({ teacher_id: z.string().min(1), action: z.literal('stay'), to_school_id: z.string().optional(), reason: z.string().min(1) }),
  z.object({ teacher_id: z.string().min(1), action: z.literal('move'), to_school_id: z.string().min(1), reason: z.string().min(1) }),
]);
export type Lock = z.infer<typeof lockSchema>;

export const planRowSchema = z.object({
  teacher_id: z.string().min(1),
  from_school_id: z.string().min(1),
  to_school_id: z.string().min(1),
  mode: z.enum(MODES).default('transfer'),
  stage: z.enum(STAGES).optional(),
  subject: z.enum(SUBJECTS).optional(),
  backbone: z.enum(BACKBONE_LEVELS).optional(),
  reason: z.string().default(''),
});
export type PlanRow = z.infer<typeof planRowSchema>;

const share = z.number().min(0).max(1);
const perStage = (primary: number, junior: number) =>
  z.object({ primary: z.number().positive().default(primary), junior: z.number().positive().default(junior) }).prefault({});

/** policy.json: every field optional; defaults are the contract's (and domain.md's where it is silent). */
export const policySchema = z.object({
  year: z.number().int().min(1990).max(2100).default(2026),
  eligibility: z.object({
    teacherYearsAtSchool: z.number().int().min(0).default(6),
    leaderYearsAtSchool: z.number().int().min(0).default(6),
    maxAge: z.object({ M: z.number().int().positive().default(50), F: z.number().int().positive().default(45) }).prefault({}),
  }).prefault({}),
  ratios: z.object({
    minRotatedShareOfEligible: share.default(0.1),
    minBackboneShareOfRotated: share.default(0.2),
  }).prefault({}),
  limits: z.object({
    maxOutflowShareOfSchool: share.default(0.2),
    maxCommuteKm: z.number().positive().nullable().default(null),
  }).prefault({}),
  flows: z.object({ towardRuralOrWeakOnly: z.boolean().default(false) }).prefault({}),
  indicators: z.object({
    cvMax: perStage(0.5, 0.45),
    /** N2017 school thresholds per 100 students (domain.md §C1). */
    aboveDegreeMin: perStage(4.2, 5.3),
    backboneMin: perStage(1.0, 1.0),
    peArtMin: perStage(0.9, 0.9),
    /** Teaching points below this enrolment are left out of the CV (Hebei rule, domain.md §C1). */
    cvMinStudentsTeachingPoint: z.number().int().min(0).default(50),
  }).prefault({}),
  /** Staff:student ratios used when a school has no quota (Q1, domain.md §B2). */
  quotaRatio: perStage(19, 13.5),
  /** Weekly periods one teacher carries, used to derive needs from classes (Q7). */
  teacherLoad: z.object({
    primary: z.number().positive().default(16),
    junior: z.number().positive().default(12),
    ruralPrimary: z.number().positive().default(18),
    ruralJunior: z.number().positive().default(14),
  }).prefault({}),
  /** Objective weights (cost units; see README "The model"). */
  weights: z.object({
    unfilledNeed: z.number().min(0).default(10),
    indicatorGap: z.number().min(0).default(3),
    move: z.number().min(0).default(1),
    ruralOrWeakBonus: z.number().min(0).default(0.6),
    preferenceBonus: z.number().min(0).default(0.8),
  }).prefault({}),
  solver: z.object({
    timeLimitSeconds: z.number().positive().default(60),
    mipRelGap: z.number().min(0).default(1e-3),
    /** Candidate destinations kept per teacher class before the model is built. */
    destinationsPerClass: z.number().int().min(1).default(12),
    /** HiGHS presolve: it stalls on the dense county-wide rows (solver-notes.md), so off by default. */
    presolve: z.enum(['off', 'choose', 'on']).default('off'),
  }).prefault({}),
});
export type Policy = z.infer<typeof policySchema>;
export const defaultPolicy = (): Policy => policySchema.parse({});
