// From a KPI to the schools behind it. A per-100 threshold row opens the schools that fail it in
// any run after rotation (e.g. which schools still have fewer than 0.9 PE and art teachers per
// 100 students), worst first. A 差异系数 row opens the schools of its scope ranked by their share
// of CV²: with P_i students and X_i the school's value per 100, CV² = Σ P_i (X_i − X̄)² ÷ (P X̄²),
// so a school's share is P_i (X_i − X̄)² over the sum — large, far-from-average schools drive it.
import type { Comparison } from '../api.ts';
import { h, light } from '../dom.ts';
import { int, num, pct, per100 } from '../format.ts';
import { L, indicatorLabel, indicatorShort, stageLabel } from '../i18n.ts';
import { type Column, dataTable } from '../table.ts';

type StageRow = Comparison['school_stages'][number];
type Side = NonNullable<StageRow['runs'][number]>['after'];
type Indicator = 'aboveDegree' | 'backbone' | 'peArt';
const INDICATORS: readonly Indicator[] = ['aboveDegree', 'backbone', 'peArt'];
const KEY = { aboveDegree: 'above_degree', backbone: 'backbone', peArt: 'pe_art' } as const;

const value = (s: Side | undefined, i: Indicator) => (s ? s[`${KEY[i]}_per100`] : null);
const ok = (s: Side | undefined, i: Indicator | 'all') => (s === undefined ? null : i === 'all' ? INDICATORS.every((x) => s[`${KEY[x]}_ok`] === true) : s[`${KEY[i]}_ok`]);
const failing = (s: Side) => INDICATORS.filter((x) => s[`${KEY[x]}_ok`] === false);

const mark = (good: boolean | null) => light(good === null ? 'muted' : good ? 'ok' : 'bad', good === null ? L('无数据', 'no data') : good ? L('达标', 'met') : L('未达标', 'not met'));
const sideCell = (s: Side | undefined, i: Indicator | 'all') => h('span', { class: 'kpi-cell' }, mark(ok(s, i)),
  i === 'all' ? (s ? (failing(s).length === 0 ? L('全部达标', 'all met') : failing(s).map((x) => indicatorShort(x)).join(L('、', ', '))) : '—') : per100(value(s, i)));

/** What a run did to a school's standing: it met the threshold before and fails after, or the reverse. */
const turn = (r: StageRow['runs'][number], i: Indicator | 'all') =>
  (r === null ? null : ok(r.before, i) === true && ok(r.after, i) === false ? 'worse' : ok(r.before, i) === false && ok(r.after, i) === true ? 'better' : null);

function thresholdDrill(c: Comparison, stage: string, indicator: Indicator | 'all'): HTMLElement {
  const rows = c.school_stages.filter((s) => s.stage === stage && s.students > 0 && s.runs.some((r) => r !== null && ok(r.after, indicator) === false));
  const sortKey = (s: StageRow) => (indicator === 'all' ? -(s.runs[0] ? failing(s.runs[0].after).length : 0) : value(s.runs[0]?.after, indicator));
  // Schools a run made fail come first: they are what a leader asks about.
  const worse = (s: StageRow) => s.runs.some((r) => turn(r, indicator) === 'worse');
  const min = c.thresholds.find((t) => t.stage === stage && t.indicator === indicator)?.runs.find((v) => v !== null)?.min ?? null;
  const columns: Column<StageRow>[] = [
    { label: L('学校', 'School'), sort: (s) => s.school_name, cell: (s) => h('span', null, s.school_name, ' ', h('span', { class: 'mono muted' }, s.school_id)) },
    { label: L('学生数', 'Students'), num: true, sort: (s) => s.students, cell: (s) => int(s.students) },
    { label: L('交流前', 'Before'), sort: (s) => (indicator === 'all' ? null : value(s.runs.find((r) => r)?.before, indicator)), cell: (s) => sideCell(s.runs.find((r) => r)?.before, indicator) },
    ...c.runs.map((r, i): Column<StageRow> => ({
      label: L(`#${r.run_id} 交流后`, `#${r.run_id} after`), sort: i === 0 ? sortKey : (s) => (indicator === 'all' ? null : value(s.runs[i]?.after, indicator)),
      cell: (s) => {
        const t = turn(s.runs[i] ?? null, indicator);
        return h('span', { 'data-run': r.run_id, class: 'kpi-cell' }, sideCell(s.runs[i]?.after, indicator),
          t === null ? null : h('span', { class: `turn turn-${t}` }, t === 'worse' ? L('交流后新增未达标', 'fails since the plan') : L('交流后达标', 'meets since the plan')));
      },
    })),
  ];
  const counts = c.runs.map((r, i) => {
    const fail = (side: 'before' | 'after') => c.school_stages.filter((s) => s.stage === stage && s.students > 0 && s.runs[i] && ok(s.runs[i]![side], indicator) === false).length;
    const newly = rows.filter((s) => turn(s.runs[i] ?? null, indicator) === 'worse').length;
    return L(`#${r.run_id}：交流后仍有 ${fail('after')} 所未达标（交流前 ${fail('before')} 所${newly > 0 ? `，其中 ${newly} 所为交流后新增` : ''}）`,
      `#${r.run_id}: ${fail('after')} fail after (${fail('before')} before${newly > 0 ? `; ${newly} newly` : ''})`);
  });
  const title = indicator === 'all'
    ? L(`${stageLabel(stage)} · 三项指标未全部达标的学校`, `${stageLabel(stage)} · schools not meeting all three thresholds`)
    : L(`${stageLabel(stage)} · ${indicatorLabel(indicator)} ≥ ${num(min, 1)} 人/百生：未达标的学校`, `${stageLabel(stage)} · ${indicatorLabel(indicator)} ≥ ${num(min, 1)} per 100: schools below it`);
  const sorted = [...rows].sort((a, b) => Number(worse(b)) - Number(worse(a)) || Number(sortKey(a) ?? Infinity) - Number(sortKey(b) ?? Infinity));
  return h('div', null, h('h3', { class: 'drill-title' }, title), h('p', { class: 'muted small', 'data-testid': 'drill-counts' }, counts.join(L('；', '; '))),
    dataTable(columns, sorted, { pageSize: 12, testid: 'drill-table', empty: L('所有学校都已达标。', 'Every school meets it.') }).el);
}

