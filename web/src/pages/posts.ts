// 编制岗位 Posts: the spring share-out of the county's 编制 and 岗位 (issue 12 item 1; README "Posts")
// under a scenario's policy — per county the totals, per school × stage × subject the posts, the
// grade mix (高级/一级/二级) and the rule behind each number — the posts.csv `lungang posts` writes,
// and 采用为学科需求: a new dataset whose needs are these posts (as computed, or the planner's
// edited posts.csv, checked whole) with the scenario copied onto it. The numbers are the server's.
import { ApiError, api, downloads } from '../api.ts';
import { card, filePicker, h, mount, notice, select } from '../dom.ts';
import { L } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, replaceQuery } from '../router.ts';
import { can, refreshDatasets, schoolIndex, schoolsOf, selectDataset } from '../store.ts';
import { countyPicker, errorTable, errorView, loading, pageCounty, pageHeader, pageScenario } from '../widgets.ts';
import { schoolsTable, subjectsTable, totalsTable } from './posts-tables.ts';

/** 采用为学科需求: a new dataset and scenario, then a link to run it; an edited file's errors by file, line and column. */
function asNeedsCard(scenarioId: number, ctx: PageContext): HTMLElement {
  const out = h('div', { 'data-testid': 'posts-as-needs-result' });
  const picker = filePicker(L('选择修改后的 posts.csv…', 'Choose an edited posts.csv…'), L('未选择文件', 'No file chosen'), { accept: '.csv', 'data-testid': 'posts-file' });
  const buttons: HTMLButtonElement[] = [];
  const go = async (edited: File | undefined) => {
    for (const b of buttons) b.disabled = true;
    mount(out, notice('info', loading(L('正在校验并建立新数据集…', 'Checking and creating the new dataset…'))));
    try {
      const made = await api.postsAsNeeds(scenarioId, edited);
      await refreshDatasets();
      if (ctx.signal.aborted) return;
      const open = h('button', { class: 'btn btn-primary', 'data-testid': 'posts-open-scenario', onclick: () => { selectDataset(made.dataset.id); navigate('scenario', { id: made.scenario.id }); } },
        L('打开新方案并运行', 'Open the new scenario and run it'));
      const done = notice('ok', h('strong', null, L(`已建立数据集 #${made.dataset.id}「${made.dataset.name}」和方案 #${made.scenario.id}「${made.scenario.name}」。`,
        `Created dataset #${made.dataset.id} “${made.dataset.name}” and scenario #${made.scenario.id} “${made.scenario.name}”.`)), ' ',
      L('新数据集的学科需求就是这些岗位数（posts.csv 代替 needs.csv），其余文件与原数据集相同；原数据集不变。', 'Its subject needs are these posts (posts.csv in place of needs.csv); its other files are the original dataset\'s, which stays as it was.'), ' ', open);
      done.dataset.dataset = String(made.dataset.id);
      done.dataset.scenario = String(made.scenario.id);
      mount(out, done);
    } catch (err) {
      if (ctx.signal.aborted) return;
      mount(out, err instanceof ApiError && err.errors.length > 0
        ? notice('bad', h('strong', null, L(`${err.message}。`, `${err.errors.length} error(s); nothing was stored.`)), errorTable(err.errors))
        : errorView(err));
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  const button = (zh: string, en: string, testid: string, primary: boolean, edited: () => File | undefined | null) => {
    const b = h('button', { class: `btn${primary ? ' btn-primary' : ''}`, 'data-testid': testid }, L(zh, en));
    b.addEventListener('click', () => {
      const file = edited();
      if (file === null) { mount(out, notice('warn', L('请先选择修改后的 posts.csv。', 'Choose the edited posts.csv first.'))); return; }
      void go(file);
    });
    buttons.push(b);
    return b;
  };
  return card(L('采用为学科需求', 'Use as the subject needs'),
    h('p', { class: 'muted' }, L('新建一个数据集：原数据集的全部文件，加上 posts.csv 作为学科需求（代替 needs.csv），并把本方案复制到新数据集上，即可按这些岗位数交流轮岗。可直接采用计算结果，或下载 posts.csv 在表格软件中修改后上传；上传的表整体校验，任一行有误列出全部错误（文件、行、列），不保存任何内容。',
      'Creates a dataset of the original files plus posts.csv as the subject needs (in place of needs.csv) and copies this scenario onto it, so the rotation plans against these posts. Use the posts as computed, or download posts.csv, edit it in a spreadsheet and upload it; the upload is checked whole and, on any bad row, every error is listed by file, line and column and nothing is stored.')),
    h('div', { class: 'form-row no-print' }, button('按计算结果采用', 'Use as computed', 'posts-as-needs', true, () => undefined)),
    h('div', { class: 'form-row no-print' }, picker.el, button('上传修改后的表并采用', 'Upload the edited file and use it', 'posts-upload', false, () => picker.input.files?.[0] ?? null)),
    out);
}

export async function renderPosts(root: HTMLElement, ctx: PageContext): Promise<void> {
  const picked = await pageScenario(root, ctx.route.query, {
    data: ['请先在“数据”页导入学校数据。', 'Import the schools on the Data page first.'],
    scenario: ['分配按方案的政策参数（编制岗位分配 posts.*）进行，请先在“方案”页建立方案。', 'The share-out uses a scenario\'s policy (posts.*): create one on the Scenario page first.'],
  });
  if (!picked) return;
  const { ds, list, scenarioId } = picked;
  replaceQuery({ scenario: scenarioId });
  let county = pageCounty(ds.counties, ctx.route.query.get('county'));
  const [posts, schools] = await Promise.all([api.posts(scenarioId), schoolsOf(ds.id).then(schoolIndex)]);
  if (ctx.signal.aborted) return;

  let view: 'schools' | 'subjects' = ctx.route.query.get('view') === 'schools' ? 'schools' : 'subjects';
  const totals = h('div');
  const rowsBox = h('div');
  const showRows = () => {
    const rows = posts.rows.filter((r) => county === '' || (schools.get(r.school_id)?.county ?? '') === county);
    const multi = ds.counties.length > 1;
    mount(rowsBox, view === 'schools' ? schoolsTable(rows, schools, multi) : subjectsTable(rows, schools, multi));
    for (const b of Array.from(tabs.querySelectorAll('button'))) b.classList.toggle('active', b.dataset.view === view);
  };
  const show = () => {
    mount(totals, totalsTable(posts.counties.filter((c) => county === '' || c.county === county)));
    showRows();
  };
  const tab = (v: typeof view, zh: string, en: string) => h('button', {
    'data-view': v, 'data-testid': `posts-view-${v}`, onclick: () => { view = v; replaceQuery({ view: v }); showRows(); },
  }, L(zh, en));
  const tabs = h('div', { class: 'segmented', role: 'tablist' }, tab('subjects', '各校各学科', 'Per school and subject'), tab('schools', '各校合计', 'Per school'));
  const scenarioSelect = select(list.map((s) => ({ value: String(s.id), label: `#${s.id} ${s.name}` })), String(scenarioId), (v) => navigate('posts', { scenario: v }), { 'aria-label': L('方案', 'Scenario'), 'data-testid': 'posts-scenario' });
  const picker = countyPicker(ds.counties, county, (c) => { county = c; replaceQuery({ county: c }); show(); });
  mount(root,
    pageHeader(L('编制岗位', 'Posts'), L('按方案的政策参数把县编制总量、岗位总量分到各校、学段和学科：乡村小规模学校按班师比保底，寄宿制学校上浮，其余按在校生；学科按课时需求；岗位结构高级向乡村、薄弱学校倾斜。',
      'The county\'s quota and posts shared out per school, stage and subject under the scenario\'s policy: small rural schools get a floor per class, boarding schools are weighted up, the rest goes by enrolment; subjects by the periods taught; senior posts tilted toward rural and weak schools.'),
    scenarioSelect, picker, h('a', { class: 'btn', href: downloads.postsCsv(scenarioId), download: '', 'data-testid': 'posts-download' }, L('下载 posts.csv', 'Download posts.csv'))),
    card(L('县编制总量与岗位总量', 'County totals'), h('p', { class: 'muted' }, L('各校各学科的岗位数之和等于县编制总量；高级、一级、二级之和等于各学段岗位数。', 'The posts of the schools and subjects add up to each county\'s quota; senior, first and second add up to each stage\'s posts.')), totals),
    can('edit') ? asNeedsCard(scenarioId, ctx) : null,
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, tabs), rowsBox));
  show();
}
