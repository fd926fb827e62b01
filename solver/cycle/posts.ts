// The spring step of the annual 县管校聘 cycle (seed 002 安政办〔2019〕46号 §三(三)2): 编办 fixes the
// county's 编制总量 from enrolment, 人社 the 岗位总量 by the post-structure ratios, and the bureau
// shares both out to the schools "按照班额、生源等情况，充分考虑乡村小规模学校、寄宿制学校". This module
// does the sharing out, per county, in whole posts that add up to the county totals exactly:
//   1. county 编制总量 = Σ schools' quota (quotaOf: the approved quota, else enrolment ÷ 19 / 13.5);
//   2. schools: by enrolment ÷ the ratios (boarding schools weighted up), after a floor for small
//      rural schools (classes × teachers per class);
//   3. a school's stages: by the same enrolment, each stage keeping its share of the floor;
//   4. subjects: by the periods the school's classes need (deriveNeeds, the 2022 curriculum);
//   5. grades (高级/一级/二级): the county's posts of a stage by the post-structure shares, the 高级
//      posts weighted toward rural and weak schools, each row's grades within its posts.
// Each row carries the rule behind its number (posts.csv `rule`), and its English twin for the web app.
import type { Policy, PostRow, School, Stage, Subject } from '../contract/schemas.ts';
import { SUBJECT_EN, SUBJECT_ZH } from '../contract/labels.ts';
import { csvText } from '../contract/csv-text.ts';
import type { InputError } from '../contract/input-errors.ts';
import { countyOf, isRuralOrWeak, quotaOf } from '../policy/county.ts';
import { schoolStages, stageStudents } from '../policy/indicators.ts';
import { WEEKLY_PERIODS, deriveNeeds, stageClasses } from '../policy/needs.ts';
import { apportion } from './apportion.ts';

export const POSTS_COLUMNS = ['school_id', 'stage', 'subject', 'posts', 'senior', 'first', 'second', 'rule'] as const;

/**
 * A row of posts.csv with its rule in English too and whether the school's posts are its
 * small-rural-school floor (neither is written to the file).
 */
export type AllocatedPost = PostRow & { rule_en: string; floored: boolean };

export interface GradeTotals { posts: number; senior: number; first: number; second: number }

/** A county's totals, which the rows of posts.csv add up to. */
export interface CountyPosts {
  county: string;
  /** 编制总量: Σ quotaOf over the county's schools. */
  quota: number;
  /** 岗位总量 per stage, by grade. */
  stages: Record<Stage, GradeTotals>;
  /** Schools under the small-rural-school floor, and the posts the floors hold. */
  floored: { schools: number; posts: number };
}

export type PostsResult =
  | { ok: true; rows: AllocatedPost[]; counties: CountyPosts[] }
  | { ok: false; problems: { county: string; zh: string; en: string }[] };

/** A refused share-out as input errors against schools.csv (whole file), as the CLI and the API report it. */
export const postsProblemErrors = (problems: readonly { county: string; zh: string; en: string }[]): InputError[] =>
  problems.map((p) => ({ file: 'schools.csv', line: 0, column: '-', message: `${p.county ? `[${p.county}] ` : ''}${p.zh}`, messageEn: `${p.county ? `[${p.county}] ` : ''}${p.en}` }));

/** 乡村小规模学校 (国办发〔2018〕27号: 不足100人的村小学和教学点): rural or a teaching point, below the enrolment line. */
export function isSmallRural(s: School, policy: Policy): boolean {
  const students = stageStudents(s, 'primary') + stageStudents(s, 'junior');
  return (s.locale === 'rural' || s.teaching_point) && students < policy.posts.smallSchoolStudents;
}

/** The floor of one stage of a school: classes × teachers per class (班师比), rounded up; 0 for other schools. */
function stageFloor(s: School, stage: Stage, policy: Policy): number {
  return isSmallRural(s, policy) ? Math.ceil(stageClasses(s, stage) * policy.posts.teachersPerClass - 1e-9) : 0;
}

