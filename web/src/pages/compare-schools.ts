// 各校影响: every school side by side across the compared runs — quota, teachers before, and per
// run the teachers who leave, arrive and remain — so a leader sees which schools a scenario
// touches and whether any ends above its quota (red) or at its outflow cap.
import type { Comparison } from '../api.ts';
import { h } from '../dom.ts';
import { int, signed } from '../format.ts';
import { L } from '../i18n.ts';
import { type Column, dataTable } from '../table.ts';

type SchoolRow = Comparison['schools'][number];
type SchoolRun = NonNullable<SchoolRow['runs'][number]>;

const first = (s: SchoolRow) => s.runs.find((r) => r !== null) ?? null;
const moved = (s: SchoolRow) => s.runs.some((r) => r !== null && (r.outflow > 0 || r.inflow > 0));
/** Staff after may not exceed max(quota, staff before) (the quota rule). */
const overQuota = (r: SchoolRun) => r.teachers_after > Math.max(r.quota, r.teachers_before);

function quotaText(s: SchoolRow): string {
  const quotas = [...new Set(s.runs.flatMap((r) => (r ? [r.quota] : [])))];
  return quotas.map((q) => int(q)).join(' / ');
}

/** `multi`: the file holds several counties — a county column (school ids and 学区 names repeat across counties). */
export function schoolImpact(c: Comparison, multi = false): HTMLElement {
  const runCols = c.runs.flatMap((run, i): Column<SchoolRow>[] => {
    const at = (s: SchoolRow) => s.runs[i] ?? null;
    return [
      {
        label: L(`#${run.run_id} 调出`, `#${run.run_id} out`), num: true, sort: (s) => at(s)?.outflow ?? null, className: 'run-start',
        cell: (s) => { const r = at(s); return r ? h('span', { class: r.outflow >= r.outflow_cap && r.outflow > 0 ? 'at-cap' : undefined, title: L(`调出上限 ${r.outflow_cap}`, `outflow cap ${r.outflow_cap}`) }, int(r.outflow)) : '—'; },
      },
      { label: L(`#${run.run_id} 调入`, `#${run.run_id} in`), num: true, sort: (s) => at(s)?.inflow ?? null, cell: (s) => int(at(s)?.inflow) },
      {
        label: L(`#${run.run_id} 交流后`, `#${run.run_id} after`), num: true, sort: (s) => at(s)?.teachers_after ?? null,
        cell: (s) => {
          const r = at(s);
          if (!r) return '—';
          const d = r.teachers_after - r.teachers_before;
          return h('span', { class: overQuota(r) ? 'bad-text strong' : undefined, 'data-run': run.run_id }, int(r.teachers_after), d === 0 ? null : h('span', { class: 'delta' }, ` (${signed(d)})`));
        },
      },
    ];
  });
  const columns: Column<SchoolRow>[] = [
    { label: L('学校', 'School'), sort: (s) => s.school_name, cell: (s) => h('span', null, s.school_name, ' ', h('span', { class: 'mono muted' }, s.school_id)) },
    ...(multi ? [{ label: L('县区', 'County'), sort: (s: SchoolRow) => s.county, cell: (s: SchoolRow) => h('span', { 'data-testid': 'row-county' }, s.county) }] : []),
    { label: L('编制', 'Quota'), num: true, sort: (s) => first(s)?.quota ?? null, cell: quotaText },
    { label: L('交流前教师', 'Teachers before'), num: true, sort: (s) => first(s)?.teachers_before ?? null, cell: (s) => int(first(s)?.teachers_before) },
    ...runCols,
  ];
  const touched = c.schools.filter(moved);
  const table = dataTable(columns, touched, { pageSize: 15, testid: 'impact-table', empty: L('没有学校有教师调出或调入。', 'No school sends or receives teachers.') });
  const only = h('input', { type: 'checkbox', checked: true, 'data-testid': 'impact-moved-only' });
  only.addEventListener('change', () => table.setRows(only.checked ? touched : c.schools));
  return h('div', { 'data-testid': 'impact' },
    h('div', { class: 'filters' },
      h('label', { class: 'check' }, only, L(`只看有调出或调入的学校（${touched.length} / ${c.schools.length} 所）`, `Only schools that send or receive (${touched.length} of ${c.schools.length})`)),
      h('span', { class: 'muted small' }, L('括号内为较交流前的变化；红色 = 交流后超编；下划线 = 调出已达本校上限。', 'In brackets: change vs before; red = above quota after; underlined = outflow at the school\'s cap.'))),
    table.el);
}
