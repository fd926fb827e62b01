// The comparison's KPI table: one row per figure a leader weighs; a column for the county with
// no rotation (the values before), then per run its own requirement (from the run's own policy
// and rotation budget) and its value with a traffic light and the change against no rotation.
// Rows behind which schools stand (per-100 thresholds, 差异系数, teachers rotated) open the
// schools that drive them.
import type { Comparison } from '../api.ts';
import { type Child, type Tone, h, light } from '../dom.ts';
import { cv, int, lightFor, lightForShare, num, pct, signed, signedNum } from '../format.ts';
import { L, indicatorLabel, planStatusLabel, stageLabel } from '../i18n.ts';
import { RUN_COLORS } from '../charts/palette.ts';

type Run = Comparison['runs'][number];
type CvRun = NonNullable<Comparison['cv'][number]['runs'][number]>;
interface Cell { required: string; tone: Tone | null; value: string; sub?: string; extra?: Child }
interface Row { label: string; before: string; cells: Cell[]; testid?: string; group?: boolean; drill?: string }

/** A drill-down key: `thr:<stage>:<indicator>`, `cv:<county>:<stage>:<indicator>` or `schools`. */
export type Drill = string;

const toneText = (t: Tone) => ({ ok: L('达标', 'met'), warn: L('大部分学校达标', 'most schools meet'), bad: L('未达标', 'not met'), muted: L('无数据', 'no data'), info: '' })[t];
const empty: Cell = { required: '', tone: 'muted', value: '—' };

export function rotationRequirement(q: Run['requirements']): string {
  const max = q.max_rotated_share === null ? '' : L(`，≤ ${pct(q.max_rotated_share, 0)}`, `, ≤ ${pct(q.max_rotated_share, 0)}`);
  return `≥ ${pct(q.min_rotated_share, 0)}${max}`;
}
export const budgetText = (q: Run['requirements']) => (q.min_rotated === q.max_rotated
  ? L(`${int(q.min_rotated)} 人（最低人数）`, `${int(q.min_rotated)} (the minimum)`)
  : L(`${int(q.min_rotated)}–${int(q.max_rotated)} 人`, `${int(q.min_rotated)}–${int(q.max_rotated)}`));

/** How close the plan came to the best any plan could do, when the bounds job has said. */
function achievable(v: CvRun): Child {
  const lines: Child[] = [];
  if (v.share_of_achievable !== null) {
    lines.push(h('span', { class: 'achievable', 'data-testid': 'share-of-achievable' }, L(`本方案达到可实现降幅的 ${pct(v.share_of_achievable, 0)}`, `${pct(v.share_of_achievable, 0)} of the achievable fall`)));
  }
  if (v.best_achievable !== null && v.best_achievable > v.max + 1e-9) {
    lines.push(h('span', { class: 'achievable out' }, L(`仅靠交流无法降到${num(v.max, 2)}：最低可达${cv(v.best_achievable)}`, `Rotation alone cannot reach ${num(v.max, 2)}: best ${cv(v.best_achievable)}`)));
  } else if (v.best_achievable !== null) {
    lines.push(h('span', { class: 'achievable' }, L(`最低可达 ${cv(v.best_achievable)}`, `best achievable ${cv(v.best_achievable)}`)));
  }
  return lines.length > 0 ? lines : null;
}

