// One frontier point up close (its numbers, and "save as a scenario"), and the table of every
// point with frontier.csv's fields: what the leader weighs before choosing a rotation budget.
import { api, type Frontier, type FrontierBest, type FrontierCountyRow } from '../api.ts';
import { type Child, h, light, mount, notice } from '../dom.ts';
import { cv, int, num, pct } from '../format.ts';
import { L, indicatorShort, planStatusLabel, stageLabel } from '../i18n.ts';
import { href } from '../router.ts';
import { can } from '../store.ts';
import { type Column, dataTable } from '../table.ts';
import { errorView } from '../widgets.ts';

export type Stage = 'primary' | 'junior';
export type Indicator = 'aboveDegree' | 'backbone' | 'peArt';
const INDICATORS = ['aboveDegree', 'backbone', 'peArt'] as const;
export const PAIRS = (['primary', 'junior'] as const).flatMap((stage) => INDICATORS.map((indicator) => ({ stage, indicator })));
export const cvOf = (r: FrontierCountyRow, stage: Stage, indicator: Indicator): number | null => r[`cv_${stage}_${indicator}`];

/** A row of the table: the point's index and share with its county's numbers (and best achievable CVs, once computed). */
export interface PointRow { index: number; share: number; row: FrontierCountyRow; best: FrontierBest[] }

/** Under a CV, once the point's bounds are known: "最低 0.379 / 达成 87%" (the full sentence on hover). */
function bestLine(p: PointRow, stage: Stage, indicator: Indicator): Child {
  const b = p.best.find((x) => x.stage === stage && x.indicator === indicator);
  if (!b || b.best_achievable === null) return null;
  const share = b.share_of_achievable;
  const title = L(`最低可达 ${cv(b.best_achievable)}；${share === null ? '交流无法降低此差异系数' : `本方案达到可实现降幅的 ${pct(share)}`}`,
    `best achievable ${cv(b.best_achievable)}; ${share === null ? 'rotation cannot lower this CV' : `this plan reaches ${pct(share)} of the achievable reduction`}`);
  return h('div', { class: 'best-note', title, 'data-testid': `point-best-${stage}-${indicator}`, 'data-value': b.best_achievable },
    L(`最低 ${cv(b.best_achievable)}`, `best ${cv(b.best_achievable)}`), h('br'), share === null ? '—' : L(`达成 ${pct(share, 0)}`, `${pct(share, 0)} reached`));
}

const sharePct = (s: number) => `${Number((s * 100).toFixed(1))}%`;
const needsFilled = (r: FrontierCountyRow) => (r.needs_unfilled === null ? null : r.needs_unfilled_before - r.needs_unfilled);

function cvCell(r: FrontierCountyRow, stage: Stage, indicator: Indicator, thresholds: Frontier['thresholds']): Child {
  const v = cvOf(r, stage, indicator);
  if (v === null) return '—';
  const ok = v <= thresholds[stage] + 1e-9;
  return h('span', { class: ok ? 'cv-ok' : 'cv-over', title: ok ? L('达到阈值', 'meets the threshold') : L('高于阈值', 'above the threshold') }, cv(v));
}

export function pointsTable(f: Frontier, rows: PointRow[], selected: number | null, onPick: (index: number) => void): HTMLElement {
  const cols: Column<PointRow>[] = [
    { label: L('交流上限', 'Cap'), cell: (p) => sharePct(p.share), num: true },
    { label: L('交流人数', 'Rotated'), cell: (p) => (p.row.rotated === null ? '—' : `${int(p.row.rotated)} / ${int(p.row.max_rotated)}`), num: true, title: L('交流人数 / 上限 ⌈比例 × 符合条件人数⌉', 'rotated / cap ⌈share × eligible⌉') },
    { label: L('骨干', 'Backbone'), cell: (p) => int(p.row.backbone_rotated), num: true },
    ...PAIRS.map(({ stage, indicator }): Column<PointRow> => ({
      label: `${stageLabel(stage)}${L('', ' ')}${indicatorShort(indicator)}`, cell: (p) => cvCell(p.row, stage, indicator, f.thresholds), num: true,
      title: L(`${stageLabel(stage)}${indicatorShort(indicator)}差异系数（阈值 ${f.thresholds[stage]}）`, `${stageLabel(stage)} ${indicatorShort(indicator)} CV (threshold ${f.thresholds[stage]})`),
    })),
    { label: L('达标指标', 'CVs met'), cell: (p) => (p.row.indicators_meeting_threshold === null ? '—' : `${p.row.indicators_meeting_threshold} / 6`), num: true },
    { label: L('补足需求', 'Needs filled'), cell: (p) => int(needsFilled(p.row)), num: true, title: L('已补足的学科需求（整人，扣除调出造成的新缺口）', 'subject needs filled (whole teachers, net of gaps opened)') },
    { label: L('仍缺', 'Unfilled'), cell: (p) => int(p.row.needs_unfilled), num: true, title: L('交流后仍未补足的学科需求（needs_unfilled）', 'needs still short after the plan (needs_unfilled)') },
    { label: L('流向乡村/薄弱', 'To rural/weak'), cell: (p) => int(p.row.toward_rural_or_weak), num: true },
    { label: L('通勤 km', 'Commute km'), cell: (p) => num(p.row.commute_km_total, 1), num: true },
    { label: L('目标值', 'Objective'), cell: (p) => num(p.row.objective, 2), num: true, title: L('不含稳定性项（与上一点的差别），各点可比', 'without the stability term, so points compare') },
    { label: L('状态', 'Status'), cell: (p) => planStatusLabel(p.row.status) },
  ];
  return dataTable(cols, rows, {
    testid: 'frontier-table', onRow: (p) => onPick(p.index), rowClass: (p) => (p.index === selected ? 'selected' : null),
    empty: L('还没有完成的点', 'No point finished yet'),
  }).el;
}

