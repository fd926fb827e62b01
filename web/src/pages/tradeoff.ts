// 权衡 Trade-off: what each extra percent of rotation buys. A planner computes a scenario's
// frontier (one plan per upper rotation share, solved by the server in the background, point by
// point); everyone sees every 差异系数 against the share with its threshold, the needs filled and
// the commute, picks a point, and planners save it as a scenario to solve, compare and adopt.
import { api, type Frontier } from '../api.ts';
import { COMMUTE_COLOR, type FrontierChart, INDICATOR_COLOR, NEEDS_COLOR, drawFrontier } from '../charts/frontier.ts';
import { THRESHOLD_COLOR } from '../charts/palette.ts';
import { card, h, mount, notice, select } from '../dom.ts';
import { dateTime, num, pct, seconds } from '../format.ts';
import { L, indicatorShort, runStatusLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, replaceQuery } from '../router.ts';
import { can } from '../store.ts';
import { countyPicker, emptyState, errorView, legendItem, pageCounty, pageHeader, pageScenario } from '../widgets.ts';
import { PAIRS, type PointRow, cvOf, pointDetail, pointsTable } from './tradeoff-point.ts';

const ACTIVE = new Set(['queued', 'running']);
const POLL_MS = 800;
const sharePct = (s: number) => `${Number((s * 100).toFixed(1))}%`;

/** "10, 12.5, 15%" (percent, as planners type it) → [0.1, 0.125, 0.15]; null when a part is not a number. */
export function parseShares(text: string): number[] | null {
  const parts = text.split(/[,，、;；\s]+/).map((p) => p.replace(/%$/, '')).filter(Boolean);
  const shares = parts.map((p) => Number(p) / 100);
  return shares.length > 0 && shares.every(Number.isFinite) ? shares : null;
}

/** The chart's data for one county; points not planned yet are gaps. */
function chartData(f: Frontier, county: string): FrontierChart {
  const row = (i: number) => f.points.find((p) => p.index === i)?.counties.find((c) => c.county === county) ?? null;
  const rows = f.shares.map((_, i) => row(i));
  return {
    shares: f.shares,
    cv: PAIRS.map(({ stage, indicator }) => ({ stage, indicator, values: rows.map((r) => (r ? cvOf(r, stage, indicator) : null)) })),
    thresholds: f.thresholds,
    needsFilled: rows.map((r) => (r?.needs_unfilled == null ? null : r.needs_unfilled_before - r.needs_unfilled)),
    commuteKm: rows.map((r) => r?.commute_km_total ?? null),
    // The lowest CV any plan could reach at each share (dotted), once the bounds phase reached it.
    best: PAIRS.map(({ stage, indicator }) => ({
      stage, indicator,
      values: f.shares.map((_, i) => f.points.find((p) => p.index === i)?.best?.find((b) => b.county === county && b.stage === stage && b.indicator === indicator)?.best_achievable ?? null),
    })).filter((c) => c.values.some((v) => v !== null)),
  };
}

function progressView(f: Frontier, onCancel: () => void): HTMLElement {
  const p = f.progress;
  const bounds = p?.phase === 'bounds';
  // Plans first, then (when asked) the best achievable CVs of every point: the bar counts the phase's points.
  const done = bounds ? f.points.filter((x) => x.best).length : f.points.length;
  const pairs = p?.done !== undefined && p.total ? L(`（${p.done}/${p.total} 项指标）`, ` (${p.done} of ${p.total} indicators)`) : '';
  const where = p?.share == null ? (f.status === 'queued' ? L('排队等待', 'waiting in the queue') : L('读取数据', 'reading the data'))
    : bounds
      ? L(`各点方案已完成；正在计算第 ${p.point + 1}/${p.points} 个点的可实现最优（交流上限 ${sharePct(p.share)}）${p.county ? ` · ${p.county}` : ''}${pairs}`,
        `Every point planned; best achievable CVs of point ${p.point + 1} of ${p.points} (cap ${sharePct(p.share)})${p.county ? ` · ${p.county}` : ''}${pairs}`)
      : L(`正在计算第 ${p.point + 1}/${p.points} 个点（交流上限 ${sharePct(p.share)}）${p.county ? ` · ${p.county}` : ''}`, `Planning point ${p.point + 1} of ${p.points} (cap ${sharePct(p.share)})${p.county ? ` · ${p.county}` : ''}`);
  return h('div', { class: 'run-progress frontier-progress', 'data-testid': 'frontier-progress', 'data-status': f.status },
    h('div', { class: 'run-progress-head' }, h('strong', null, L(`权衡曲线 #${f.id}`, `Frontier #${f.id}`)), ' ', h('span', { class: 'muted' }, `${runStatusLabel(f.status)} · ${where}`)),
    h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': f.shares.length, 'aria-valuenow': done },
      h('div', { class: 'progress-bar', style: `width:${((100 * Math.max(done, 0.15)) / f.shares.length).toFixed(1)}%` })),
    h('div', { class: 'progress-facts' },
      h('span', null, bounds ? L(`可实现最优：已完成 ${done} / ${f.shares.length} 个点`, `best achievable: ${done} of ${f.shares.length} points done`) : L(`已完成 ${done} / ${f.shares.length} 个点`, `${done} of ${f.shares.length} points done`)),
      h('span', null, L(`已用时间 ${seconds(f.elapsed_seconds)}`, `elapsed ${seconds(f.elapsed_seconds)}`)),
      h('span', null, L(`当前最好目标值 ${num(p?.objective ?? null, 1)}`, `best objective ${num(p?.objective ?? null, 1)}`), p?.gap == null ? '' : ` (gap ${pct(p.gap, 2)})`),
      can('edit') ? h('button', { class: 'btn btn-danger btn-small', 'data-testid': 'frontier-cancel', onclick: onCancel }, L('取消计算', 'Cancel')) : null));
}