/** `county`: one county picked (compare-county.ts): the rows the run summary holds only for the whole file are left out. */
function rows(c: Comparison, county: string): Row[] {
  const out: Row[] = [];
  const per = (f: (r: Run) => Cell) => c.runs.map(f);
  const first = c.runs[0];
  out.push({ label: L('方案状态', 'Plan status'), before: '', cells: per((r) => ({ required: '', tone: r.plan_status === 'infeasible' ? 'bad' : 'ok', value: planStatusLabel(r.plan_status) })) });
  out.push({ label: L('规则审核', 'Audit'), before: '', cells: per((r) => ({ required: L('全部通过', 'all pass'), tone: r.audit_ok ? 'ok' : 'bad', value: r.audit_ok ? L('通过', 'pass') : L('未通过', 'fail') })) });
  out.push({ label: L('符合交流条件教师', 'Eligible teachers'), before: int(first?.eligible), cells: per((r) => ({ required: '', tone: null, value: int(r.eligible) })), testid: 'kpi-eligible' });
  out.push({ label: L('交流人数', 'Teachers rotated'), before: '0', drill: 'schools', testid: 'kpi-rotated', cells: per((r) => ({ required: budgetText(r.requirements), tone: null, value: int(r.rotated) })) });
  out.push({
    label: L('交流比例（占符合条件）', 'Rotation rate (of eligible)'), before: pct(0), testid: 'kpi-rotation-rate',
    cells: per((r) => ({ required: rotationRequirement(r.requirements), tone: lightFor(r.rotation_rate, r.requirements.min_rotated_share, true), value: pct(r.rotation_rate) })),
  });
  out.push({ label: L('交流骨干教师', 'Backbone rotated'), before: '0', cells: per((r) => ({ required: '', tone: null, value: int(r.backbone_rotated) })) });
  out.push({
    label: L('骨干占交流人数', 'Backbone share of rotated'), before: '—', testid: 'kpi-backbone-share',
    cells: per((r) => ({ required: `≥ ${pct(r.requirements.min_backbone_share, 0)}`, tone: lightFor(r.backbone_share, r.requirements.min_backbone_share, true), value: pct(r.backbone_share) })),
  });
  if (county === '') cityWide(out, c);
  countyRows(out, c);
  return out;
}

/** Moves toward rural/weak schools, subject gaps and commute: summed over the whole file only. */
function cityWide(out: Row[], c: Comparison): void {
  const per = (f: (r: Run) => Cell) => c.runs.map(f);
  const first = c.runs[0];
  out.push({ label: L('流向乡村/薄弱学校', 'Toward rural/weak schools'), before: '0', cells: per((r) => ({ required: L('越多越好', 'more is better'), tone: null, value: int(r.toward_rural_or_weak), sub: pct(r.rotated ? r.toward_rural_or_weak / r.rotated : null) })) });
  out.push({
    label: L('学科缺口（人）', 'Subject gaps (FTE)'), before: num(first?.needs.shortfall_before, 1), testid: 'kpi-needs',
    cells: per((r) => ({ required: L('越少越好', 'fewer is better'), tone: null, value: num(r.needs.shortfall_after, 1), sub: L(`较交流前 ${signedNum(r.needs.shortfall_after - r.needs.shortfall_before, 1)}`, `${signedNum(r.needs.shortfall_after - r.needs.shortfall_before, 1)} vs none`) })),
  });
  out.push({ label: L('交流教师通勤合计（公里）', 'Commute of movers (km)'), before: '', cells: per((r) => ({ required: '', tone: null, value: num(r.commute.total_km_after, 0), sub: L(`调动前 ${num(r.commute.total_km_before, 0)}`, `before moving ${num(r.commute.total_km_before, 0)}`) })) });
}

/** 差异系数 per county, stage and indicator, and the schools meeting each per-100 threshold. */
function countyRows(out: Row[], c: Comparison): void {
  const counties = new Set(c.cv.map((x) => x.county));
  out.push({ label: L('差异系数（学生数加权；交流后，较交流前）', 'CV (student-weighted; after, change vs none)'), before: '', cells: [], group: true });
  for (const x of c.cv) {
    const head = x.runs.find((v) => v !== null);
    out.push({
      label: `${counties.size > 1 ? `${x.county} · ` : ''}${stageLabel(x.stage)} · ${indicatorLabel(x.indicator)}`, before: cv(head?.before), testid: `kpi-cv-${x.stage}-${x.indicator}`,
      drill: `cv:${x.county}:${x.stage}:${x.indicator}`,
      cells: x.runs.map((v) => (v ? {
        required: `≤ ${num(v.max, 2)}`, tone: lightFor(v.after, v.max, false), value: cv(v.after),
        sub: L(`较交流前 ${signedNum(v.after === null || v.before === null ? null : v.after - v.before, 3)}`, `${signedNum(v.after === null || v.before === null ? null : v.after - v.before, 3)} vs none`),
        extra: achievable(v),
      } : empty)),
    });
  }
  out.push({ label: L('达到每百名学生标准的学校（交流后 / 全部）', 'Schools meeting the per-100 thresholds (after / all)'), before: '', cells: [], group: true });
  for (const t of c.thresholds) {
    const head = t.runs.find((v) => v !== null);
    out.push({
      label: `${stageLabel(t.stage)} · ${indicatorLabel(t.indicator)}`, before: head ? `${head.before} / ${head.schools}` : '—', testid: `kpi-thr-${t.stage}-${t.indicator}`,
      drill: `thr:${t.stage}:${t.indicator}`,
      cells: t.runs.map((v) => (v ? {
        required: v.min === null ? L('三项同时', 'all three') : `≥ ${num(v.min, 1)} ${L('人/百生', 'per 100')}`,
        tone: lightForShare(v.after, v.schools), value: `${v.after} / ${v.schools}`, sub: L(`较交流前 ${signed(v.after - v.before)}`, `${signed(v.after - v.before)} vs none`),
      } : empty)),
    });
  }
}