/** Each school's share of Σ P_i (X_i − X̄)², the numerator of CV². */
function shares(rows: readonly StageRow[], side: (s: StageRow) => Side | undefined, indicator: Indicator, mean: number): Map<StageRow, number> {
  const terms = rows.map((s) => { const x = value(side(s), indicator); return [s, x === null ? 0 : s.students * (x - mean) ** 2] as const; });
  const total = terms.reduce((a, [, t]) => a + t, 0);
  return new Map(terms.map(([s, t]) => [s, total > 0 ? t / total : 0]));
}

function cvDrill(c: Comparison, county: string, stage: string, indicator: Indicator): HTMLElement {
  const cvRow = c.cv.find((x) => x.county === county && x.stage === stage && x.indicator === indicator);
  const rows = c.school_stages.filter((s) => s.county === county && s.stage === stage && s.in_cv_scope && s.students > 0);
  const head = cvRow?.runs.find((v) => v !== null);
  const before = shares(rows, (s) => s.runs.find((r) => r)?.before, indicator, head?.mean_before ?? 0);
  const after = c.runs.map((_, i) => shares(rows, (s) => s.runs[i]?.after, indicator, cvRow?.runs[i]?.mean_after ?? 0));
  const cellOf = (x: number | null, share: number | undefined) => h('span', null, per100(x), h('span', { class: 'kpi-cell-sub' }, ` ${pct(share ?? null, 0)}`));
  const columns: Column<StageRow>[] = [
    { label: L('学校', 'School'), sort: (s) => s.school_name, cell: (s) => h('span', null, s.school_name, ' ', h('span', { class: 'mono muted' }, s.school_id)) },
    { label: L('学生数', 'Students'), num: true, sort: (s) => s.students, cell: (s) => int(s.students) },
    { label: L('交流前（占比）', 'Before (share)'), sort: (s) => before.get(s) ?? 0, cell: (s) => cellOf(value(s.runs.find((r) => r)?.before, indicator), before.get(s)) },
    ...c.runs.map((r, i): Column<StageRow> => ({
      label: L(`#${r.run_id} 交流后（占比）`, `#${r.run_id} after (share)`), sort: (s) => after[i]!.get(s) ?? 0,
      cell: (s) => h('span', { 'data-run': r.run_id }, cellOf(value(s.runs[i]?.after, indicator), after[i]!.get(s))),
    })),
  ];
  const sorted = [...rows].sort((a, b) => (after[0]!.get(b) ?? 0) - (after[0]!.get(a) ?? 0));
  const means = [L(`交流前 ${per100(head?.mean_before)}`, `before ${per100(head?.mean_before)}`), ...c.runs.map((r, i) => `#${r.run_id} ${per100(cvRow?.runs[i]?.mean_after)}`)].join(L('，', ', '));
  return h('div', null,
    h('h3', { class: 'drill-title' }, L(`${stageLabel(stage)} · ${indicatorLabel(indicator)}差异系数：哪些学校拉高了它`, `${stageLabel(stage)} · ${indicatorLabel(indicator)} CV: which schools drive it`)),
    h('p', { class: 'muted small' }, L(`每百名学生的值；括号内为该校在 Σ 学生数 ×（每百名值 − 县均值）² 中的占比，占比越大，对差异系数的影响越大。县均值：${means}。`,
      `Value per 100 students; the share is the school's part of Σ students × (value − county mean)²: the larger, the more it drives the CV. County mean: ${means}.`)),
    dataTable(columns, sorted, { pageSize: 12, testid: 'drill-table' }).el);
}

/** The schools behind a KPI row (see compare-kpis.ts `Drill`), or null for an unknown key. */
export function drillView(c: Comparison, drill: string): HTMLElement | null {
  const [kind, ...args] = drill.split(':');
  const isIndicator = (x: string | undefined): x is Indicator => INDICATORS.includes(x as Indicator);
  if (kind === 'thr' && args.length === 2 && (isIndicator(args[1]) || args[1] === 'all')) return thresholdDrill(c, args[0]!, args[1]);
  // A county name could hold a colon: it is everything before the stage and the indicator.
  const [stage, indicator] = args.slice(-2);
  if (kind === 'cv' && args.length >= 3 && isIndicator(indicator)) return cvDrill(c, args.slice(0, -2).join(':'), stage!, indicator);
  return null;
}
