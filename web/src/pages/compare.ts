// 比较 Compare: 2–4 finished runs side by side — KPIs with traffic lights, 差异系数 before and
// after per indicator, and the teachers whose move differs between two of them (when one run
// re-planned against the other, worded as changes to that baseline).
import { api, type Comparison, type Run, type TeacherDiff, type TeacherDiffResult } from '../api.ts';
import { drawCvBars } from '../charts/cv-bars.ts';
import { RUN_COLORS, BEFORE_COLOR, THRESHOLD_COLOR } from '../charts/palette.ts';
import { card, h, mount, notice, select } from '../dom.ts';
import { int } from '../format.ts';
import { L, changeLabel, replanChangeLabel, stageLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, navigate, replaceQuery } from '../router.ts';
import { can, currentDataset, finishedRuns, schoolIndex, schoolsOf } from '../store.ts';
import { type Column, dataTable } from '../table.ts';
import { emptyState, errorView, legendItem, loading, pageHeader, runLabel } from '../widgets.ts';
import { kpiTable, lightsLegend } from './compare-kpis.ts';

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

type Diff = TeacherDiffResult;
type Change = TeacherDiff['change'];

/** A difference seen from the baseline (run `base`): added, dropped or redirected in the re-plan. */
const replanKind = (change: Change, base: 'a' | 'b') =>
  change === 'different_destination' ? 'redirected' : (change === 'only_a') === (base === 'a') ? 'dropped' : 'added';

/** The diff's heading. Against a baseline: the number of changed assignments first, then what kind. */
function diffSummary(d: Diff, base: 'a' | 'b' | null): HTMLElement {
  if (base === null) {
    return h('p', { class: 'muted', 'data-testid': 'diff-summary' }, L(`两个运行去向相同的教师 ${int(d.same)} 人；去向不同的 ${int(d.rows.length)} 人如下。`, `${int(d.same)} teachers move alike in both runs; the ${int(d.rows.length)} who differ are below.`));
  }
  const count = (kind: string) => int(d.rows.filter((r) => replanKind(r.change, base) === kind).length);
  return h('div', { class: 'diff-summary', 'data-testid': 'diff-summary' },
    h('strong', { class: 'diff-headline' }, L(`与基准方案相比：${int(d.rows.length)}名教师的安排不同`, `Against the baseline: ${int(d.rows.length)} teachers' assignments differ`)),
    h('span', { class: 'muted' }, L(`（新增交流 ${count('added')} 人、改为留任 ${count('dropped')} 人、改派其他学校 ${count('redirected')} 人；其余 ${int(d.same)} 名交流教师的安排不变）`,
      ` (${count('added')} now move, ${count('dropped')} now stay, ${count('redirected')} go elsewhere; the other ${int(d.same)} moved teachers keep their assignment)`)));
}