function legend(): HTMLElement {
  return h('div', { class: 'legend' },
    PAIRS.slice(0, 3).map(({ indicator }) => legendItem('line', INDICATOR_COLOR[indicator], L(`${indicatorShort(indicator)}差异系数`, `${indicatorShort(indicator)} CV`))),
    legendItem('line', THRESHOLD_COLOR, L('阈值（小学0.50、初中0.45；高于即未达标）', 'Threshold (primary 0.50, junior 0.45; above fails)')),
    legendItem('dotted', '#555', L('点线：该上限下单项指标可实现的最低差异系数（任何合规方案都低不过它）', 'Dotted: the lowest CV any compliant plan could reach at that cap, indicator by indicator')),
    legendItem('bar', NEEDS_COLOR, L('已补足学科需求（人）', 'Needs filled (teachers)')),
    legendItem('line', COMMUTE_COLOR, L('通勤总里程（公里）', 'Total commute (km)')),
    h('span', { class: 'legend-note' }, L('点击任一交流上限查看详情', 'Click a cap to see it')));
}

/** The frontier: progress while it runs, the chart, the selected point and the table of points. */
function frontierView(f: Frontier, county: string, selected: number | null, pick: (i: number) => void, cancel: () => void): HTMLElement {
  const rows: PointRow[] = f.points.flatMap((p) => p.counties.filter((c) => c.county === county)
    .map((row) => ({ index: p.index, share: p.share, row, best: (p.best ?? []).filter((b) => b.county === county) })));
  const chosen = rows.find((r) => r.index === selected) ?? null;
  const ended = ACTIVE.has(f.status) ? null
    : notice(f.status === 'done' ? 'ok' : 'warn', L(`权衡曲线 #${f.id}：${runStatusLabel(f.status)}，${f.points.length} 个点，用时 ${seconds(f.elapsed_seconds)}`, `Frontier #${f.id}: ${runStatusLabel(f.status)}, ${f.points.length} point(s) in ${seconds(f.elapsed_seconds)}`),
      f.message ? h('p', null, f.message) : null);
  if (ended) ended.dataset.testid = 'frontier-ended';
  return h('div', { class: 'stack', 'data-testid': 'frontier', 'data-id': f.id, 'data-status': f.status },
    ACTIVE.has(f.status) ? progressView(f, cancel) : ended,
    h('div', { class: 'layout-side' },
      card(L('差异系数、学科需求与通勤随交流比例上限的变化', 'CV, needs and commute against the rotation cap'), legend(),
        h('div', { class: 'frontier-chart-wrap', 'data-testid': 'frontier-chart' }, drawFrontier(chartData(f, county), { width: 900, height: 500, selected, onPick: pick }))),
      card(L('选中的点', 'Selected point'), chosen ? pointDetail(f, chosen)
        : h('p', { class: 'muted' }, L('点击图中或表中的一个交流上限，查看该点的方案指标，并可另存为方案。', 'Click a cap in the chart or the table to see its plan and save it as a scenario.')))),
    card(L('各点指标（与 frontier.csv 相同）', 'Every point (as in frontier.csv)'), pointsTable(f, rows, selected, pick)));
}

