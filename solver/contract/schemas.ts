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
export const MODES = ['transfer', 'support', 'itinerant', 'shadow'] as const;
export const GENDERS = ['M', 'F'] as const;

export type Stage = (typeof STAGES)[number];
export type SchoolStage = (typeof SCHOOL_STAGES)[number];
export type Locale = (typeof LOCALES)[number];
export type Subject = (typeof SUBJECTS)[number];
export type Degree = (typeof DEGREES)[number];
export type Mode = (typeof MODES)[number];

/**
 * A school or teacher id: not empty, not starting like a spreadsheet formula (= + - @, tab, CR),
 * no control characters. Ids go back out in plan.csv, where escaping them would change them (csv-text.ts).
 */
const code = () => z.string().min(1).regex(/^[^=+\-@\t\r][^\u0000-\u001f\u007f]*$/);

export const schoolSchema = z.object({
  id: code(),
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
  /** Added column: 寄宿制学校 (boarding school), favoured when the county allocates posts (solver/cycle/posts.ts). */
  boarding: z.boolean().optional(),
});
export type School = z.infer<typeof schoolSchema>;

export const teacherSchema = z.object({
  id: code(),
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
  /** Added (issue 12): the annual assessment score (考核分数) competitive appointment ranks by (solver/cycle/). */
  assessment_score: z.number().min(0).max(1000).optional(),
});
export type Teacher = z.infer<typeof teacherSchema>;

export const needSchema = z.object({
  school_id: z.string().min(1),
  stage: z.enum(STAGES),
  subject: z.enum(SUBJECTS),
  required: z.number().min(0),
});
export type Need = z.infer<typeof needSchema>;

/**
 * posts.csv (added file, `lungang posts`): the posts the county allocates to one school × stage × subject,
 * their 岗位 grades (高级/一级/二级, summing to at most `posts`) and the rule behind the number. As an
 * input it stands for needs.csv: `posts` is the need (solver/contract/dataset.ts).
 */
export const postRowSchema = z.object({
  school_id: z.string().min(1),
  stage: z.enum(STAGES),
  subject: z.enum(SUBJECTS),
  posts: z.number().int().min(0),
  senior: z.number().int().min(0).default(0),
  first: z.number().int().min(0).default(0),
  second: z.number().int().min(0).default(0),
  rule: z.string().default(''),
}).refine((r) => r.senior + r.first + r.second <= r.posts, { message: '高级+一级+二级 多于岗位数 / senior + first + second exceed posts', path: ['posts'] });
export type PostRow = z.infer<typeof postRowSchema>;

export const preferenceSchema = z.object({
  teacher_id: z.string().min(1),
  school_id: z.string().min(1),
  rank: z.number().int().min(1),
});
export type Preference = z.infer<typeof preferenceSchema>;

/** Added (issue 12): applications.csv, the cross-school round's applications (rank 1 = most wanted). */
export const applicationSchema = preferenceSchema;
export type Application = z.infer<typeof applicationSchema>;

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
  /** 走教 rows: the share of a post served at to_school_id (an addition to contract v1; empty for whole moves). A 走教 teacher serving several schools has one row per school, each with its share. */
  fte: z.number().gt(0).max(1).optional(),
  /** Added column: the need the move fills when it is one of the teacher's extra_subjects (empty: the main subject). */
  fills_subject: z.enum(SUBJECTS).optional(),
});
export type PlanRow = z.infer<typeof planRowSchema>;

/** history.csv kinds: the plan's kinds of move, and `deferral` (暂缓: a year the teacher's rotation was put off). */
export const HISTORY_MODES = [...MODES, 'deferral'] as const;

/**
 * history.csv (an addition to contract v1): one row per past rotation or deferral. Years are school
 * years by their autumn (2023 = 2023–24); a term from start_year to end_year ends when the school
 * year end_year begins, so a 支教 row with end_year ≤ the plan year returns home (solver/cycle/history.ts).
 */
