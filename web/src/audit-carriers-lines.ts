// What a plan's moves carry besides the head count (issue 11), as lines of the audit document:
// posts moved, 走教 shares in posts, within/across 学区, career conditions gained, leaders apart
// from teachers, schools meeting all three teacher indicators before → after — each a numerator
// over a denominator, in both languages — and each school failing a size cap with its numbers.
// Pure and DOM-free: the audit page (pages/audit-carriers.ts), the workbook (server/xlsx-audit.ts)
// and the PDF (server/audit-pdf-carriers.ts) render these same lines, so the four never differ.
import { STAGE_ZH } from '../../solver/contract/labels.ts';
import type { AuditDocument } from '../../server/audit-document.ts';

type Counts = AuditDocument['counts'];
type Pair = readonly [zh: string, en: string];

/** The counts per county, then all counties together (labelled `all`) when there are several. */
export function countyBlocks(doc: Pick<AuditDocument, 'counts'>, all: string): { blocks: { label: string; c: Counts }[]; multi: boolean } {
  const counties = doc.counts.per_county;
  const multi = counties.length > 1;
  return { blocks: [...counties.map((c) => ({ label: c.county, c: { ...doc.counts, ...c } })), ...(multi ? [{ label: all, c: doc.counts }] : [])], multi };
}

export interface CarrierLine {
  key: string;
  label: Pair;
  numerator: number;
  denominator: number;
  /** What the line says besides the ratio (leaders by role, 走教 in posts); null: the ratio is the value. */
  value: Pair | null;
}

export function carrierLines(c: Counts, policy: AuditDocument['policy']): CarrierLine[] {
  const line = (key: string, label: Pair, numerator: number, denominator: number, value: Pair | null = null): CarrierLine => ({ key, label, numerator, denominator, value });
  const l = c.leaders;
  const all = c.school_lines.meeting_all;
  const stages = c.school_lines.school_stages;
  const meeting = (when: Pair): Pair => [`三项教师指标全部达标的学校（学段）÷ 有学生的学校（学段）：${when[0]}`, `Schools (per stage) meeting all three teacher indicators ÷ schools with students: ${when[1]}`];
  const posts = Number(c.itinerant_fte.toFixed(2));
  return [
    line('posts', ['带编调动（编制随人走；支教、走教编制留在原校）÷ 交流人数', 'Posts moved: transfers (the post moves; support and itinerant moves keep it at home) ÷ moves'], c.transfers, c.rotated),
    line('itinerant_fte', ['走教岗位份额合计（每人在受援校的份额之和）÷ 走教人数', 'Itinerant shares served, in posts (Σ share at the served school) ÷ itinerant teachers'],
      c.itinerant_fte, c.by_mode.find((m) => m.mode === 'itinerant')?.rotated ?? 0, [`${posts} 个岗位`, `${posts} post${posts === 1 ? '' : 's'}`]),
    line('within_cluster', ['学区/集团内交流 ÷ 交流人数', 'Moves within a cluster (学区/集团) ÷ moves'], c.within_cluster, c.rotated),
    line('cross_cluster', ['跨学区/集团交流 ÷ 交流人数', 'Moves across clusters (学区/集团) ÷ moves'], c.cross_cluster, c.rotated),
    line('rural_year', ['一级教师取得申报高级职称所需的乡村/薄弱学校任教经历 ÷ 尚缺此经历的一级教师', 'First-grade (一级) teachers gaining the rural/weak-school year the senior title needs ÷ those lacking it'],
      c.careers.rural_year.gained, c.careers.rural_year.needing),
    line('second_school', [`校长、高级职称、名师人选取得第${policy.careers.minSchoolsWorked}所学校经历 ÷ 尚缺的人选`, `Candidates for principal, senior title or master teacher (名师) reaching ${policy.careers.minSchoolsWorked} schools ÷ candidates short of them`],
      c.careers.second_school.gained, c.careers.second_school.needing),
    line('leaders', ['学校领导交流（与教师分开统计）÷ 交流人数', 'Leaders rotated (counted apart from teachers) ÷ moves'], l.leaders, c.rotated,
      [`校长 ${l.principal} · 副校长 ${l.vice_principal} · 中层 ${l.middle_manager}`, `principals ${l.principal} · vice-principals ${l.vice_principal} · middle managers ${l.middle_manager}`]),
    line('teachers', ['教师交流（不含学校领导）÷ 交流人数', 'Teachers rotated (leaders apart) ÷ moves'], l.teachers, c.rotated),
    line('meeting_all_before', meeting(['交流前', 'before']), all.before, stages),
    line('meeting_all_after', meeting(['交流后', 'after']), all.after, stages),
  ];
}