/** The selected point: its numbers, and (for planners) saving it as a scenario with that cap. */
export function pointDetail(f: Frontier, p: PointRow): HTMLElement {
  const r = p.row;
  const status = h('div');
  const save = can('edit') && r.status !== 'infeasible'
    ? h('button', { class: 'btn btn-primary', 'data-testid': 'save-point', onclick: () => void saveAsScenario(f, p, status, save!) },
      L(`另存为方案（交流上限${sharePct(p.share)}）`, `Save as a scenario (cap ${sharePct(p.share)})`))
    : null;
  const facts: [string, Child][] = [
    [L('交流人数', 'Rotated'), r.rotated === null ? '—' : L(`${int(r.rotated)} 人（上限 ${int(r.max_rotated)} = ⌈${sharePct(p.share)} × ${int(r.eligible)}⌉）`, `${int(r.rotated)} (cap ${int(r.max_rotated)} = ⌈${sharePct(p.share)} × ${int(r.eligible)}⌉)`)],
    ...(r.rotated !== null && r.rotated < r.max_rotated
      ? [[L('未用满上限', 'Cap not used'), L(`再多交流 ${int(r.max_rotated - r.rotated)} 人的收益抵不过每人的交流成本（目标权重）`, `${int(r.max_rotated - r.rotated)} more moves would not pay for their cost (objective weights)`)] as [string, Child]]
      : []),
    [L('骨干占比', 'Backbone share'), r.rotated ? `${pct((r.backbone_rotated ?? 0) / r.rotated)}（${int(r.backbone_rotated)}）` : '—'],
    [L('达标的差异系数', 'CVs within threshold'), r.indicators_meeting_threshold === null ? '—' : `${r.indicators_meeting_threshold} / 6`],
    [L('学科需求缺口', 'Subject needs short'), L(`${int(r.needs_unfilled_before)} → ${int(r.needs_unfilled)} 人（补足 ${int(needsFilled(r))}）`, `${int(r.needs_unfilled_before)} → ${int(r.needs_unfilled)} (filled ${int(needsFilled(r))})`)],
    [L('流向乡村/薄弱', 'Toward rural/weak'), int(r.toward_rural_or_weak)],
    [L('通勤总里程', 'Total commute'), r.commute_km_total === null ? '—' : `${num(r.commute_km_total, 1)} km`],
    [L('与上一点相比', 'Against the previous point'), r.changed_from_previous === null ? '—' : L(`${int(r.changed_from_previous)} 名教师安排不同`, `${int(r.changed_from_previous)} teacher(s) assigned differently`)],
    [L('目标值 / 状态', 'Objective / status'), `${num(r.objective, 2)} · ${planStatusLabel(r.status)}${r.audit_ok === false ? L('（审核未通过）', ' (audit failed)') : ''}`],
  ];
  return h('div', { class: 'point-detail', 'data-testid': 'point-detail', 'data-index': p.index, 'data-share': p.share },
    h('h3', null, L(`交流上限 ${sharePct(p.share)}`, `Cap ${sharePct(p.share)}`)),
    h('table', { class: 'point-cvs' },
      h('thead', null, h('tr', null, h('th', null, L('差异系数', 'CV')), INDICATORS.map((k) => h('th', null, indicatorShort(k))))),
      h('tbody', null, (['primary', 'junior'] as const).map((stage) => h('tr', null, h('th', null, `${stageLabel(stage)} ≤ ${f.thresholds[stage].toFixed(2)}`),
        INDICATORS.map((indicator) => {
          const v = cvOf(r, stage, indicator);
          const ok = v !== null && v <= f.thresholds[stage] + 1e-9;
          return h('td', { 'data-testid': `point-cv-${stage}-${indicator}` }, light(v === null ? 'muted' : ok ? 'ok' : 'bad', ok ? L('达到阈值', 'meets the threshold') : L('高于阈值', 'above the threshold')), ' ', v === null ? '—' : cv(v),
            bestLine(p, stage, indicator));
        }))))),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    save, status);
}

async function saveAsScenario(f: Frontier, p: PointRow, status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const s = await api.savePoint(f.id, p.index);
    mount(status, notice('ok', L(`已另存为方案 #${s.id}「${s.name}」。`, `Saved as scenario #${s.id} “${s.name}”.`), ' ',
      h('a', { href: href('scenario', { id: s.id }), 'data-testid': 'saved-scenario', 'data-id': s.id }, L('去求解 →', 'Solve it →'))));
  } catch (err) {
    mount(status, errorView(err));
    button.disabled = false;
  }
}
