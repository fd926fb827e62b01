// The best achievable 差异系数 on the audit page: for each CV, the lowest value any plan keeping
// every rule could reach at the same rotation budget (the server computes it after the run, one
// solve per stage × indicator), the share of that reduction this plan achieves, and — when the
// threshold is out of reach by rotation alone — the sentence that says so. The run view carries
// the job's status, so the card polls it until the numbers are there.
import { api, type Report, type RunDetail } from '../api.ts';
import { card, h, mount, notice } from '../dom.ts';
import { cv } from '../format.ts';
import { L, achievedShareText, boundsStatusLabel, indicatorLabel, outOfReachText, stageLabel } from '../i18n.ts';

type Bounds = NonNullable<RunDetail['bounds']>;
type Item = Bounds['cv'][number];

const POLL_MS = 3000;

function remark(item: Item, max: number): string {
  if (item.best_achievable !== null && item.threshold_reachable === false) return outOfReachText(max, item.best_achievable);
  // A solve stopped by its time limit: the value is a real plan's, the bound what is proven below it.
  if (!item.best_achievable_proven) return L(`未证明最低（可证下界 ${cv(item.best_achievable_bound)}）`, `Not proven lowest (proven bound ${cv(item.best_achievable_bound)})`);
  return '';
}

function table(report: Report, b: Bounds): HTMLElement {
  const counties = new Set(report.indicators.cv.map((x) => x.county));
  const find = (x: Report['indicators']['cv'][number]) => b.cv.find((i) => i.county === x.county && i.stage === x.stage && i.indicator === x.indicator);
  const rows = report.indicators.cv.flatMap((x) => {
    const item = find(x);
    if (!item || item.best_achievable === null) return [];
    const note = remark(item, x.max);
    return [h('tr', { 'data-achievable': `${x.stage}-${x.indicator}` },
      counties.size > 1 ? h('td', null, x.county) : null, h('td', null, stageLabel(x.stage)), h('td', null, indicatorLabel(x.indicator)),
      h('td', { class: 'num' }, cv(x.before.cv)), h('td', { class: 'num strong' }, cv(x.after.cv)), h('td', { class: 'num' }, cv(item.best_achievable)),
      h('td', { 'data-testid': 'achieved-share' }, achievedShareText(item.share_of_achievable)),
      h('td', { class: item.threshold_reachable === false ? 'bad-text' : 'muted small' }, note || '—'))];
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'achievable-table' },
    h('thead', null, h('tr', null,
      counties.size > 1 ? h('th', null, L('县区', 'County')) : null, h('th', null, L('学段', 'Stage')), h('th', null, L('指标', 'Indicator')),
      h('th', { class: 'num' }, L('CV 交流前', 'CV before')), h('th', { class: 'num' }, L('本方案', 'This plan')), h('th', { class: 'num' }, L('可实现最低', 'Best achievable')),
      h('th', null, L('达到可实现降幅', 'Share of the achievable reduction')), h('th', null, L('说明', 'Note')))),
    h('tbody', null, rows)));
}

function view(report: Report, b: Bounds | null): HTMLElement {
  if (!b) return h('p', { class: 'muted small' }, L('本运行没有计算可实现的最低差异系数（无方案，或服务器未开启此项）。', 'The best achievable CV was not computed for this run (no plan, or the server has it off).'));
  if (b.status === 'done') return table(report, b);
  if (b.status === 'failed') return notice('warn', `${boundsStatusLabel(b.status)}：${b.message ?? ''}`);
  const progress = b.progress ? L(`（已完成 ${b.progress.done}/${b.progress.total} 项）`, ` (${b.progress.done} of ${b.progress.total} done)`) : '';
  return notice('info', `${boundsStatusLabel(b.status)}${progress}`, L('：每项差异系数单独求解到最优，完成后自动显示。', ': each CV is solved to optimality on its own; the numbers appear here when done.'));
}

export function achievableCard(report: Report, runId: number, signal: AbortSignal): HTMLElement {
  const body = h('div', { 'data-testid': 'achievable' }, h('p', { class: 'muted small' }, L('读取中…', 'Loading…')));
  const poll = (): void => {
    api.run(runId).then((r) => {
      if (signal.aborted) return;
      mount(body, view(report, r.bounds));
      if (r.bounds && (r.bounds.status === 'queued' || r.bounds.status === 'running')) setTimeout(poll, POLL_MS);
    }, () => undefined);
  };
  poll();
  return card(L('可实现的最低差异系数', 'Best achievable CV'),
    h('p', { class: 'muted small' }, L(
      '在同样的交流人数和全部规则（含“任何差异系数不得变差”开关）下，任何方案能把每项差异系数降到的最低值——单独以该项为目标求解到最优所得方案的实际差异系数；以及本方案实现了其中多少降幅：（交流前 − 本方案）÷（交流前 − 可实现最低）。',
      'The lowest value any plan could bring each CV to with the same number of moves and every rule (the never-worse switch included) — the actual CV of the plan found by solving for that CV alone, to optimality — and how much of that reduction this plan achieves: (before − this plan) ÷ (before − best achievable).')),
    body);
}
