// The scenario's re-plan switch (use_baseline): when on, the next run keeps what the scenario's
// last finished run settled unless a rule or a clear gain needs a change (weights.changeFromBaseline);
// the line under it says which run that will be.
import type { Run } from '../api.ts';
import { h } from '../dom.ts';
import { dateTime } from '../format.ts';
import { L } from '../i18n.ts';

export function baselineToggle(on: boolean, readOnly: boolean): { el: HTMLElement; checked(): boolean; update(runs: readonly Run[]): void } {
  const box = h('input', { type: 'checkbox', checked: on, disabled: readOnly, 'data-testid': 'use-baseline' });
  const hint = h('div', { class: 'muted small', 'data-testid': 'baseline-hint' });
  let last: Run | undefined;
  const show = () => {
    hint.textContent = !box.checked ? L('不设基准：全部安排重新优化。', 'No baseline: every assignment is optimised afresh.')
      : last ? L(`下次求解以运行 #${last.id}（${dateTime(last.finished_at)}）为基准。`, `The next solve keeps run #${last.id} (${dateTime(last.finished_at)}) as its baseline.`)
        : L('尚无已完成的运行：下次求解不设基准。', 'No finished run yet: the next solve has no baseline.');
  };
  box.addEventListener('change', show);
  return {
    el: h('div', { class: 'baseline-toggle' }, h('label', { class: 'check' }, box, L('以上次结果为基准，尽量保持已有安排', 'Keep the last result as the baseline: change as little as possible')), hint),
    checked: () => box.checked,
    /** The runs of the scenario, newest first: the first done one is the next baseline. */
    update: (runs) => { last = runs.find((r) => r.status === 'done'); show(); },
  };
}