/** Enrolment in quota units (students ÷ the stage's staff:student ratio), the share-out weight. */
const ratioWeight = (s: School, stage: Stage, policy: Policy): number => stageStudents(s, stage) / policy.quotaRatio[stage];

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function allocatePosts(schools: readonly School[], policy: Policy): PostsResult {
  const rows: AllocatedPost[] = [];
  const counties: CountyPosts[] = [];
  const problems: { county: string; zh: string; en: string }[] = [];
  for (const county of [...new Set(schools.map(countyOf))].sort()) {
    const r = allocateCounty(county, schools.filter((s) => countyOf(s) === county), policy);
    if ('zh' in r) problems.push({ county, ...r });
    else {
      rows.push(...r.rows);
      counties.push(r.totals);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows, counties };
}

function allocateCounty(county: string, schools: readonly School[], policy: Policy): { rows: AllocatedPost[]; totals: CountyPosts } | { zh: string; en: string } {
  const p = policy.posts;
  const quota = schools.reduce((a, s) => a + quotaOf(s, policy).quota, 0);
  const floors = schools.map((s) => schoolStages(s).reduce((a, st) => a + stageFloor(s, st, policy), 0));
  const bySchool = apportion(quota, schools.map((s, i) => ({
    weight: schoolStages(s).reduce((a, st) => a + ratioWeight(s, st, policy), 0) * (s.boarding ? 1 + p.boardingUplift : 1),
    floor: floors[i] ?? 0,
  })));
  if (!bySchool.ok) {
    return {
      zh: `乡村小规模学校保底共需 ${bySchool.floors} 个编制，超过县编制总量 ${quota}：请降低每班保底人数（posts.teachersPerClass）或核增编制`,
      en: `the small rural school floors need ${bySchool.floors} posts, more than the county's ${quota}: lower posts.teachersPerClass or raise the quota`,
    };
  }
  const rows: AllocatedPost[] = [];
  const meta: { school: School; stage: Stage }[] = [];
  schools.forEach((s, i) => {
    const posts = bySchool.counts[i] ?? 0;
    const floored = (floors[i] ?? 0) > 0 && posts === floors[i];
    const stages = schoolStages(s);
    const byStage = apportion(posts, stages.map((st) => ({ weight: ratioWeight(s, st, policy), floor: stageFloor(s, st, policy) })));
    stages.forEach((stage, k) => {
      const stagePosts = byStage.ok ? (byStage.counts[k] ?? 0) : 0;
      const floor = stageFloor(s, stage, policy);
      const schoolRule = floored
        ? {
          zh: `乡村小规模学校保底 ${floor} 人（${stageClasses(s, stage)} 班 × ${p.teachersPerClass} 人/班，国办发〔2018〕27号 生师比与班师比相结合）`,
          en: `small rural school floor of ${floor} (${stageClasses(s, stage)} classes × ${p.teachersPerClass} per class, State Council 2018 No. 27: pupils and classes per teacher combined)`,
        }
        : {
          zh: `县编制总量 ${quota} 按在校生 1:${policy.quotaRatio[stage]} 分配（中央编办发〔2014〕72号）${s.boarding ? `，寄宿制上浮 ${pct(p.boardingUplift)}` : ''}`,
          en: `county quota of ${quota} shared by enrolment at 1:${policy.quotaRatio[stage]} (SCOPSR 2014 No. 72)${s.boarding ? `, boarding school weighted up ${pct(p.boardingUplift)}` : ''}`,
        };
      for (const sub of subjectShares(s, stage, stagePosts, policy)) {
        rows.push({
          school_id: s.id, stage, subject: sub.subject, posts: sub.posts, senior: 0, first: 0, second: sub.posts,
          rule: `${schoolRule.zh}；${sub.rule}`, rule_en: `${schoolRule.en}; ${sub.rule_en}`, floored,
        });
        meta.push({ school: s, stage });
      }
    });
  });
  const stages = { primary: gradeMix(rows, meta, 'primary', policy), junior: gradeMix(rows, meta, 'junior', policy) };
  const floored = floors.filter((f, i) => f > 0 && f === bySchool.counts[i]);
  return { rows, totals: { county, quota, stages, floored: { schools: floored.length, posts: floored.reduce((a, f) => a + f, 0) } } };
}

/** A stage's posts over its subjects by the weekly periods the school's classes need (largest remainder). */
function subjectShares(s: School, stage: Stage, posts: number, policy: Policy): { subject: Subject; posts: number; rule: string; rule_en: string }[] {
  const needs = deriveNeeds([s], policy).filter((n) => n.stage === stage);
  // A stage with no classes still gets its subjects listed, weighted by the curriculum's periods.
  const weights = needs.length > 0
    ? needs.map((n) => ({ subject: n.subject, weight: n.required }))
    : (Object.entries(WEEKLY_PERIODS[stage]) as [Subject, number][]).map(([subject, weight]) => ({ subject, weight }));
  const split = apportion(posts, weights);
  const counts = split.ok ? split.counts : weights.map(() => 0);
  return weights.map((w, i) => ({
    subject: w.subject,
    posts: counts[i] ?? 0,
    rule: needs.length > 0
      ? `${SUBJECT_ZH[w.subject]}按课时需求 ${w.weight.toFixed(2)} 人当量分学科（教材〔2022〕2号课程方案）`
      : `${SUBJECT_ZH[w.subject]}按每班周课时 ${w.weight.toFixed(2)} 节的比例分学科（无班级；教材〔2022〕2号课程方案）`,
    rule_en: needs.length > 0
      ? `${SUBJECT_EN[w.subject]} by the periods the classes need, ${w.weight.toFixed(2)} FTE (MOE 2022 No. 2 curriculum)`
      : `${SUBJECT_EN[w.subject]} by its ${w.weight.toFixed(2)} weekly periods per class (no classes; MOE 2022 No. 2 curriculum)`,
  }));
}

/**
 * The county's posts of one stage by grade (posts.grades), each grade then shared out over the
 * schools (the bureau sets each school's 岗位结构, seed 002 细化各校岗位结构比例) and within a school
 * over its rows. 高级 goes to schools by posts weighted up at rural and weak schools (seed 000
 * 高级岗位向农村和薄弱学校倾斜; seed 002 职称评聘向乡村学校倾斜), 一级 by posts within what 高级 left,
 * 二级 is the rest. Writes into `rows`.
 */
function gradeMix(rows: AllocatedPost[], meta: readonly { school: School; stage: Stage }[], stage: Stage, policy: Policy): GradeTotals {
  const bySchool = new Map<School, AllocatedPost[]>();
  rows.forEach((r, i) => {
    const m = meta[i];
    if (m?.stage === stage) bySchool.set(m.school, [...(bySchool.get(m.school) ?? []), r]);
  });
  const groups = [...bySchool.entries()].map(([school, list]) => ({ school, list, posts: list.reduce((a, r) => a + r.posts, 0) }));
  const posts = groups.reduce((a, g) => a + g.posts, 0);
  const g = policy.posts.grades[stage];
  const county = apportion(posts, [{ weight: g.senior }, { weight: g.first }, { weight: 1 - g.senior - g.first }]);
  const [senior = 0, first = 0] = county.ok ? county.counts : [];
  // One grade over schools, then over each school's rows, every share within the posts not yet graded.
  const share = (total: number, grade: 'senior' | 'first', tilt: (s: School) => number) => {
    const room = (r: PostRow) => r.posts - r.senior - r.first;
    const schools = apportion(total, groups.map((x) => ({ weight: x.posts * tilt(x.school), cap: x.list.reduce((a, r) => a + room(r), 0) })));
    groups.forEach((x, k) => {
      const inSchool = apportion(schools.ok ? (schools.counts[k] ?? 0) : 0, x.list.map((r) => ({ weight: r.posts, cap: room(r) })));
      x.list.forEach((r, j) => { r[grade] = inSchool.ok ? (inSchool.counts[j] ?? 0) : 0; });
    });
  };
  share(senior, 'senior', (s) => (isRuralOrWeak(s) ? 1 + policy.posts.ruralSeniorUplift : 1));
  share(first, 'first', () => 1);
  const tilted = policy.posts.ruralSeniorUplift > 0;
  const rule = `；岗位结构 高级 ${pct(g.senior)}、一级 ${pct(g.first)}${tilted ? '，高级岗位向乡村、薄弱学校倾斜' : ''}`;
  const ruleEn = `; post structure senior ${pct(g.senior)}, first ${pct(g.first)}${tilted ? ', senior posts tilted toward rural and weak schools' : ''}`;
  for (const x of groups) {
    for (const r of x.list) {
      r.second = r.posts - r.senior - r.first;
      r.rule += rule;
      r.rule_en += ruleEn;
    }
  }
  return { posts, senior, first, second: posts - senior - first };
}

export const postsCsvText = (rows: readonly PostRow[]): string => csvText(rows, POSTS_COLUMNS);
