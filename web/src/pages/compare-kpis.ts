// The comparison's KPI table: one column per run, one row per figure a leader weighs, each
// with a traffic light against its threshold (10%, 20%, CV 0.50/0.45, per-100 school
// thresholds 4.2/5.3, 1.0, 0.9) and the requirement spelled out in its own column.
import type { Comparison, Policy } from '../api.ts';
import { type Child, type Tone, h, light } from '../dom.ts';
import { cv, int, lightFor, lightForShare, num, pct } from '../format.ts';
import { L, indicatorLabel, planStatusLabel, stageLabel } from '../i18n.ts';
import { RUN_COLORS } from '../charts/palette.ts';

type Run = Comparison['runs'][number];
interface Cell { tone: Tone | null; value: string; sub?: string }
interface Row { label: string; required: string; cells: Cell[]; testid?: string; group?: boolean }

const toneText = (t: Tone) => ({ ok: L('达标', 'met'), warn: L('接近', 'close'), bad: L('未达标', 'not met'), muted: L('无数据', 'no data'), info: '' })[t];
const thresholdKey = { aboveDegree: 'aboveDegreeMin', backbone: 'backboneMin', peArt: 'peArtMin' } as const;

export function kpiTable(c: Comparison, policies: readonly Policy[]): HTMLElement {
  const p0 = policies[0];
  const rows: Row[] = [];
  const per = (f: (r: Run, p: Policy | undefined, i: number) => Cell) => c.runs.map((r, i) => f(r, policies[i], i));
  rows.push({ label: L('方案状态', 'Plan status'), required: '', cells: per((r) => ({ tone: r.plan_status === 'infeasible' ? 'bad' : 'ok', value: planStatusLabel(r.plan_status) })) });
  rows.push({ label: L('规则审核', 'Audit'), required: L('全部通过', 'all pass'), cells: per((r) => ({ tone: r.audit_ok ? 'ok' : 'bad', value: r.audit_ok ? L('通过', 'pass') : L('未通过', 'fail') })) });
  rows.push({ label: L('符合交流条件教师', 'Eligible teachers'), required: '', cells: per((r) => ({ tone: null, value: int(r.eligible) })), testid: 'kpi-eligible' });
  rows.push({ label: L('交流人数', 'Teachers rotated'), required: '', cells: per((r) => ({ tone: null, value: int(r.rotated) })), testid: 'kpi-rotated' });
  rows.push({
    label: L('交流比例（占符合条件）', 'Rotation rate (of eligible)'), required: `≥ ${pct(p0?.ratios.minRotatedShareOfEligible ?? 0.1, 0)}`, testid: 'kpi-rotation-rate',
    cells: per((r, p) => ({ tone: lightFor(r.rotation_rate, p?.ratios.minRotatedShareOfEligible ?? 0.1, true), value: pct(r.rotation_rate) })),
  });
  rows.push({ label: L('交流骨干教师', 'Backbone rotated'), required: '', cells: per((r) => ({ tone: null, value: int(r.backbone_rotated) })) });
  rows.push({
    label: L('骨干占交流人数', 'Backbone share of rotated'), required: `≥ ${pct(p0?.ratios.minBackboneShareOfRotated ?? 0.2, 0)}`, testid: 'kpi-backbone-share',
    cells: per((r, p) => ({ tone: lightFor(r.backbone_share, p?.ratios.minBackboneShareOfRotated ?? 0.2, true), value: pct(r.backbone_share) })),
  });
  rows.push({ label: L('流向乡村/薄弱学校', 'Toward rural/weak schools'), required: L('越多越好', 'more is better'), cells: per((r) => ({ tone: null, value: int(r.toward_rural_or_weak), sub: pct(r.rotated ? r.toward_rural_or_weak / r.rotated : null) })) });
  rows.push({ label: L('学科缺口填补（人）', 'Subject gaps filled (FTE)'), required: '', cells: per((r) => ({ tone: null, value: num(r.needs.filled, 1), sub: L(`缺口 ${num(r.needs.shortfall_before, 0)} → ${num(r.needs.shortfall_after, 0)}`, `gap ${num(r.needs.shortfall_before, 0)} → ${num(r.needs.shortfall_after, 0)}`) })) });
  rows.push({ label: L('交流教师通勤合计（公里）', 'Commute of movers (km)'), required: '', cells: per((r) => ({ tone: null, value: num(r.commute.total_km_after, 0), sub: L(`交流前 ${num(r.commute.total_km_before, 0)}`, `before ${num(r.commute.total_km_before, 0)}`) })) });

  const counties = new Set(c.cv.map((x) => x.county));
  rows.push({ label: L('差异系数（交流后，交流前 → 后）', 'CV (after; before → after)'), required: '', cells: [], group: true });
  for (const x of c.cv) {
    rows.push({
      label: `${counties.size > 1 ? `${x.county} · ` : ''}${stageLabel(x.stage)} · ${indicatorLabel(x.indicator)}`, required: `≤ ${num((x.runs.find((v) => v !== null)?.max ?? 0), 2)}`, testid: `kpi-cv-${x.stage}-${x.indicator}`,
      cells: x.runs.map((v) => (v ? { tone: lightFor(v.after, (x.runs.find((v) => v !== null)?.max ?? 0), false), value: cv(v.after), sub: `${cv(v.before)} → ${cv(v.after)}` } : { tone: 'muted', value: '—' })),
    });
  }
  rows.push({ label: L('达到每百名学生标准的学校（交流后 / 全部）', 'Schools meeting the per-100 thresholds (after / all)'), required: '', cells: [], group: true });
  for (const t of c.thresholds) {
    const min = t.indicator === 'all' || !p0 ? null : p0.indicators[thresholdKey[t.indicator]][t.stage];
    rows.push({
      label: `${stageLabel(t.stage)} · ${indicatorLabel(t.indicator)}`, required: min === null ? L('三项同时', 'all three') : `≥ ${num(min, 1)} ${L('人/百生', 'per 100')}`,
      testid: `kpi-thr-${t.stage}-${t.indicator}`,
      cells: t.runs.map((v) => (v ? { tone: lightForShare(v.after, v.schools), value: `${v.after} / ${v.schools}`, sub: L(`交流前 ${v.before}`, `before ${v.before}`) } : { tone: 'muted', value: '—' })),
    });
  }

  const cellView = (cell: Cell): Child => h('span', { class: 'kpi-cell' },
    cell.tone ? light(cell.tone, toneText(cell.tone)) : null, h('span', { class: 'kpi-cell-value' }, cell.value), cell.sub ? h('span', { class: 'kpi-cell-sub' }, cell.sub) : null);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data kpi-table', 'data-testid': 'kpi-table' },
    h('thead', null, h('tr', null, h('th', null, L('指标', 'Measure')), h('th', null, L('要求', 'Required')),
      c.runs.map((r, i) => h('th', { class: 'run-col', 'data-run': r.run_id }, h('span', { class: 'run-swatch', style: `--c:${RUN_COLORS[i % RUN_COLORS.length]}` }), `#${r.run_id} ${r.scenario_name}`, r.adopted ? L(' ★', ' ★') : null)))),
    h('tbody', null, rows.map((row) => (row.group
      ? h('tr', { class: 'group-row' }, h('th', { colspan: 2 + c.runs.length }, row.label))
      : h('tr', { 'data-testid': row.testid },
        h('td', null, row.label), h('td', { class: 'muted nowrap' }, row.required),
        row.cells.map((cell, i) => h('td', { 'data-run': c.runs[i]?.run_id }, cellView(cell)))))))));
}

export function lightsLegend(): HTMLElement {
  return h('div', { class: 'legend' },
    h('span', { class: 'legend-item' }, light('ok', toneText('ok')), L('达标', 'Met')),
    h('span', { class: 'legend-item' }, light('warn', toneText('warn')), L('接近：差距在要求值的 10% 以内；学校达标数 ≥ 90%', 'Close: within 10% of the requirement; ≥ 90% of schools')),
    h('span', { class: 'legend-item' }, light('bad', toneText('bad')), L('未达标', 'Not met')));
}
