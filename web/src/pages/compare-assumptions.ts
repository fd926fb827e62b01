// 假设对比: what the compared runs were asked to do differently — every policy parameter whose
// value differs (named with the scenario form's labels, valued as the form shows it), every lock
// added, removed or changed, the baseline a re-plan kept to and the dataset — so a leader knows
// what a difference in the figures comes from. Values that differ from the first run are marked.
import type { Comparison, School, Teacher } from '../api.ts';
import { h, pill } from '../dom.ts';
import { L, lang } from '../i18n.ts';
import { policyLabel, policyValueText } from '../policy-fields.ts';

type Assumptions = Comparison['assumptions'];
type LockValue = Assumptions['locks'][number]['runs'][number];

const changeText = (k: Assumptions['locks'][number]['change'][number]) =>
  ({ same: '', added: L('新增', 'added'), removed: L('取消', 'removed'), changed: L('改变', 'changed') })[k];

export interface Names { school(id: string): string; teacher(id: string): string }

export function namesOf(schools: readonly School[], teachers: readonly Teacher[]): Names {
  const s = new Map(schools.map((x) => [x.id, x.name]));
  const t = new Map(teachers.map((x) => [x.id, x.name]));
  return { school: (id) => s.get(id) ?? id, teacher: (id) => t.get(id) ?? '' };
}

export function lockText(l: LockValue, names: Names): string {
  if (l === null) return L('无锁定', 'no lock');
  return l.action === 'stay' ? L(`留任：${l.reason}`, `stays: ${l.reason}`) : L(`调往${names.school(l.to_school_id ?? '')}：${l.reason}`, `to ${names.school(l.to_school_id ?? '')}: ${l.reason}`);
}

/** The number of differences, for the card's heading. */
export const assumptionCount = (a: Assumptions): number => a.policy.length + a.locks.length + (a.baseline ? 1 : 0) + (a.dataset ? 1 : 0);

export function assumptionsTable(c: Comparison, names: Names): HTMLElement {
  const a = c.assumptions;
  if (assumptionCount(a) === 0) {
    return h('p', { class: 'muted', 'data-testid': 'assumptions-none' },
      L('所比较运行的政策参数、锁定和基准完全相同：指标的差异只来自求解本身（例如时间上限内找到的方案不同）。', 'The compared runs share every policy parameter, lock and baseline: differences in the figures come from the solve alone (e.g. a different plan found within the time limit).'));
  }
  const cells = (values: readonly string[], marks: readonly boolean[], extra: (i: number) => HTMLElement | null = () => null) =>
    values.map((v, i) => h('td', { class: marks[i] ? 'differs' : undefined, 'data-run': c.runs[i]?.run_id }, v, extra(i)));
  const row = (kind: string, label: string, values: string[], attrs: Record<string, string>, extra?: (i: number) => HTMLElement | null) =>
    h('tr', attrs, h('td', { class: 'muted nowrap' }, kind), h('td', null, label), cells(values, values.map((v, i) => i > 0 && v !== values[0]), extra));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data assumptions-table', 'data-testid': 'assumptions' },
    h('thead', null, h('tr', null, h('th', { style: 'width:6rem' }, L('类别', 'Kind')), h('th', null, L('参数', 'Parameter')),
      c.runs.map((r) => h('th', { 'data-run': r.run_id }, `#${r.run_id} ${r.scenario_name}`)))),
    h('tbody', null,
      a.policy.map((p) => row(L('政策参数', 'Policy'), policyLabel(p.path, lang()), p.values.map((v) => policyValueText(p.path, v, lang())), { 'data-path': p.path.join('.') })),
      a.locks.map((l) => row(L('锁定', 'Lock'), `${l.teacher_id} ${names.teacher(l.teacher_id)}`.trim(), l.runs.map((x) => lockText(x, names)), { 'data-lock': l.teacher_id },
        (i) => (l.change[i] === 'same' ? null : pill(changeText(l.change[i]!), 'info')))),
      a.baseline ? row(L('基准', 'Baseline'), L('以上次结果为基准再求解', 'Re-planned against'), a.baseline.map((b) => (b === null ? L('无', 'none') : L(`运行 #${b}`, `run #${b}`))), { 'data-path': 'baseline' }) : null,
      a.dataset ? row(L('数据', 'Data'), L('数据集', 'Dataset'), a.dataset.map((d) => `#${d}`), { 'data-path': 'dataset' }) : null)));
}
