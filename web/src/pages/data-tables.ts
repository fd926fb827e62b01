// The schools and teachers of a dataset, searchable and filterable in the browser (the whole
// roster is loaded once and cached). Each teacher's eligibility is computed with the solver's
// own rule code (solver/policy/eligibility.ts), so the reason shown is exactly the one the plan used;
// each school's class and school size against the 优质均衡 caps likewise (solver/policy/school-caps.ts).
// With several counties in the file the tables show the picked county (or all, with a county
// column: a 学区 name like 城东学区 means a different cluster in each county).
import { assessEligibility, type Eligibility } from '../../../solver/policy/eligibility.ts';
import { schoolCaps } from '../../../solver/policy/school-caps.ts';
import type { School, Teacher } from '../api.ts';
import { type Attrs, h, mount, select } from '../dom.ts';
import { int } from '../format.ts';
import {
  L, backboneLabel, degreeLabel, eligibilityLabel, genderLabel, lang, localeLabel, roleLabel, stageLabel, subjectLabel, titleLabel, SUBJECT_CODES,
} from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, replaceQuery } from '../router.ts';
import { datasetDetail, schoolIndex, schoolsOf, teachersOf } from '../store.ts';
import { type Column, dataTable } from '../table.ts';
import { loading } from '../widgets.ts';
import { CAPS_STANDARD, capsSummary } from '../audit-carriers-lines.ts';
import { classSizeCell, classSizeLoad, failsACap, schoolSizeCell } from './caps.ts';

const students = (s: School) => (s.students_primary ?? 0) + (s.students_junior ?? 0);

/** Which county the tables show ('' = all) and whether the file holds several (then a county column). */
export interface CountyView { county: string; multi: boolean }

function countyColumn<T>(view: CountyView, countyOf: (row: T) => string | undefined): Column<T>[] {
  if (!view.multi) return [];
  return [{ label: L('县区', 'County'), cell: (r) => h('span', { 'data-testid': 'row-county' }, countyOf(r) || '—'), sort: (r) => countyOf(r) ?? '' }];
}

function searchBox(value: string, placeholder: string, onInput: (v: string) => void, attrs: Attrs = {}): HTMLInputElement {
  const el = h('input', { type: 'search', value, placeholder, class: 'search', ...attrs });
  el.addEventListener('input', () => onInput(el.value.trim()));
  return el;
}

