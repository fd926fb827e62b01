// The 优质均衡 size caps (average class ≤ 45 primary / 50 junior, school ≤ 2,000 students or 2,500
// for a nine-year school) in the data page's schools table. The rows come from the solver's own
// code (solver/policy/school-caps.ts), the same rows report.json lists.
import type { SchoolCapRow } from '../../../solver/policy/school-caps.ts';
import { type Child, h } from '../dom.ts';
import { int, num } from '../format.ts';
import { L, stageLabel } from '../i18n.ts';

export const failsACap = (r: SchoolCapRow): boolean => !r.school_size_ok || r.class_size.some((c) => c.ok === false);

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
