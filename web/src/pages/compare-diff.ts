// 逐人差异: the teachers two of the compared runs treat differently. When one run re-planned
// against the other, the difference is worded as changes to that baseline (新增交流 / 改为留任 /
// 改派其他学校) and counted first. With a county picked, only that county's teachers are listed.
import { api, type Comparison, type TeacherDiff, type TeacherDiffResult } from '../api.ts';
import { h, mount, notice, select } from '../dom.ts';
import { int } from '../format.ts';
import { L, changeLabel, replanChangeLabel } from '../i18n.ts';
import { href, replaceQuery } from '../router.ts';
import { schoolIndex, schoolsOf } from '../store.ts';
import { type Column, dataTable } from '../table.ts';
import { errorView, loading } from '../widgets.ts';

type Diff = TeacherDiffResult;
type Change = TeacherDiff['change'];

/** A difference seen from the baseline (run `base`): added, dropped or redirected in the re-plan. */
const replanKind = (change: Change, base: 'a' | 'b') =>
  change === 'different_destination' ? 'redirected' : (change === 'only_a') === (base === 'a') ? 'dropped' : 'added';

/** The diff's heading. Against a baseline: the number of changed assignments first, then what kind. */
function diffSummary(d: Diff, base: 'a' | 'b' | null, county: string): HTMLElement {
  if (county !== '') {
    // The server counts teachers moved alike over the whole file only.
    return h('p', { class: 'muted', 'data-testid': 'diff-summary' }, L(`${county}去向不同的教师 ${int(d.rows.length)} 人如下（两个运行去向相同的教师：全部县区合计 ${int(d.same)} 人）。`,
      `The ${int(d.rows.length)} teachers of ${county} whom the runs treat differently are below (teachers moved alike: ${int(d.same)} over all counties).`));
  }
  if (base === null) {
    return h('p', { class: 'muted', 'data-testid': 'diff-summary' }, L(`两个运行去向相同的教师 ${int(d.same)} 人；去向不同的 ${int(d.rows.length)} 人如下。`, `${int(d.same)} teachers move alike in both runs; the ${int(d.rows.length)} who differ are below.`));
  }
  const count = (kind: string) => int(d.rows.filter((r) => replanKind(r.change, base) === kind).length);
  return h('div', { class: 'diff-summary', 'data-testid': 'diff-summary' },
    h('strong', { class: 'diff-headline' }, L(`与基准方案相比：${int(d.rows.length)}名教师的安排不同`, `Against the baseline: ${int(d.rows.length)} teachers' assignments differ`)),
    h('span', { class: 'muted' }, L(`（新增交流 ${count('added')} 人、改为留任 ${count('dropped')} 人、改派其他学校 ${count('redirected')} 人；其余 ${int(d.same)} 名交流教师的安排不变）`,
      ` (${count('added')} now move, ${count('dropped')} now stay, ${count('redirected')} go elsewhere; the other ${int(d.same)} moved teachers keep their assignment)`)));
}

interface DiffScope { datasetId: number; county: string; signal: AbortSignal }

async function diffSection(el: HTMLElement, c: Comparison, baselineOf: ReadonlyMap<number, number | null>, scope: DiffScope, a: number, b: number): Promise<void> {
  const { datasetId, county, signal } = scope;
  const runIds = c.runs.map((r) => r.run_id);
  const pick = (v: number, onChange: (x: number) => void, testid: string) =>
    select(runIds.map((id) => ({ value: String(id), label: `#${id}` })), String(v), (x) => onChange(Number(x)), { 'data-testid': testid });
  const body = h('div');
  const redo = (x: number, y: number) => void diffSection(el, c, baselineOf, scope, x, y);
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
    const [all, schools] = await Promise.all([api.teacherDiff(a, b), schoolsOf(datasetId)]);
    if (signal.aborted) return;
    const byId = schoolIndex(schools);
    const d = county === '' ? all : { ...all, rows: all.rows.filter((r) => byId.get(r.from_school_id)?.county === county) };
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
      diffSummary(d, base, county),
      dataTable(cols, d.rows, { pageSize: 20, testid: 'diff-table', empty: L('两个运行的方案完全相同。', 'The two plans are identical.') }).el);
  } catch (err) {
    if (!signal.aborted) mount(body, errorView(err));
  }
}

/** The difference of two runs: from the URL (a, b), else a re-plan against its baseline, else the first two. `county`: '' = all. */
export function teacherDiff(el: HTMLElement, c: Comparison, scope: DiffScope, query: URLSearchParams): Promise<void> {
  const ids = c.runs.map((r) => r.run_id);
  const baselineOf = new Map(c.runs.map((r) => [r.run_id, r.baseline_run_id]));
  const replan = c.runs.find((r) => r.baseline_run_id !== null && ids.includes(r.baseline_run_id));
  const [a, b] = replan ? [replan.baseline_run_id!, replan.run_id] : [ids[0]!, ids[1]!];
  const qa = Number(query.get('a'));
  const qb = Number(query.get('b'));
  return diffSection(el, c, baselineOf, scope, ids.includes(qa) ? qa : a, ids.includes(qb) ? qb : b);
}
