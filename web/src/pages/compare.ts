// 比较 Compare: 2–4 finished runs side by side, for the leader who chooses one — the scenarios'
// notes and every assumption that differs, the key figures against each run's own requirements
// and against no rotation (with a drill-down to the schools behind a figure), 差异系数 before and
// after, each school's staff per run, the teachers whose move differs, an XLSX export and a
// one-page printed brief for the 局党组会. With several counties in the file, a county picker
// narrows the key figures, the CV panels, the schools, the drill-downs and the teacher
// differences to one county (the brief and the assumptions stay whole-file).
import './compare.css';
import { api, downloads, type Comparison, type Run } from '../api.ts';
import { drawCvBars } from '../charts/cv-bars.ts';
import { RUN_COLORS, BEFORE_COLOR, THRESHOLD_COLOR } from '../charts/palette.ts';
import { card, h, mount, notice } from '../dom.ts';
import { L, stageLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { current, href, navigate, replaceQuery } from '../router.ts';
import { can, currentDataset, finishedRuns, schoolsOf, teachersOf } from '../store.ts';
import { countyPicker, emptyState, errorView, legendItem, loading, pageCounty, pageHeader, runLabel } from '../widgets.ts';
import { assumptionCount, assumptionsTable, namesOf } from './compare-assumptions.ts';
import { comparisonBrief } from './compare-brief.ts';
import { scopeComparison } from './compare-county.ts';
import { teacherDiff } from './compare-diff.ts';
import { drillView } from './compare-drill.ts';
import { kpiTable, lightsLegend } from './compare-kpis.ts';
import { schoolImpact } from './compare-schools.ts';
import { notesEditor } from './scenario-notes.ts';

function runChooser(runs: readonly Run[], chosen: readonly number[]): HTMLElement {
  const picked = new Set(chosen);
  const msg = h('span', { class: 'muted small' });
  const boxes = runs.filter((r) => r.status === 'done').slice(0, 30).map((r) => {
    const box = h('input', { type: 'checkbox', value: r.id, checked: picked.has(r.id), 'data-testid': `pick-run-${r.id}` });
    box.addEventListener('change', () => { if (box.checked) picked.add(r.id); else picked.delete(r.id); });
    return h('label', { class: 'check' }, box, runLabel(r));
  });
  const go = h('button', { class: 'btn btn-primary', 'data-testid': 'compare-go' }, L('比较所选运行', 'Compare selected'));
  go.addEventListener('click', () => {
    if (picked.size < 2 || picked.size > 4) { msg.textContent = L('请选择 2–4 个运行。', 'Choose 2 to 4 runs.'); return; }
    navigate('compare', { runs: [...picked].sort((a, b) => a - b).join(',') });
  });
  return h('div', { class: 'run-chooser' }, h('div', { class: 'checks' }, boxes), h('div', { class: 'button-row' }, go, msg));
}

/** Charts share the card's width: two (primary, junior) side by side on a desktop screen. */
const width = (n: number) => {
  const avail = Math.min(1552, window.innerWidth) - 48 - 38;
  const perRow = Math.min(n, avail > 900 ? 2 : 1);
  return Math.floor((avail - 16 * (perRow - 1)) / perRow);
};

function cvCharts(c: Comparison): HTMLElement {
  const labels = c.runs.map((r) => `#${r.run_id}`);
  const panels = new Map<string, { title: string; threshold: number; groups: { indicator: string; before: number | null; runs: (number | null)[] }[] }>();
  for (const x of c.cv) {
    const key = `${x.county}\u0000${x.stage}`;
    const p = panels.get(key) ?? { title: `${c.cv.some((y) => y.county !== x.county) ? `${x.county} · ` : ''}${stageLabel(x.stage)}`, threshold: x.runs.find((v) => v !== null)?.max ?? 0, groups: [] };
    p.groups.push({ indicator: x.indicator, before: x.runs.find((v) => v !== null)?.before ?? null, runs: x.runs.map((v) => v?.after ?? null) });
    panels.set(key, p);
  }
  return h('div', null,
    h('div', { class: 'legend' },
      legendItem('bar', BEFORE_COLOR, L('交流前', 'Before')),
      c.runs.map((r, i) => legendItem('bar', RUN_COLORS[i % RUN_COLORS.length]!, L(`#${r.run_id} 交流后`, `#${r.run_id} after`))),
      legendItem('line', THRESHOLD_COLOR, L('上限（高于即未达标）', 'Limit (above fails)'))),
    h('div', { class: 'chart-row', 'data-testid': 'cv-charts' }, [...panels.values()].map((p) => drawCvBars(p, labels, width(panels.size), 280))));
}

/** A leader adopts one run as the county's plan for the year; it is frozen from then on. */
function adoption(c: Comparison, adopted: number | null, ctx: PageContext): HTMLElement | null {
  if (adopted !== null) return notice('info', L(`本数据集已采纳运行 #${adopted}，方案已冻结。`, `Run #${adopted} is adopted for this dataset; it is frozen.`));
  if (!can('adopt')) return null;
  const msg = h('span');
  return h('div', { class: 'button-row' },
    h('span', { class: 'muted small' }, L('采纳后，运行及其方案、数据集不可再修改：', 'Adopting freezes the run, its scenario and dataset:')),
    c.runs.filter((r) => r.status === 'done').map((r) => h('button', {
      class: 'btn', 'data-testid': `adopt-${r.run_id}`,
      onclick: () => {
        if (!window.confirm(L(`确认采纳运行 #${r.run_id}（${r.scenario_name}）为本年度交流方案？`, `Adopt run #${r.run_id} (${r.scenario_name}) as this year's plan?`))) return;
        api.adopt(r.run_id).then(() => ctx.refreshShell(), (err: unknown) => mount(msg, errorView(err)));
      },
    }, L(`采纳 #${r.run_id}`, `Adopt #${r.run_id}`))),
    msg);
}

/** The scenarios' notes, one per scenario compared, editable by planners and leaders. */
function notesRow(c: Comparison): HTMLElement {
  const seen = new Set<number>();
  const runs = c.runs.filter((r) => !seen.has(r.scenario_id) && seen.add(r.scenario_id));
  return h('div', { class: 'notes-grid', 'data-testid': 'compare-notes' }, runs.map((r) => h('div', { class: 'notes-cell' },
    h('div', { class: 'notes-head' }, L(`方案 #${r.scenario_id} ${r.scenario_name}`, `Scenario #${r.scenario_id} ${r.scenario_name}`),
      h('span', { class: 'muted small' }, L(`（运行 ${c.runs.filter((x) => x.scenario_id === r.scenario_id).map((x) => `#${x.run_id}`).join('、')}）`, ` (run ${c.runs.filter((x) => x.scenario_id === r.scenario_id).map((x) => `#${x.run_id}`).join(', ')})`))),
    notesEditor({ id: r.scenario_id, notes: r.notes }, { readOnly: !can('notes') || r.adopted, testid: `notes-${r.scenario_id}`, rows: 2 }).el)));
}

export async function renderCompare(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const subtitle = L('并排比较 2–4 个运行：假设差异、各自的要求、与不交流相比的变化、各校影响、逐人差异。', 'Two to four runs side by side: differing assumptions, each run\'s own requirements, changes against no rotation, schools, teachers.');
  if (!can('compare')) {
    mount(root, pageHeader(L('比较', 'Compare'), subtitle), notice('warn', L('比较方案需要“领导”或“管理员”角色。', 'Comparing runs needs the leader or admin role.')));
    return;
  }
  const runs = await finishedRuns(ds.id);
  const chosen = (ctx.route.query.get('runs') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const choices = runs.filter((r) => r.status === 'done').length < 2
    ? notice('info', L('至少需要两个已完成的运行。请在“方案”页调整参数后再求解一次。', 'At least two finished runs are needed: change a parameter on the Scenario page and solve again.'), ' ', h('a', { href: href('scenario') }, L('去方案页', 'Scenario page')))
    : runChooser(runs, chosen);
  if (chosen.length < 2) { mount(root, pageHeader(L('比较', 'Compare'), subtitle), card(L('选择运行', 'Choose runs'), choices)); return; }
  mount(root, pageHeader(L('比较', 'Compare'), subtitle), loading());
  const c = await api.compare(chosen);
  const ids = c.runs.map((r) => r.run_id);
  const [schools, teachers] = await Promise.all([schoolsOf(ds.id), c.assumptions.locks.length > 0 ? teachersOf(ds.id) : []]);
  if (ctx.signal.aborted) return;
  const names = namesOf(schools, teachers);

  const diff = h('div', { 'data-testid': 'diff-section' });
  const count = assumptionCount(c.assumptions);
  // The county picker re-draws what is per county (key figures, CVs, schools, drill-downs) in place.
  const perCounty = h('div');
  let county = pageCounty(ds.counties, ctx.route.query.get('county'));
  const show = (drillKey: string | null) => {
    const sc = scopeComparison(c, county);
    const drillHost = h('div', { class: 'drill', 'data-testid': 'drill' });
    const impact = card(L('各校影响', 'Schools'), h('p', { class: 'muted small' }, L('每所学校的编制、交流前教师数，以及各运行的调出、调入和交流后人数。', 'Each school\'s quota and teachers before, and per run the teachers who leave, arrive and remain.')), schoolImpact(sc, ds.counties.length > 1));
    const drill = (key: string) => {
      if (key === 'schools') { impact.scrollIntoView({ block: 'start' }); return; }
      const view = drillView(sc, key);
      if (!view) return;
      replaceQuery({ drill: key });
      mount(drillHost, h('div', { class: 'drill-panel' },
        h('button', { class: 'btn btn-small drill-close', type: 'button', 'data-testid': 'drill-close', onclick: () => { mount(drillHost); replaceQuery({ drill: null }); } }, L('收起', 'Close')), view));
      drillHost.scrollIntoView({ block: 'nearest' });
    };
    mount(perCounty,
      card(L('关键指标', 'Key figures'), lightsLegend(), kpiTable(sc, drill, county),
        county === '' ? null : h('p', { class: 'muted small' }, L(`${county}的数字。流向乡村/薄弱学校、学科缺口和通勤仅有全部县区的合计，选“全部县区”可见。`, `Figures of ${county}. Moves toward rural/weak schools, subject gaps and commute exist only as totals of all counties: pick “All counties” to see them.`)),
        drillHost, adoption(c, ds.adopted_run_id, ctx)),
      card(L('差异系数：交流前后', 'CV before and after'), cvCharts(sc)),
      impact,
      card(L('逐人差异', 'Teacher by teacher'), diff));
    if (drillKey) drill(drillKey);
    // The runs picked for the difference live in the URL (a, b): read it now, not as the page opened.
    void teacherDiff(diff, c, { datasetId: ds.id, county, signal: ctx.signal }, current().query);
  };
  const picker = countyPicker(ds.counties, county, (v) => { county = v; replaceQuery({ county: v, drill: null }); show(null); });
  mount(root,
    comparisonBrief(c, ds.name, names),
    h('div', { class: 'no-print compare-screen' },
      pageHeader(L('比较', 'Compare'), subtitle, picker,
        h('a', { class: 'btn', href: downloads.comparison(ids), download: '', 'data-testid': 'compare-xlsx' }, L('导出 Excel', 'Export XLSX')),
        h('button', { class: 'btn btn-primary', 'data-testid': 'compare-print', onclick: () => window.print() }, L('打印党组会简报', 'Print the brief'))),
      h('details', { class: 'card chooser' }, h('summary', null, L(`已选择运行 ${ids.map((id) => `#${id}`).join('、')} · 更换`, `Comparing runs ${ids.map((id) => `#${id}`).join(', ')} · change`)), choices),
      card(L(`方案与假设（${count} 项差异）`, `Scenarios and assumptions (${count} differences)`), notesRow(c), assumptionsTable(c, names)),
      perCounty));
  show(ctx.route.query.get('drill'));
}