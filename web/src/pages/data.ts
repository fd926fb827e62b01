// 数据 Data: upload the contract files (all-or-nothing; every bad row listed by file, line and
// column), then browse the open dataset's schools and teachers — of one county or all of them
// when the file holds several (the county picker; `?county=`).
import { api, ApiError } from '../api.ts';
import { card, field, filePicker, h, mount, notice } from '../dom.ts';
import { dateTime, int } from '../format.ts';
import { L } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { replaceQuery } from '../router.ts';
import { can, currentDataset, refreshDatasets, schoolsOf, selectDataset, store, teachersOf } from '../store.ts';
import { countyPicker, emptyState, errorTable, pageCounty, pageHeader } from '../widgets.ts';
import { schoolsTable, teachersTable } from './data-tables.ts';

function uploadCard(ctx: PageContext): HTMLElement {
  const picker = filePicker(L('选择文件…', 'Choose files…'), L('未选择文件', 'No files chosen'), { multiple: true, accept: '.csv,.xlsx,.xls,.json', 'data-testid': 'upload-files' });
  const files = picker.input;
  const name = h('input', { type: 'text', placeholder: L('如：2026 年度 鹤川县', 'e.g. 2026, Hechuan county'), maxlength: 100, 'data-testid': 'upload-name' });
  const out = h('div', { class: 'upload-result' });
  const button = h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'upload-submit' }, L('上传并校验', 'Upload and validate'));
  const form = h('form', { class: 'upload-form' },
    h('div', { class: 'form-row' },
      field(L('数据文件', 'Files'), picker.el, L('schools.csv、teachers.csv，可选 needs.csv、preferences.csv、locks.csv、history.csv、applications.csv（竞聘志愿）、policy.json；或一个 .xlsx 工作簿', 'schools.csv, teachers.csv, optional needs/preferences/locks/history.csv, applications.csv (for the rounds), policy.json — or one .xlsx workbook')),
      field(L('数据集名称', 'Dataset name'), name), h('div', { class: 'field field-button' }, button)),
    out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const list = Array.from(files.files ?? []);
    if (list.length === 0) { mount(out, notice('warn', L('请选择要上传的文件。', 'Choose the files to upload.'))); return; }
    button.disabled = true;
    mount(out, notice('info', L('正在校验…', 'Validating…')));
    api.uploadDataset(list, name.value.trim()).then(async (d) => {
      selectDataset(d.id);
      await refreshDatasets();
      ctx.refreshShell();
    }, (err: unknown) => {
      button.disabled = false;
      if (err instanceof ApiError && err.errors.length > 0) {
        mount(out, notice('bad', h('strong', null, L(`校验未通过：共 ${err.errors.length} 处错误，未导入任何数据。`, `Validation failed: ${err.errors.length} error(s); nothing was imported.`))), errorTable(err.errors));
      } else {
        mount(out, notice('bad', err instanceof Error ? err.message : String(err)));
      }
    });
  });
  return card(L('导入数据', 'Import data'),
    h('p', { class: 'muted' }, L('所有行校验通过才导入；任一行有误则列出全部错误（文件、行、列），不导入任何内容。', 'Imported only when every row is valid; otherwise every error is listed by file, line and column and nothing is imported.')),
    form);
}

export async function renderData(root: HTMLElement, ctx: PageContext): Promise<void> {
  if (store.datasets.length === 0) await refreshDatasets();
  const ds = currentDataset();
  const upload = can('edit') ? uploadCard(ctx) : null;
  if (!ds) {
    mount(root, pageHeader(L('数据', 'Data'), null), upload ?? emptyState(L('还没有数据集', 'No dataset yet'), L('请规划员上传学校和教师数据。', 'Ask a planner to upload schools and teachers.')));
    return;
  }
  let tab: 'schools' | 'teachers' = ctx.route.query.get('tab') === 'teachers' ? 'teachers' : 'schools';
  let county = pageCounty(ds.counties, ctx.route.query.get('county'));
  const view = { county, multi: ds.counties.length > 1 };
  const body = h('div');
  const schoolCount = h('span', { class: 'count' }, int(ds.schools));
  const teacherCount = h('span', { class: 'count' }, int(ds.teachers));
  const schoolsFact = h('dd', { 'data-testid': 'dataset-schools' }, int(ds.schools));
  const teachersFact = h('dd', { 'data-testid': 'dataset-teachers' }, int(ds.teachers));
  /** The counts of the county shown: the dataset's own totals for all counties, else counted from the roster. */
  const showCounts = async () => {
    let [schools, teachers] = [ds.schools, ds.teachers];
    // One county in the file: it is the whole file, counted by the server already.
    if (view.multi && county !== '') {
      const [ss, ts] = await Promise.all([schoolsOf(ds.id), teachersOf(ds.id)]);
      const inCounty = new Set(ss.filter((x) => x.county === county).map((x) => x.id));
      [schools, teachers] = [inCounty.size, ts.filter((t) => inCounty.has(t.school_id)).length];
    }
    if (ctx.signal.aborted) return;
    const scope = view.multi && county !== '' ? L(`（${county}）`, ` (${county})`) : '';
    schoolCount.textContent = int(schools);
    teacherCount.textContent = int(teachers);
    schoolsFact.textContent = `${int(schools)}${scope}`;
    teachersFact.textContent = `${int(teachers)}${scope}`;
  };
  const setTab = (t: 'schools' | 'teachers') => {
    tab = t;
    replaceQuery({ tab: t });
    for (const b of Array.from(tabs.querySelectorAll('button'))) b.classList.toggle('active', b.dataset.tab === t);
    void (t === 'schools' ? schoolsTable(body, ds.id, ctx, view) : teachersTable(body, ds.id, ctx, view));
  };
  const tabs = h('div', { class: 'segmented', role: 'tablist' },
    h('button', { 'data-tab': 'schools', class: tab === 'schools' ? 'active' : '', 'data-testid': 'tab-schools', onclick: () => setTab('schools') }, L('学校', 'Schools'), schoolCount),
    h('button', { 'data-tab': 'teachers', class: tab === 'teachers' ? 'active' : '', 'data-testid': 'tab-teachers', onclick: () => setTab('teachers') }, L('教师', 'Teachers'), teacherCount));
  const picker = countyPicker(ds.counties, county, (c) => {
    county = c;
    view.county = c;
    replaceQuery({ county: c });
    void showCounts();
    setTab(tab);
  });

  const facts = h('dl', { class: 'facts' },
    h('dt', null, L('县区', 'Counties')), h('dd', null, ds.counties.join('、') || '—'),
    h('dt', null, L('学校', 'Schools')), schoolsFact,
    h('dt', null, L('教师', 'Teachers')), teachersFact,
    h('dt', null, L('导入时间', 'Imported')), h('dd', null, dateTime(ds.created_at)),
    h('dt', null, L('文件', 'Files')), h('dd', null, ds.files.map((f) => h('span', { class: 'file-chip', title: `SHA-256 ${f.sha256}` }, f.name))),
    h('dt', null, L('内容校验码', 'Content hash')), h('dd', { class: 'mono small' }, ds.content_hash.slice(0, 16), '…'));

  mount(root,
    pageHeader(L('数据', 'Data'), L(`数据集 #${ds.id} ${ds.name}`, `Dataset #${ds.id} ${ds.name}`), picker),
    h('div', { class: 'grid-2' }, card(L('当前数据集', 'Open dataset'), facts), upload),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, tabs), body));
  setTab(tab);
  void showCounts();
}