/** The note above the lines: what each kind keeps and who counts as a leader. */
export const carriersNote = (policy: AuditDocument['policy']): Pair => {
  const middle = policy.leaders.middleManagersAsLeaders;
  return [
    `调动时编制随人走，支教、走教的编制留在原校；走教按份额计入受援校。学区/集团以调出学校所属为准。学校领导为校长、副校长${middle ? '及中层' : '（中层按教师统计）'}。达标 = 每百名学生高于规定学历、骨干、体育艺术教师三项均达到标准线。`,
    `A transfer moves the post; support (支教) and itinerant (走教) moves keep it at home, and an itinerant teacher counts at the served school for the share taught there. Clusters (学区/集团) are the origin school's. Leaders are principals and vice-principals${middle ? ' and middle managers' : ' (middle managers count as teachers)'}. Meeting = above-degree, backbone and PE & art teachers per 100 students all at their thresholds.`,
  ];
};

type CapRow = AuditDocument['school_caps']['schools'][number];

export interface CapFailure { row: CapRow; cap: string; what: Pair; actual: number; max: number }

/** Each school over a size cap: the school size, or a stage's average class (students ÷ classes). */
export function capFailureLines(rows: readonly CapRow[]): CapFailure[] {
  return rows.flatMap((r) => [
    ...(r.school_size_ok ? [] : [{ row: r, cap: 'school_size', what: ['学校规模（在校生）', 'School size (students)'] as Pair, actual: r.students, max: r.max_students }]),
    ...r.class_size.filter((c) => c.ok === false).map((c) => ({
      row: r, cap: `class_size_${c.stage}`, actual: Number(c.average!.toFixed(1)), max: c.max,
      what: [`平均班额（${STAGE_ZH[c.stage]}，${c.students}人 ÷ ${c.classes}班）`, `Average class (${c.stage}, ${c.students} ÷ ${c.classes} classes)`] as Pair,
    })),
  ]);
}

/** “学校规模超标 0/14 校；班额超标 2/14 校”, and the stages that cannot be judged for want of class counts. */
export function capsSummary(rows: readonly Omit<CapRow, 'county' | 'school_name'>[]): Pair {
  const size = rows.filter((r) => !r.school_size_ok).length;
  const cls = rows.filter((r) => r.class_size.some((c) => c.ok === false)).length;
  const unknown = rows.reduce((a, r) => a + r.class_size.filter((c) => c.ok === null).length, 0);
  return [`学校规模超标 ${size}/${rows.length} 校；班额超标 ${cls}/${rows.length} 校${unknown ? `；${unknown} 个学段未填班数，无法判断班额` : ''}。`,
    `Over the school-size cap: ${size} of ${rows.length} schools; over the class-size cap: ${cls} of ${rows.length} schools${unknown ? `; ${unknown} stage(s) without class counts cannot be judged` : ''}.`];
}

export const CAPS_STANDARD: Pair = ['优质均衡标准：小学平均班额 ≤ 45、初中 ≤ 50；学校规模 ≤ 2000人（九年一贯制 ≤ 2500）。交流只调整教师，不改变这两项。',
  'Quality-balance (优质均衡) standard: average class ≤ 45 (primary), ≤ 50 (junior); school ≤ 2,000 students (2,500 nine-year). Rotation moves teachers only and changes neither.'];
