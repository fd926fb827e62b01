// The run panel: start a solve, follow it (phase, elapsed time, best objective and MIP gap so
// far) and cancel it. The server answers at once and solves in a worker; we poll its status.
import { api, type RunDetail } from '../api.ts';
import { h, kpi, mount, notice } from '../dom.ts';
import { int, num, pct, seconds } from '../format.ts';
import { L, phaseLabel, planStatusLabel, runStatusLabel } from '../i18n.ts';
import { href } from '../router.ts';
import { errorView } from '../widgets.ts';

const ACTIVE = new Set(['queued', 'running']);
const POLL_MS = 600;

/** Rough completion for the bar: phases are fixed steps, solving fills toward the time limit (or 1 − gap, if ahead). */
export function progressFraction(r: RunDetail): number {
  if (!ACTIVE.has(r.status)) return 1;
  const phase = r.progress?.phase ?? 'queued';
  const step: Record<string, number> = { queued: 0.03, parsing: 0.1, building: 0.2, solving: 0.3, reporting: 0.95 };
  if (phase !== 'solving') return step[phase] ?? 0.05;
  const limit = r.inputs.policy.solver.timeLimitSeconds;
  const byTime = Math.min(1, (r.elapsed_seconds ?? 0) / Math.max(1, limit));
  const byGap = r.progress?.gap !== null && r.progress?.gap !== undefined ? Math.max(0, 1 - r.progress.gap) : 0;
  return 0.3 + 0.6 * Math.max(byTime, Math.min(byGap, 0.95));
}

function progressView(r: RunDetail, onCancel: () => void): HTMLElement {
  const f = progressFraction(r);
  const p = r.progress;
  return h('div', { class: 'run-progress', 'data-testid': 'run-progress', 'data-status': r.status },
    h('div', { class: 'run-progress-head' },
      h('strong', null, L(`运行 #${r.id}`, `Run #${r.id}`)), ' ',
      h('span', { class: 'muted' }, `${runStatusLabel(r.status)} · ${phaseLabel(p?.phase ?? 'queued')}${p?.county ? ` · ${p.county}` : ''}`)),
    h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(f * 100) },
      h('div', { class: 'progress-bar', style: `width:${(f * 100).toFixed(1)}%` })),
    h('dl', { class: 'facts facts-3' },
      h('dt', null, L('已用时间', 'Elapsed')), h('dd', { 'data-testid': 'run-elapsed' }, seconds(r.elapsed_seconds)),
      h('dt', null, L('当前最好目标值', 'Best objective')), h('dd', null, num(p?.objective ?? null, 1)),
      h('dt', null, L('最优性间隙', 'MIP gap')), h('dd', null, p?.gap === null || p?.gap === undefined ? '—' : pct(p.gap, 2))),
    h('button', { class: 'btn btn-danger', 'data-testid': 'run-cancel', onclick: onCancel }, L('取消求解', 'Cancel')));
}

function doneView(r: RunDetail): HTMLElement {
  const s = r.summary;
  if (r.status !== 'done' || !s) {
    const tone = r.status === 'cancelled' ? 'warn' : 'bad';
    const el = notice(tone, h('strong', null, L(`运行 #${r.id}：${runStatusLabel(r.status)}`, `Run #${r.id}: ${runStatusLabel(r.status)}`)), r.message ? h('p', null, r.message) : null,
      r.status === 'infeasible' ? h('p', null, h('a', { href: href('audit', { run: r.id }) }, L('查看冲突的规则 →', 'See the conflicting rules →'))) : null);
    el.dataset.testid = 'run-ended';
    el.dataset.status = r.status;
    return el;
  }
  const base = r.baseline_run_id;
  return h('div', { class: 'run-done', 'data-testid': 'run-done', 'data-run': r.id },
    notice('ok', h('strong', null, L(`运行 #${r.id} 完成：${planStatusLabel(s.plan_status)}，用时 ${seconds(r.elapsed_seconds)}`, `Run #${r.id} finished: ${planStatusLabel(s.plan_status)} in ${seconds(r.elapsed_seconds)}`)),
      base === null ? null : h('p', null, L(`以运行 #${base} 的结果为基准。`, `Re-planned against run #${base}.`))),
    h('div', { class: 'kpis kpis-2' },
      kpi(L('交流人数', 'Rotated'), int(s.rotated), L(`符合条件 ${int(s.eligible)} 人`, `of ${int(s.eligible)} eligible`), undefined, 'done-rotated'),
      kpi(L('交流比例', 'Rotation rate'), pct(s.rotation_rate), L(`要求 ≥ ${pct(r.inputs.policy.ratios.minRotatedShareOfEligible, 0)}`, `required ≥ ${pct(r.inputs.policy.ratios.minRotatedShareOfEligible, 0)}`)),
      kpi(L('骨干占比', 'Backbone share'), pct(s.backbone_share), L(`骨干 ${int(s.backbone_rotated)} 人`, `${int(s.backbone_rotated)} backbone`)),
      kpi(L('流向乡村/薄弱', 'Toward rural/weak'), int(s.toward_rural_or_weak), L('人', 'teachers'))),
    h('div', { class: 'button-row' },
      h('a', { class: 'btn btn-primary', href: href('flows', { run: r.id }), 'data-testid': 'goto-flows' }, L('查看流向', 'See flows')),
      h('a', { class: 'btn', href: href('audit', { run: r.id }) }, L('审计', 'Audit')),
      base === null ? h('a', { class: 'btn', href: href('compare', { runs: r.id }) }, L('比较', 'Compare'))
        : h('a', { class: 'btn', href: href('compare', { runs: `${base},${r.id}` }), 'data-testid': 'compare-baseline' }, L('与基准比较', 'Compare with the baseline'))));
}

/** Follows run `id` in `el` until it ends or `signal` aborts; `onEnd` fires once when it ends. */
export async function followRun(el: HTMLElement, id: number, signal: AbortSignal, onEnd: (r: RunDetail) => void): Promise<void> {
  let cancelling = false;
  const cancel = () => {
    if (cancelling) return;
    cancelling = true;
    api.cancelRun(id).catch((err: unknown) => mount(el, errorView(err)));
  };
  for (;;) {
    if (signal.aborted) return;
    let r: RunDetail;
    try {
      r = await api.run(id);
    } catch (err) {
      if (!signal.aborted) mount(el, errorView(err));
      return;
    }
    if (signal.aborted) return;
    if (!ACTIVE.has(r.status)) {
      mount(el, doneView(r));
      onEnd(r);
      return;
    }
    mount(el, progressView(r, cancel));
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}