const cellView = (cell: Cell): Child => h('span', { class: 'kpi-cell' },
  cell.tone ? light(cell.tone, toneText(cell.tone)) : null, h('span', { class: 'kpi-cell-value' }, cell.value), cell.sub ? h('span', { class: 'kpi-cell-sub' }, cell.sub) : null);

export function kpiTable(c: Comparison, onDrill: (d: Drill) => void, county = ''): HTMLElement {
  const swatch = (i: number) => h('span', { class: 'run-swatch', style: `--c:${RUN_COLORS[i % RUN_COLORS.length]}` });
  const label = (row: Row) => (row.drill
    ? h('button', { class: 'link-button', type: 'button', title: L('查看相关学校', 'Show the schools behind this'), 'data-drill': row.drill, onclick: () => onDrill(row.drill!) }, row.label, h('span', { class: 'drill-mark' }, ' ›'))
    : row.label);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data kpi-table', 'data-testid': 'kpi-table' },
    h('thead', null,
      h('tr', null, h('th', { rowspan: 2 }, L('指标', 'Measure')), h('th', { rowspan: 2, class: 'before-col' }, L('不交流（交流前）', 'No rotation (before)')),
        c.runs.map((r, i) => h('th', { colspan: 2, class: 'run-col', 'data-run': r.run_id }, swatch(i), `#${r.run_id} ${r.scenario_name}`, r.adopted ? L(' ★已采纳', ' ★ adopted') : null))),
      h('tr', null, c.runs.map(() => [h('th', { class: 'req-col' }, L('本运行要求', 'Its requirement')), h('th', null, L('交流后', 'After'))]))),
    h('tbody', null, rows(c, county).map((row) => (row.group
      ? h('tr', { class: 'group-row' }, h('th', { colspan: 2 + 2 * c.runs.length }, row.label))
      : h('tr', { 'data-testid': row.testid },
        h('td', null, label(row)), h('td', { class: 'before-col' }, row.before),
        row.cells.map((cell, i) => [
          h('td', { class: 'req muted nowrap', 'data-run': c.runs[i]?.run_id }, cell.required),
          h('td', { class: 'val', 'data-run': c.runs[i]?.run_id }, cellView(cell), cell.extra ? h('div', { class: 'kpi-cell-extra' }, cell.extra) : null),
        ])))))));
}

export function lightsLegend(): HTMLElement {
  return h('div', { class: 'legend lights-legend', 'data-testid': 'lights-legend' },
    h('span', { class: 'legend-title' }, L('信号灯：', 'Lights:')),
    h('span', { class: 'legend-item' }, light('ok', toneText('ok')), L('绿 = 达到本运行的要求', 'green = meets this run\'s requirement')),
    h('span', { class: 'legend-item' }, light('bad', toneText('bad')), L('红 = 未达到（差异系数高于上限即为红，无论差多少）', 'red = not met (a CV above its limit is red, however close)')),
    h('span', { class: 'legend-item' }, light('warn', toneText('warn')), L('黄 = 仅用于学校达标数：不少于 90% 的学校达标，但未全部达标', 'amber = school counts only: at least 90% of schools meet, not all')),
    h('span', { class: 'legend-item' }, light('muted', toneText('muted')), L('灰 = 无数据', 'grey = no data')),
    h('span', { class: 'legend-note' }, L('“较交流前”= 与不交流相比的变化；点击带 › 的指标查看相关学校。', '“vs none” = change against no rotation; click a measure with › to see its schools.')));
}