export const historyRowSchema = z.object({
  teacher_id: z.string().min(1),
  from_school_id: z.string().min(1),
  /** Empty only on `deferral` rows (checked in dataset.ts, which knows the line). */
  to_school_id: z.string().min(1).optional(),
  mode: z.enum(HISTORY_MODES),
  start_year: z.number().int().min(1990).max(2100),
  /** Empty: a transfer that still holds, or a term of `modes.*.termYears`; deferral: the one year. */
  end_year: z.number().int().min(1990).max(2100).optional(),
  /** On deferral rows: the exemption that deferred the rotation. */
  exemption: z.enum(EXEMPTIONS).optional(),
});
export type HistoryRow = z.infer<typeof historyRowSchema>;

const share = z.number().min(0).max(1);
const perStage = (primary: number, junior: number) =>
  z.strictObject({ primary: z.number().positive().default(primary), junior: z.number().positive().default(junior) }).prefault({});

/**
 * policy.json: every field optional; defaults are the contract's (and domain.md's where it is silent).
 * Strict: a misspelt key is an error naming it, never silently dropped with the default in force.
 */
export const policySchema = z.strictObject({
  year: z.number().int().min(1990).max(2100).default(2026),
  eligibility: z.strictObject({
    teacherYearsAtSchool: z.number().int().min(0).default(6),
    leaderYearsAtSchool: z.number().int().min(0).default(6),
    maxAge: z.strictObject({ M: z.number().int().positive().default(50), F: z.number().int().positive().default(45) }).prefault({}),
  }).prefault({}),
  ratios: z.strictObject({
    minRotatedShareOfEligible: share.default(0.1),
    /** The rotation budget's upper end; null = rotate exactly the minimum (move locks may raise it). */
    maxRotatedShareOfEligible: share.nullable().default(null),
    minBackboneShareOfRotated: share.default(0.2),
  }).prefault({}),
  limits: z.strictObject({
    maxOutflowShareOfSchool: share.default(0.2),
    maxCommuteKm: z.number().positive().nullable().default(null),
  }).prefault({}),
  flows: z.strictObject({
    towardRuralOrWeakOnly: z.boolean().default(false),
    /**
     * 学区/集团 as the carrier of rotation (seed 001 Qinghai 2024, seed 004 学区联合体): 'prefer' prices each
     * move that leaves the origin's cluster (weights.leaveCluster), 'only' forbids it, 'off' ignores clusters.
     */
    cluster: z.enum(['off', 'prefer', 'only']).default('off'),
  }).prefault({}),
  /** Principals, vice-principals (and 中层 when switched on) rotate under their own rules (solver/policy/leaders.ts). */
  leaders: z.strictObject({
    /** Age below which a leader must rotate (R4: Tianjin principals 男55/女50); by default the teachers' caps. */
    maxAge: z.strictObject({ M: z.number().int().positive().default(50), F: z.number().int().positive().default(45) }).prefault({}),
    /** Leaders leaving one school in a year, at most. */
    maxLeavingPerSchool: z.number().int().min(0).default(1),
    /** 中层 rotate as leaders: leader tenure and age caps, and they count in maxLeavingPerSchool (seed 004 中层轮岗). */
    middleManagersAsLeaders: z.boolean().default(false),
  }).prefault({}),
  /** Career conditions a move can meet (solver/policy/careers.ts). */
  careers: z.strictObject({
    /** Years at a rural or weak school a 一级 teacher needs to apply for 高级 (seed 001 §15: 1年以上). */
    seniorTitleRuralYears: z.number().int().min(1).max(10).default(1),
    /** Schools a new principal, senior-title teacher or 名师 must have worked at (seed 002 §2: 至少两所). */
    minSchoolsWorked: z.number().int().min(2).max(10).default(2),
  }).prefault({}),
  /**
   * The kinds of move (R17): whether the optimiser may make each one (`allowed`; an audited plan
   * using a kind the policy does not allow breaks rule mode_allowed) and whether it counts toward
   * the rotation share (R10: the texts disagree on 支教 and 走教, domain.md §g Q4; all count by default
   * but 顶岗培养, which is training).
   */
  modes: z.strictObject({
    transfer: z.strictObject({ allowed: z.boolean().default(true), countsTowardRotation: z.boolean().default(true) }).prefault({}),
    /** 支教: the post (quota) stays at home; the teacher teaches at the destination for `termYears`. */
    support: z.strictObject({
      allowed: z.boolean().default(false),
      countsTowardRotation: z.boolean().default(true),
      termYears: z.number().int().min(1).max(6).default(1),
    }).prefault({}),
    /**
     * 走教 (seed 001 紧缺学科教师巡回教学, seed 003 乡镇学区内教师走教): a teacher of a shortage subject keeps the home
     * school and serves one or more nearby schools part-time (at most `maxSchools`), `fte` of a post at each (1/k:
     * 0.5, 0.25, 0.2), the rest at home: maxSchools × fte < 1, so the teacher keeps teaching at the home school.
     */
    itinerant: z.strictObject({
      allowed: z.boolean().default(false),
      countsTowardRotation: z.boolean().default(true),
      fte: z.number().gt(0).max(0.5).refine((x) => Number.isInteger(1 / x), { message: 'fte must be 1/k (0.5, 0.25, 0.2 …)' }).default(0.5),
      /** Straight-line km between the home school and the served school (schools.lat/lon). */
      maxKm: z.number().positive().default(15),
      /** Only within the home school's 学区/集团 (schools.cluster). */
      withinCluster: z.boolean().default(true),
      /** Only to a school short of the teacher's subject before the plan (needs − teachers > 0); off: 走教 may also balance the indicators. */
      onlyWhereShort: z.boolean().default(false),
      /** 思政、科学、体育、艺术、心理健康 (seed 001). */
      subjects: z.array(z.enum(SUBJECTS)).default(['ethics_law', 'science', 'pe', 'music', 'art', 'mental_health']),
      /** Schools one 走教 teacher serves at most, each at `fte` (issue: "serves one or more nearby schools"). */
      maxSchools: z.number().int().min(1).default(1),
    }).refine((x) => x.maxSchools * x.fte < 1 - 1e-9, { message: 'maxSchools × fte must stay below 1: the teacher keeps teaching at home', path: ['maxSchools'] }).prefault({}),
    /**
     * 顶岗培养 (seed 003 裕政〔2024〕53号 §17 农村教师到城区学校顶岗培养): a reverse move for training — a
     * teacher of a rural or weak school fills a post at a town/urban school for `termYears`, the home
     * post kept (like 支教). Training, not rotation: outside the rotation budget and, by default, the shares.
     */
    shadow: z.strictObject({
      allowed: z.boolean().default(false),
      countsTowardRotation: z.boolean().default(false),
      termYears: z.number().int().min(1).max(6).default(1),
      /** The county's training list: teacher ids the plan must place in 顶岗培养 (the optimiser picks the host). */
      teachers: z.array(z.string().min(1)).default([]),
      /** Besides the named: at most ⌊share × teachers at the county's rural or weak schools⌋ placements the optimiser chooses. */
      maxShareOfRuralTeachers: share.default(0.05),
    }).prefault({}),
  }).prefault({}),
  /**
   * The year's must-rotate list (rule must_rotate): teachers this year's plan must rotate, any allowed
   * school and kind that counts toward rotation. `lungang cycle` fills it with the cycle's teachers
   * who would otherwise leave the cycle unrotated (about to pass the age cap; in the last year, all left).
   */
  cycle: z.strictObject({
    mustRotate: z.array(z.string().min(1)).default([]),
    /**
     * The year's staffing floors (rule staff_floor): school id → teachers it keeps after the plan, so
     * that next year's outflow cap (⌊20% × its teachers⌋) can let its waiting cycle teachers go.
     * `lungang cycle` sets them; a 教学点 of 4 has a cap of 0 until it has 5.
     */
    staffFloor: z.record(z.string().min(1), z.number().int().min(0)).default({}),
  }).prefault({}),
  /** Several years (solver/cycle/): the minimum term, and the limits the auditor's history checks use. */
  history: z.strictObject({
    /** R9 (domain.md, 3 assumed: 具体年限由各地确定): no teacher is moved again, and no stay counts as a term, within this many years. */
    minTermYears: z.number().int().min(1).max(10).default(3),
    /** R5: a rotation may be deferred at most this many years in a row (特色项目负责人 ≤3 yrs, L-DL/L-BJ). */
    maxDeferYears: z.number().int().min(1).max(10).default(3),
    /** Years looked back for "the same teacher rotated again"; null = eligibility.teacherYearsAtSchool. */
    windowYears: z.number().int().min(1).max(20).nullable().default(null),
  }).prefault({}),
  indicators: z.strictObject({
    cvMax: perStage(0.5, 0.45),
    /** N2017 school thresholds per 100 students (domain.md §C1). */
    aboveDegreeMin: perStage(4.2, 5.3),
    backboneMin: perStage(1.0, 1.0),
    peArtMin: perStage(0.9, 0.9),
    /** Teaching points below this enrolment are left out of the CV (Hebei rule, domain.md §C1). */
    cvMinStudentsTeachingPoint: z.number().int().min(0).default(50),
    /** Switch: no stage × indicator 差异系数 may end higher than it started. */
    neverWorse: z.boolean().default(true),
  }).prefault({}),
  /** How `lungang posts` allocates the county's 编制 and 岗位 (solver/cycle/posts.ts, README "Posts"). */
  posts: z.strictObject({
    /** 乡村小规模学校: a rural school or 教学点 below this enrolment (国办发〔2018〕27号: 不足100人的村小学和教学点). */
    smallSchoolStudents: z.number().int().min(1).default(100),
    /** Its floor, teachers per class (班师比; the same text: 生师比与班师比相结合). Assumption, provinces set their own. */
    teachersPerClass: z.number().min(0).max(5).default(1),
    /** Extra weight of a boarding school's enrolment (国办发〔2018〕27号 寄宿制学校…适当增加编制). Assumption. */
    boardingUplift: share.default(0.1),
    /** 岗位结构比例 per stage: 高级 and 一级 shares of the posts, the rest 二级 and below. Assumptions (README). */
    grades: z.strictObject({
      primary: z.strictObject({ senior: share.default(0.1), first: share.default(0.5) }).prefault({}),
      junior: z.strictObject({ senior: share.default(0.2), first: share.default(0.5) }).prefault({}),
    }).refine((g) => g.primary.senior + g.primary.first <= 1 && g.junior.senior + g.junior.first <= 1, { message: 'senior + first must not exceed 1' }).prefault({}),
    /** Extra weight of a rural or weak school's posts when the 高级 posts are shared out (seed 000, seed 002 职称评聘向乡村学校倾斜). */
    ruralSeniorUplift: share.default(0.2),
  }).prefault({}),
  /** Staff:student ratios used when a school has no quota (Q1, domain.md §B2). */
  quotaRatio: perStage(19, 13.5),
  /** Weekly periods one teacher carries, used to derive needs from classes (Q7). */
  teacherLoad: z.strictObject({
    primary: z.number().positive().default(16),
    junior: z.number().positive().default(12),
    ruralPrimary: z.number().positive().default(18),
    ruralJunior: z.number().positive().default(14),
  }).prefault({}),
  /** Objective weights (cost units; solver/policy/objective.ts names each term, README "The model"). */
  weights: z.strictObject({
    /** Per stage × indicator: weight × CV²/CV²_before (so 1 unit = the whole 差异系数 gone). */
    cvBalance: z.number().min(0).max(1e6).default(100),
    /** Multiplier for a stage × indicator whose CV starts above its threshold (0.50 / 0.45). */
    cvOverThreshold: z.number().min(1).max(100).default(3),
    /** Multiplier per indicator (planners may care more about one). */
    cvIndicator: z.strictObject({
      aboveDegree: z.number().min(0).max(100).default(1),
      backbone: z.number().min(0).max(100).default(1),
      peArt: z.number().min(0).max(100).default(1),
    }).prefault({}),
    /** Per teacher of subject need left unfilled (needs in whole teachers). Below `move`: a need alone does not buy a move. */
    unfilledNeed: z.number().min(0).max(1e6).default(0.5),
    /**
     * Per school × stage × indicator brought over its 优质均衡 line per 100 students (4.2/5.3, 1.0, 0.9):
     * a bonus; one dropped below costs the same (solver/policy/school-lines.ts). Off by default: each
     * line within reach is a binary with a big-M row, and at 1 the 5,000-teacher sample county hit the
     * 60 s limit at a 0.43% gap instead of proving optimality in seconds.
     */
    schoolLine: z.number().min(0).max(1e6).default(0),
    /** Per teacher moved: with a budget above the minimum, every extra move must pay for itself. */
    move: z.number().min(0).max(1e6).default(1),
    /** Bonus per move from a town/urban school to a rural one, or to a weak school. */
    ruralOrWeakBonus: z.number().min(0).max(1e6).default(0.3),
    /**
     * Per 支教 move on top of `move`: the post stays at home and the teacher returns after the term,
     * so the receiving school gains for the term only; half a move (a transfer is preferred where
     * both keep every rule). Lower values make 支教 nearly free and the 8,000-teacher bench ~3.5× slower (README).
     */
    supportMove: z.number().min(0).max(1e6).default(0.5),
    /** Per 顶岗培养 placement on top of `move`: like 支教, the host gains for the term only. */
    shadowMove: z.number().min(0).max(1e6).default(0.5),
    /** Per move leaving the origin's 学区/集团 (flows.cluster = 'prefer' only). */
    leaveCluster: z.number().min(0).max(1e6).default(0.3),
    /**
     * Per teacher sent to fill a need in one of their extra_subjects rather than the main one: such a
     * fill is worth unfilledNeed − this (a second subject is taught less well, and the main one not at all).
     */
    extraSubjectFill: z.number().min(0).max(1e6).default(0.2),
    /** Bonus per move that gives a 一级 teacher the rural/weak year the 高级 application needs (careers.ts). */
    ruralYearBonus: z.number().min(0).max(1e6).default(0.3),
    /** Bonus per move that gives a candidate for principal, 高级 or 名师 the second school they need (careers.ts). */
    secondSchoolBonus: z.number().min(0).max(1e6).default(0.2),
    /** Per km the move adds to the teacher's commute from home (negative when it shortens it). */
    commutePerKm: z.number().min(0).max(1e6).default(0.02),
    /** Bonus for a move to a school the teacher asked for, divided by the rank. */
    preferenceBonus: z.number().min(0).max(1e6).default(0.5),
    /** Per teacher whose assignment differs from the baseline plan (re-plans only). */
    changeFromBaseline: z.number().min(0).max(1e6).default(3),
  }).prefault({}),
  solver: z.strictObject({
    timeLimitSeconds: z.number().positive().max(86400).default(60),
    mipRelGap: z.number().min(0).max(1).default(1e-4),
    /** Destinations per teacher class in the first restricted model; pricing adds any other that pays. */
    destinationsPerClass: z.number().int().min(1).default(12),
    /**
     * HiGHS presolve. It stalls on the dense county-wide rows in the LP (solver-notes.md) but keeps
     * the branch and bound short and small: 'auto' = off for the LP, on for the MIP.
     */
    presolve: z.enum(['auto', 'off', 'choose', 'on']).default('auto'),
  }).prefault({}),
});
export type Policy = z.infer<typeof policySchema>;
export const defaultPolicy = (): Policy => policySchema.parse({});