export async function renderTradeoff(root: HTMLElement, ctx: PageContext): Promise<void> {
  const picked = await pageScenario(root, ctx.route.query, {
    data: ['请先在“数据”页导入学校和教师。', 'Import schools and teachers on the Data page first.'],
    scenario: ['请先在“方案”页建立方案。', 'Create a scenario on the Scenario page first.'],
  });
  if (!picked) return;
  const { list, scenarioId } = picked;
  const [frontiers, scenario] = await Promise.all([api.frontiers(scenarioId), api.scenario(scenarioId)]);
  if (ctx.signal.aborted) return;
  // The server's default points as the placeholder (solver/frontier.ts DEFAULT_SHARES): the policy minimum, then 12, 15, 20, 25 % above it.
  const min = scenario.policy.ratios.minRotatedShareOfEligible;
  const defaults = [min, ...[0.12, 0.15, 0.2, 0.25].filter((x) => x > min + 1e-9)].map((x) => Number((x * 100).toFixed(1)));
  const frontierId = Number(ctx.route.query.get('frontier')) || frontiers[0]?.id || null;
  replaceQuery({ scenario: scenarioId, frontier: frontierId });

  const status = h('div');
  const shares = h('input', { class: 'input-shares', placeholder: defaults.join(', '), 'aria-label': L('交流比例上限（%）', 'Caps (%)'), 'data-testid': 'frontier-shares' });
  const start = h('button', { class: 'btn btn-primary', 'data-testid': 'frontier-start', disabled: !can('edit') }, L('计算权衡曲线', 'Compute the frontier'));
  const withBounds = h('input', { type: 'checkbox', checked: true, 'data-testid': 'frontier-bounds' });
  start.addEventListener('click', () => void (async () => {
    const given = shares.value.trim() === '' ? undefined : parseShares(shares.value);
    if (given === null) { mount(status, notice('bad', L('交流比例请填百分数，用逗号分隔，如 10, 15, 20', 'Caps are percentages separated by commas, e.g. 10, 15, 20'))); return; }
    start.disabled = true;
    try {
      const f = await api.startFrontier(scenarioId, given, withBounds.checked);
      navigate('tradeoff', { scenario: scenarioId, frontier: f.id });
    } catch (err) {
      mount(status, errorView(err));
      start.disabled = false;
    }
  })());
  const scenarioPicker = select(list.map((s) => ({ value: String(s.id), label: `#${s.id} ${s.name}` })), String(scenarioId), (v) => navigate('tradeoff', { scenario: v }), { 'aria-label': L('方案', 'Scenario'), 'data-testid': 'tradeoff-scenario' });
  const history = frontiers.length > 1
    ? select(frontiers.map((f) => ({ value: String(f.id), label: `#${f.id} · ${runStatusLabel(f.status)} · ${dateTime(f.created_at)}` })), String(frontierId), (v) => navigate('tradeoff', { scenario: scenarioId, frontier: v }), { 'aria-label': L('历次计算', 'Earlier frontiers') })
    : null;
  const view = h('div', { 'data-testid': 'frontier-view' });
  mount(root,
    pageHeader(L('权衡', 'Trade-off'), L('每多交流一个百分点能换来多少均衡？每个上限求解一次，以上一点的方案为起点和基准。', 'What does each extra percent of rotation buy? One plan per cap, each from the previous one.'),
      scenarioPicker, history, h('label', { class: 'inline-field' }, h('span', null, L('交流比例上限（%）', 'Caps (%)')), shares),
      h('label', { class: 'inline-field', title: L('每个点每项指标再求解一次或几次，在各点方案之后计算', 'One or a few more solves per point and indicator, after the plans') }, withBounds, h('span', null, L('并计算可实现最优（较慢）', 'and the best achievable (slower)'))),
      start),
    status, view);
  if (frontierId === null) {
    mount(view, emptyState(L('该方案还没有权衡曲线', 'No frontier for this scenario yet'), can('edit') ? L('点击“计算权衡曲线”。', 'Click “Compute the frontier”.') : L('请规划员计算。', 'Ask a planner to compute one.')));
    return;
  }
  await follow(view, frontierId, ctx.signal, ctx.route.query.get('county'));
}

/** Shows frontier `id` in `el`, polling while it runs, until it ends or the page is left. */
async function follow(el: HTMLElement, id: number, signal: AbortSignal, countyFromUrl: string | null): Promise<void> {
  let f: Frontier | null = null;
  let county: string | null = null;
  let selected: number | null = null;
  const draw = () => {
    if (!f) return;
    const counties = f.points[0]?.counties.map((c) => c.county) ?? [];
    // The curve is one county's (no 'all'): the URL's or last picked county, else the first.
    county = county !== null && counties.includes(county) ? county : pageCounty(counties, countyFromUrl) || (counties[0] ?? '');
    const picker = countyPicker(counties, county, (v) => { county = v; replaceQuery({ county: v }); draw(); }, false);
    mount(el, picker, frontierView(f, county, selected, (i) => { selected = i; draw(); }, () => void api.cancelFrontier(id).catch((err: unknown) => mount(el, errorView(err)))));
  };
  for (;;) {
    try {
      f = await api.frontier(id);
    } catch (err) {
      if (!signal.aborted) mount(el, errorView(err));
      return;
    }
    if (signal.aborted) return;
    draw();
    if (!ACTIVE.has(f.status)) return;
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}