export async function schoolsTable(root: HTMLElement, datasetId: number, ctx: PageContext, view: CountyView): Promise<void> {
  mount(root, loading());
  const [all, teachers] = await Promise.all([schoolsOf(datasetId), teachersOf(datasetId)]);
  const schools = all.filter((s) => !view.county || s.county === view.county);
  if (ctx.signal.aborted) return;
  const staff = new Map<string, number>();
  for (const t of teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  const caps = new Map(schoolCaps(schools).map((r) => [r.school_id, r]));
  const cap = (s: School) => caps.get(s.id)!;
  const q = ctx.route.query;
  const f = { q: q.get('q') ?? '', locale: q.get('locale') ?? '', weak: q.get('weak') ?? '', caps: q.get('caps') ?? '' };
  const cols: Column<School>[] = [
    { label: L('代码', 'Code'), cell: (s) => h('span', { class: 'mono nowrap' }, s.id), sort: (s) => s.id, width: '6rem' },
    { label: L('学校名称', 'School'), cell: (s) => h('span', { 'data-testid': 'school-name' }, s.name), sort: (s) => s.name },
    ...countyColumn<School>(view, (s) => s.county),
    { label: L('学段', 'Stage'), cell: (s) => stageLabel(s.stage), sort: (s) => s.stage },
    { label: L('城乡', 'Locale'), cell: (s) => h('span', { class: `locale-tag locale-${s.locale}` }, localeLabel(s.locale)), sort: (s) => s.locale },
    { label: L('薄弱', 'Weak'), cell: (s) => (s.weak ? L('是', 'Yes') : ''), sort: (s) => (s.weak ? 1 : 0) },
    { label: L('教学点', 'Teaching pt.'), cell: (s) => (s.teaching_point ? L('是', 'Yes') : ''), sort: (s) => (s.teaching_point ? 1 : 0) },
    { label: L('学区/集团', 'Cluster'), cell: (s) => s.cluster ?? '—', sort: (s) => s.cluster ?? '' },
    { label: L('在校生 / 规模上限', 'Students / cap'), cell: (s) => schoolSizeCell(cap(s)), sort: students, num: true },
    { label: L('平均班额 / 上限', 'Average class / cap'), cell: (s) => classSizeCell(cap(s)), sort: (s) => classSizeLoad(cap(s)), num: true },
    { label: L('教师', 'Teachers'), cell: (s) => int(staff.get(s.id) ?? 0), sort: (s) => staff.get(s.id) ?? 0, num: true },
    { label: L('编制', 'Quota'), cell: (s) => int(s.quota), sort: (s) => s.quota ?? null, num: true },
  ];
  const filtered = () => schools.filter((s) =>
    (!f.q || s.id.includes(f.q) || s.name.includes(f.q)) && (!f.locale || s.locale === f.locale) && (!f.weak || (f.weak === '1') === s.weak) && (!f.caps || failsACap(cap(s))));
  const table = dataTable(cols, filtered(), { pageSize: 50, testid: 'schools-table', rowClass: (s) => (failsACap(cap(s)) ? 'row-fail' : null) });
  const update = () => { replaceQuery(f); table.setRows(filtered()); };
  mount(root,
    h('div', { class: 'filters' },
      searchBox(f.q, L('搜索代码或名称', 'Search code or name'), (v) => { f.q = v; update(); }, { 'data-testid': 'school-search' }),
      select([{ value: '', label: L('全部城乡类型', 'All locales') }, ...['urban', 'town', 'rural'].map((v) => ({ value: v, label: localeLabel(v) }))], f.locale, (v) => { f.locale = v; update(); }),
      select([{ value: '', label: L('薄弱与否', 'Weak or not') }, { value: '1', label: L('薄弱学校', 'Weak schools') }, { value: '0', label: L('非薄弱学校', 'Not weak') }], f.weak, (v) => { f.weak = v; update(); }),
      select([{ value: '', label: L('班额与规模：全部', 'Size caps: all') }, { value: '1', label: L('超出班额或规模上限', 'Over a size cap') }], f.caps, (v) => { f.caps = v; update(); }, { 'data-testid': 'filter-caps' })),
    h('p', { class: 'muted small', 'data-testid': 'caps-summary' }, L(...CAPS_STANDARD), L('', ' '), L(...capsSummary([...caps.values()]))),
    table.el);
}

type EligFilter = '' | Eligibility['status'] | 'volunteer';

export async function teachersTable(root: HTMLElement, datasetId: number, ctx: PageContext, view: CountyView): Promise<void> {
  mount(root, loading(L('正在加载教师名册…', 'Loading the roster…')));
  const [all, roster, detail] = await Promise.all([schoolsOf(datasetId), teachersOf(datasetId), datasetDetail(datasetId)]);
  if (ctx.signal.aborted) return;
  const bySchool = schoolIndex(all);
  const schools = all.filter((s) => !view.county || s.county === view.county);
  const teachers = roster.filter((t) => !view.county || bySchool.get(t.school_id)?.county === view.county);
  const policy = detail.policy;
  const elig = new Map(teachers.map((t) => [t.id, assessEligibility(t, policy)]));
  const q = ctx.route.query;
  const f = { q: q.get('q') ?? '', school: q.get('school') ?? '', subject: q.get('subject') ?? '', backbone: q.get('backbone') ?? '', elig: (q.get('elig') ?? '') as EligFilter };
  const e = (t: Teacher) => elig.get(t.id)!;
  const cols: Column<Teacher>[] = [
    { label: L('编号', 'ID'), cell: (t) => h('span', { class: 'mono nowrap' }, t.id), sort: (t) => t.id, width: '6rem' },
    { label: L('姓名', 'Name'), cell: (t) => t.name, sort: (t) => t.name },
    ...countyColumn<Teacher>(view, (t) => bySchool.get(t.school_id)?.county),
    { label: L('学校', 'School'), cell: (t) => bySchool.get(t.school_id)?.name ?? t.school_id, sort: (t) => t.school_id },
    { label: L('学段', 'Stage'), cell: (t) => stageLabel(t.stage), sort: (t) => t.stage },
    { label: L('学科', 'Subject'), cell: (t) => subjectLabel(t.subject), sort: (t) => t.subject },
    { label: L('性别', 'Sex'), cell: (t) => genderLabel(t.gender) },
    { label: L('年龄', 'Age'), cell: (t) => policy.year - t.birth_year, sort: (t) => policy.year - t.birth_year, num: true },
    { label: L('本校年限', 'Yrs here'), cell: (t) => t.years_at_school, sort: (t) => t.years_at_school, num: true },
    { label: L('岗位', 'Role'), cell: (t) => roleLabel(t.role) },
    { label: L('骨干', 'Backbone'), cell: (t) => (t.backbone === 'none' ? '' : backboneLabel(t.backbone)), sort: (t) => (t.backbone === 'none' ? 0 : 1) },
    { label: L('职称', 'Title'), cell: (t) => titleLabel(t.title) },
    { label: L('学历', 'Degree'), cell: (t) => degreeLabel(t.degree) },
    {
      label: L('交流资格', 'Eligibility'), sort: (t) => e(t).status,
      cell: (t) => h('span', { class: `elig elig-${e(t).eligible ? 'yes' : e(t).mayMove ? 'maybe' : 'no'}` }, e(t).mayMove && !e(t).eligible ? eligibilityLabel('volunteer') : eligibilityLabel(e(t).status)),
    },
    { label: L('资格说明', 'Reason'), cell: (t) => h('span', { class: 'reason' }, lang() === 'zh' ? e(t).reason : e(t).reasonEn) },
  ];
  const filtered = () => teachers.filter((t) => {
    const x = e(t);
    if (f.q && !t.id.includes(f.q) && !t.name.includes(f.q)) return false;
    if (f.school && t.school_id !== f.school) return false;
    if (f.subject && t.subject !== f.subject) return false;
    if (f.backbone && (t.backbone !== 'none') !== (f.backbone === '1')) return false;
    if (f.elig === 'volunteer') return x.mayMove && !x.eligible;
    return !f.elig || x.status === f.elig;
  });
  const table = dataTable(cols, filtered(), { pageSize: 50, testid: 'teachers-table', onRow: (t) => navigate('teacher', {}, t.id) });
  const count = h('span', { class: 'muted filter-count' });
  const update = () => {
    replaceQuery(f);
    const rows = filtered();
    table.setRows(rows);
    const n = rows.filter((t) => e(t).eligible).length;
    count.textContent = L(`筛选出 ${int(rows.length)} 人，其中符合交流条件 ${int(n)} 人`, `${int(rows.length)} shown, ${int(n)} eligible`);
  };
  const statuses: EligFilter[] = ['eligible', 'volunteer', 'too_few_years', 'too_old', 'exempt', 'not_on_establishment'];
  mount(root,
    h('div', { class: 'filters' },
      searchBox(f.q, L('搜索编号或姓名', 'Search ID or name'), (v) => { f.q = v; update(); }, { 'data-testid': 'teacher-search' }),
      select([{ value: '', label: L('全部学校', 'All schools') }, ...schools.map((s) => ({ value: s.id, label: `${s.id} ${s.name}` }))], f.school, (v) => { f.school = v; update(); }, { 'data-testid': 'filter-school' }),
      select([{ value: '', label: L('全部学科', 'All subjects') }, ...SUBJECT_CODES.map((c) => ({ value: c, label: subjectLabel(c) }))], f.subject, (v) => { f.subject = v; update(); }, { 'data-testid': 'filter-subject' }),
      select([{ value: '', label: L('骨干与否', 'Backbone or not') }, { value: '1', label: L('骨干教师', 'Backbone') }, { value: '0', label: L('非骨干', 'Not backbone') }], f.backbone, (v) => { f.backbone = v; update(); }, { 'data-testid': 'filter-backbone' }),
      select([{ value: '' as EligFilter, label: L('全部交流资格', 'Any eligibility') }, ...statuses.map((s) => ({ value: s, label: eligibilityLabel(s) }))], f.elig, (v) => { f.elig = v; update(); }, { 'data-testid': 'filter-elig' }),
      count),
    table.el);
  update();
}