async function diffSection(el: HTMLElement, c: Comparison, baselineOf: ReadonlyMap<number, number | null>, datasetId: number, a: number, b: number, signal: AbortSignal): Promise<void> {
  const runIds = c.runs.map((r) => r.run_id);
  const pick = (v: number, onChange: (x: number) => void, testid: string) =>
    select(runIds.map((id) => ({ value: String(id), label: `#${id}` })), String(v), (x) => onChange(Number(x)), { 'data-testid': testid });
  const body = h('div');
  const redo = (x: number, y: number) => void diffSection(el, c, baselineOf, datasetId, x, y, signal);
  const base = baselineOf.get(b) === a ? 'a' : baselineOf.get(a) === b ? 'b' : null;
  mount(el, h('div', { class: 'filters' },
    h('label', { class: 'inline-field' }, h('span', null, 'A'), pick(a, (x) => redo(x, b), 'diff-a')),
    h('label', { class: 'inline-field' }, h('span', null, 'B'), pick(b, (x) => redo(a, x), 'diff-b')),
    base === null ? null : h('span', { class: 'muted small', 'data-testid': 'diff-baseline' }, base === 'a'
      ? L(`运行 #${b} 以运行 #${a} 为基准求解`, `Run #${b} re-planned against run #${a}`)
      : L(`运行 #${a} 以运行 #${b} 为基准求解`, `Run #${a} re-planned against run #${b}`))), body);
  replaceQuery({ a, b });
  if (a === b) { mount(body, notice('info', L('请选择两个不同的运行。', 'Choose two different runs.'))); return; }
  mount(body, loading());
  try {
    const [d, schools] = await Promise.all([api.teacherDiff(a, b), schoolsOf(datasetId)]);
    if (signal.aborted) return;
    const byId = schoolIndex(schools);
    const name = (id: string | null) => (id === null ? L('留任', 'stays') : byId.get(id)?.name ?? id);
    type R = typeof d.rows[number];
    const cols: Column<R>[] = [
      { label: L('教师', 'Teacher'), cell: (r) => h('a', { href: href('teacher', { run: a }, r.teacher_id) }, r.name || r.teacher_id), sort: (r) => r.teacher_id },
      { label: L('编号', 'ID'), cell: (r) => h('span', { class: 'mono' }, r.teacher_id), sort: (r) => r.teacher_id },
      { label: L('现任学校', 'Current school'), cell: (r) => name(r.from_school_id), sort: (r) => r.from_school_id },
      { label: L(`#${a}${base === 'a' ? '（基准）' : ''} 去向`, `#${a}${base === 'a' ? ' (baseline)' : ''} sends to`), cell: (r) => h('span', { class: r.a_to_school_id ? '' : 'muted' }, name(r.a_to_school_id)) },
      { label: L(`#${b}${base === 'b' ? '（基准）' : ''} 去向`, `#${b}${base === 'b' ? ' (baseline)' : ''} sends to`), cell: (r) => h('span', { class: r.b_to_school_id ? '' : 'muted' }, name(r.b_to_school_id)) },
      base === null
        ? { label: L('差异', 'Difference'), cell: (r) => changeLabel(r.change), sort: (r) => r.change }
        : { label: L('变化', 'Change'), cell: (r) => replanChangeLabel(replanKind(r.change, base)), sort: (r) => replanKind(r.change, base) },
    ];
    mount(body,
      diffSummary(d, base),
      dataTable(cols, d.rows, { pageSize: 20, testid: 'diff-table', empty: L('两个运行的方案完全相同。', 'The two plans are identical.') }).el);
  } catch (err) {
    if (!signal.aborted) mount(body, errorView(err));
  }
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

export async function renderCompare(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const header = pageHeader(L('比较', 'Compare'), L('并排比较 2–4 个运行：关键指标、差异系数、逐人差异。', 'Two to four runs side by side: key figures, CVs, teacher by teacher.'));
  if (!can('compare')) {
    mount(root, header, notice('warn', L('比较方案需要“领导”或“管理员”角色。', 'Comparing runs needs the leader or admin role.')));
    return;
  }
  const runs = await finishedRuns(ds.id);
  const chosen = (ctx.route.query.get('runs') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const chooser = card(L('选择运行', 'Choose runs'), runs.filter((r) => r.status === 'done').length < 2
    ? notice('info', L('至少需要两个已完成的运行。请在“方案”页调整参数后再求解一次。', 'At least two finished runs are needed: change a parameter on the Scenario page and solve again.'), ' ', h('a', { href: href('scenario') }, L('去方案页', 'Scenario page')))
    : runChooser(runs, chosen));
  if (chosen.length < 2) { mount(root, header, chooser); return; }
  mount(root, header, chooser, loading());
  const [c, details] = await Promise.all([api.compare(chosen), Promise.all(chosen.map((id) => api.run(id)))]);
  if (ctx.signal.aborted) return;
  const policies = c.runs.map((r) => details.find((d) => d.id === r.run_id)!.inputs.policy);
  const diff = h('div', { 'data-testid': 'diff-section' });
  mount(root, header, chooser,
    card(L('关键指标', 'Key figures'), lightsLegend(), kpiTable(c, policies), adoption(c, ds.adopted_run_id, ctx)),
    card(L('差异系数：交流前后', 'CV before and after'), cvCharts(c)),
    card(L('逐人差异', 'Teacher by teacher'), diff));
  const qa = Number(ctx.route.query.get('a'));
  const qb = Number(ctx.route.query.get('b'));
  const ids = c.runs.map((r) => r.run_id);
  const baselineOf = new Map(details.map((d) => [d.id, d.baseline_run_id]));
  // Unless the URL says otherwise, a re-plan is shown against its baseline (baseline as A).
  const replan = details.find((d) => d.baseline_run_id !== null && ids.includes(d.baseline_run_id));
  const [a, b] = replan ? [replan.baseline_run_id!, replan.id] : [ids[0]!, ids[1]!];
  await diffSection(diff, c, baselineOf, ds.id, ids.includes(qa) ? qa : a, ids.includes(qb) ? qb : b, ctx.signal);
}
