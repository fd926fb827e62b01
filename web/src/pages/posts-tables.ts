// The tables of the 编制岗位 page: each county's totals, the posts per school (with what favours it:
// the small-rural-school floor, boarding, posts per 100 pupils) and per school × stage × subject
// with the rule behind each number. Everything shown is the server's share-out; only sums of its
// rows (a school's posts) and the per-100 ratio are worked out here.
import type { Posts, School } from '../api.ts';
import { h, pill } from '../dom.ts';
import { decimal, int } from '../format.ts';
import { L, lang, localeLabel, stageLabel, subjectLabel } from '../i18n.ts';
import { type Column, dataTable } from '../table.ts';

export type PostRow = Posts['rows'][number];
type County = Posts['counties'][number];
type Grades = County['stages']['primary'];

/** “192（高级 19 / 一级 96 / 二级 77）”: a stage's posts and their grades. */
const gradeText = (g: Grades) => L(`${int(g.posts)}（高级 ${int(g.senior)} / 一级 ${int(g.first)} / 二级 ${int(g.second)}）`,
  `${int(g.posts)} (senior ${int(g.senior)} / first ${int(g.first)} / second ${int(g.second)})`);

export function totalsTable(counties: readonly County[]): HTMLElement {
  const th = (zh: string, en: string, num = true) => h('th', num ? { class: 'num' } : null, L(zh, en));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'posts-totals' },
    h('thead', null, h('tr', null, th('县区', 'County', false), th('编制总量', 'Quota'), th('小学岗位', 'Primary posts'), th('初中岗位', 'Junior posts'),
      th('乡村小规模学校保底', 'Small rural school floors'))),
    h('tbody', null, counties.map((c) => h('tr', { 'data-county': c.county },
      h('td', null, c.county || '—'), h('td', { class: 'num', 'data-k': 'quota' }, int(c.quota)),
      h('td', { class: 'num', 'data-k': 'primary' }, gradeText(c.stages.primary)), h('td', { class: 'num', 'data-k': 'junior' }, gradeText(c.stages.junior)),
      h('td', { class: 'num', 'data-k': 'floored' }, L(`${int(c.floored.schools)} 所 ${int(c.floored.posts)} 人`, `${int(c.floored.schools)} schools, ${int(c.floored.posts)} posts`)))))));
}

const schoolName = (schools: Map<string, School>, id: string) => `${id} ${schools.get(id)?.name ?? ''}`.trim();
const countyColumn = <T extends { school_id: string }>(schools: Map<string, School>): Column<T> =>
  ({ label: L('县区', 'County'), cell: (r) => schools.get(r.school_id)?.county ?? '—', sort: (r) => schools.get(r.school_id)?.county ?? '' });
const gradeColumns = <T extends Grades>(): Column<T>[] => [
  { label: L('岗位数', 'Posts'), cell: (r) => int(r.posts), sort: (r) => r.posts, num: true },
  { label: L('高级', 'Senior'), cell: (r) => int(r.senior), sort: (r) => r.senior, num: true },
  { label: L('一级', 'First'), cell: (r) => int(r.first), sort: (r) => r.first, num: true },
  { label: L('二级', 'Second'), cell: (r) => int(r.second), sort: (r) => r.second, num: true },
];

/** A school search over a table: rows whose school code or name holds the text typed. */
function filtered<T extends { school_id: string }>(rows: readonly T[], schools: Map<string, School>, table: { el: HTMLElement; setRows(r: readonly T[]): void }): HTMLElement {
  const search = h('input', { type: 'search', placeholder: L('按学校代码或名称筛选', 'Filter by school code or name'), 'aria-label': L('筛选学校', 'Filter schools'), 'data-testid': 'posts-filter' });
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    table.setRows(q === '' ? rows : rows.filter((r) => schoolName(schools, r.school_id).toLowerCase().includes(q)));
  });
  return h('div', { class: 'stack' }, h('div', { class: 'form-row no-print' }, search), table.el);
}

export function subjectsTable(rows: readonly PostRow[], schools: Map<string, School>, multi: boolean): HTMLElement {
  const table = dataTable<PostRow>([
    { label: L('学校', 'School'), cell: (r) => schoolName(schools, r.school_id), sort: (r) => r.school_id, className: 'nowrap' },
    ...(multi ? [countyColumn<PostRow>(schools)] : []),
    { label: L('学段', 'Stage'), cell: (r) => stageLabel(r.stage), sort: (r) => r.stage, className: 'nowrap' },
    { label: L('学科', 'Subject'), cell: (r) => subjectLabel(r.subject), sort: (r) => r.subject, className: 'nowrap' },
    ...gradeColumns<PostRow>(),
    { label: L('依据', 'Rule'), cell: (r) => h('span', { class: 'muted small' }, lang() === 'zh' ? r.rule : r.rule_en) },
  ], rows, { pageSize: 25, testid: 'posts-table', empty: L('没有符合条件的行', 'No rows match') });
  return filtered(rows, schools, table);
}

interface SchoolPosts extends Grades { school_id: string; floored: boolean; students: number }

/** A school's rows summed; posts per 100 pupils shows what the floor and the boarding weight give. */
export function schoolsTable(rows: readonly PostRow[], schools: Map<string, School>, multi: boolean): HTMLElement {
  const by = new Map<string, SchoolPosts>();
  for (const r of rows) {
    const s = schools.get(r.school_id);
    const x = by.get(r.school_id) ?? { school_id: r.school_id, floored: r.floored, students: (s?.students_primary ?? 0) + (s?.students_junior ?? 0), posts: 0, senior: 0, first: 0, second: 0 };
    x.posts += r.posts; x.senior += r.senior; x.first += r.first; x.second += r.second;
    by.set(r.school_id, x);
  }
  const list = [...by.values()];
  const per100 = (x: SchoolPosts) => (x.students > 0 ? (100 * x.posts) / x.students : null);
  const basis = (x: SchoolPosts) => (x.floored ? pill(L('乡村小规模学校保底', 'Small rural school floor'), 'ok')
    : schools.get(x.school_id)?.boarding ? pill(L('按在校生，寄宿制上浮', 'By enrolment, boarding weighted up'), 'info') : pill(L('按在校生', 'By enrolment'), 'muted'));
  const table = dataTable<SchoolPosts>([
    { label: L('学校', 'School'), cell: (x) => schoolName(schools, x.school_id), sort: (x) => x.school_id, className: 'nowrap' },
    ...(multi ? [countyColumn<SchoolPosts>(schools)] : []),
    { label: L('城乡类型', 'Locale'), cell: (x) => localeLabel(schools.get(x.school_id)?.locale), sort: (x) => schools.get(x.school_id)?.locale ?? '' },
    { label: L('在校生', 'Pupils'), cell: (x) => int(x.students), sort: (x) => x.students, num: true },
    ...gradeColumns<SchoolPosts>(),
    { label: L('每百名学生岗位', 'Posts per 100 pupils'), cell: (x) => { const v = per100(x); return v === null ? '—' : decimal(v, 2); }, sort: per100, num: true },
    { label: L('分配依据', 'Basis'), cell: basis, sort: (x) => (x.floored ? 0 : 1) },
  ], list, { pageSize: 25, testid: 'posts-schools', empty: L('没有符合条件的学校', 'No schools match') });
  return filtered(list, schools, table);
}
