// The 优质均衡 size caps (average class ≤ 45 primary / 50 junior, school ≤ 2,000 students or 2,500
// for a nine-year school) as the data page and the audit page show them. The rows come from the
// solver's own code (solver/policy/school-caps.ts), the same rows report.json lists.
import type { SchoolCapRow } from '../../../solver/policy/school-caps.ts';
import { type Child, h } from '../dom.ts';
import { int, num } from '../format.ts';
import { L, stageLabel } from '../i18n.ts';

export const failsSchoolSize = (r: SchoolCapRow): boolean => !r.school_size_ok;
export const failsClassSize = (r: SchoolCapRow): boolean => r.class_size.some((c) => c.ok === false);
export const failsACap = (r: SchoolCapRow): boolean => failsSchoolSize(r) || failsClassSize(r);

/** “学校规模超标 0/14 校；班额超标 2/14 校”, and the stages that cannot be judged for want of class counts. */
export function capsSummary(rows: readonly SchoolCapRow[]): string {
  const size = rows.filter(failsSchoolSize).length;
  const cls = rows.filter(failsClassSize).length;
  const unknown = rows.reduce((a, r) => a + r.class_size.filter((c) => c.ok === null).length, 0);
  return L(`学校规模超标 ${size}/${rows.length} 校；班额超标 ${cls}/${rows.length} 校${unknown ? `；${unknown} 个学段未填班数，无法判断班额` : ''}。`,
    `Over the school-size cap: ${size} of ${rows.length} schools; over the class-size cap: ${cls} of ${rows.length} schools${unknown ? `; ${unknown} stage(s) without class counts cannot be judged` : ''}.`);
}

export const capsStandard = (): string => L('优质均衡标准：小学平均班额 ≤ 45、初中 ≤ 50；学校规模 ≤ 2000人（九年一贯制 ≤ 2500）。',
  'Quality-balance (优质均衡) standard: average class ≤ 45 (primary), ≤ 50 (junior); school ≤ 2,000 students (2,500 nine-year).');

/** Each stage's average class against its cap (“44.9 / 45”), over the cap in red. */
export function classSizeCell(r: SchoolCapRow): Child {
  return r.class_size.map((c, i) => h('span', { class: `nowrap${c.ok === false ? ' bad-text strong' : ''}`, 'data-stage': c.stage, 'data-ok': String(c.ok) },
    i > 0 ? ' · ' : '', r.class_size.length > 1 ? `${stageLabel(c.stage)} ` : '', c.average === null ? L('未填班数', 'no classes') : `${num(c.average, 1)} / ${int(c.max)}`));
}

/** Students against the school-size cap (“1,213 / 2,000”), over it in red. */
export const schoolSizeCell = (r: SchoolCapRow): Child =>
  h('span', { class: `nowrap${r.school_size_ok ? '' : ' bad-text strong'}`, 'data-ok': String(r.school_size_ok) }, `${int(r.students)} / ${int(r.max_students)}`);

/** The worst stage's average class as a share of its cap, for sorting. */
export const classSizeLoad = (r: SchoolCapRow): number | null =>
  r.class_size.reduce<number | null>((a, c) => (c.average === null ? a : Math.max(a ?? 0, c.average / c.max)), null);
