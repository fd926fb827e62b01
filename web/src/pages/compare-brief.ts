// The comparison as a one-page brief for the bureau's Party group meeting (局党组会), shown only
// when printing (A4 landscape): the runs side by side against no rotation with their own
// requirements and a mark that survives black-and-white printing (✓ met, ✗ not met), the
// scenario notes, the assumptions that differ, and space for the meeting's decision.
import type { Comparison } from '../api.ts';
import { type Tone, h, light } from '../dom.ts';
import { cv, dateTime, int, lightFor, lightForShare, num, pct } from '../format.ts';
import { L, indicatorLabel, lang, stageLabel } from '../i18n.ts';
import { policyLabel, policyValueText } from '../policy-fields.ts';
import { type Names, assumptionCount, lockText } from './compare-assumptions.ts';
import { budgetText, rotationRequirement } from './compare-kpis.ts';

type Run = Comparison['runs'][number];
interface Line { label: string; before: string; cells: { text: string; tone?: Tone; note?: string }[] }

const MAX_ASSUMPTIONS = 6;
const mark = (t: Tone | undefined) => (t === 'ok' ? ' ✓' : t === 'bad' ? ' ✗' : t === 'warn' ? ' △' : '');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function lines(c: Comparison): Line[] {
  const per = (f: (r: Run) => Line['cells'][number]) => c.runs.map(f);
  const head = c.runs[0];
  const out: Line[] = [
    { label: L('交流人数', 'Teachers rotated'), before: '0', cells: per((r) => ({ text: int(r.rotated), note: L(`预算 ${budgetText(r.requirements)}`, `budget ${budgetText(r.requirements)}`) })) },
    {
      label: L('交流比例', 'Rotation rate'), before: pct(0),
      cells: per((r) => ({ text: pct(r.rotation_rate), tone: lightFor(r.rotation_rate, r.requirements.min_rotated_share, true), note: rotationRequirement(r.requirements) })),
    },
    {
      label: L('骨干占交流人数', 'Backbone share'), before: '—',
      cells: per((r) => ({ text: pct(r.backbone_share), tone: lightFor(r.backbone_share, r.requirements.min_backbone_share, true), note: `≥ ${pct(r.requirements.min_backbone_share, 0)}` })),
    },
    { label: L('流向乡村/薄弱学校', 'Toward rural/weak'), before: '0', cells: per((r) => ({ text: int(r.toward_rural_or_weak) })) },
    { label: L('学科缺口（人）', 'Subject gaps (FTE)'), before: num(head?.needs.shortfall_before, 1), cells: per((r) => ({ text: num(r.needs.shortfall_after, 1) })) },
  ];
  const counties = new Set(c.cv.map((x) => x.county));
  for (const x of c.cv) {
    const first = x.runs.find((v) => v !== null);
    out.push({
      label: `${counties.size > 1 ? `${x.county} ` : ''}${stageLabel(x.stage)}${indicatorLabel(x.indicator)}${L('差异系数', ' CV')}`, before: cv(first?.before),
      cells: x.runs.map((v) => (v ? {
        text: cv(v.after), tone: lightFor(v.after, v.max, false),
        note: `≤ ${num(v.max, 2)}${v.share_of_achievable === null ? '' : L(`，达可实现降幅 ${pct(v.share_of_achievable, 0)}`, `, ${pct(v.share_of_achievable, 0)} of achievable`)}`,
      } : { text: '—' })),
    });
  }
  for (const t of c.thresholds.filter((x) => x.indicator === 'all')) {
    const first = t.runs.find((v) => v !== null);
    out.push({
      label: L(`${stageLabel(t.stage)}三项指标全部达标学校`, `${stageLabel(t.stage)} schools meeting all three`), before: first ? `${first.before} / ${first.schools}` : '—',
      cells: t.runs.map((v) => (v ? { text: `${v.after} / ${v.schools}`, tone: lightForShare(v.after, v.schools) } : { text: '—' })),
    });
  }
  out.push({ label: L('规则审核', 'Audit'), before: '', cells: per((r) => ({ text: r.audit_ok ? L('全部通过', 'all pass') : L('未通过', 'fails'), tone: r.audit_ok ? 'ok' : 'bad' })) });
  return out;
}

function assumptionItems(c: Comparison, names: Names): string[] {
  const a = c.assumptions;
  const runs = (values: readonly string[]) => values.map((v, i) => `#${c.runs[i]?.run_id} ${v}`).join(L('；', '; '));
  return [
    ...a.policy.map((p) => `${policyLabel(p.path, lang())}${L('：', ': ')}${runs(p.values.map((v) => policyValueText(p.path, v, lang())))}`),
    ...a.locks.map((l) => `${L('锁定', 'Lock')} ${l.teacher_id} ${names.teacher(l.teacher_id)}${L('：', ': ')}${runs(l.runs.map((x) => lockText(x, names)))}`),
    ...(a.baseline ? [`${L('基准', 'Baseline')}${L('：', ': ')}${runs(a.baseline.map((b) => (b === null ? L('无', 'none') : `#${b}`)))}`] : []),
  ];
}

export function comparisonBrief(c: Comparison, datasetName: string, names: Names): HTMLElement {
  const items = assumptionItems(c, names);
  const cell = (x: Line['cells'][number]) => h('td', null, x.tone ? light(x.tone, '') : null, h('strong', null, x.text, mark(x.tone)), x.note ? h('span', { class: 'brief-note' }, ` ${x.note}`) : null);
  return h('div', { class: 'print-only compare-brief', 'data-testid': 'compare-brief' },
    h('header', { class: 'brief-head' },
      h('h1', null, L('教师交流轮岗方案比较', 'Teacher rotation: comparison of plans')),
      h('p', null, L(`提请局党组会研究 · ${datasetName} · 打印时间 ${dateTime(new Date().toISOString())}`, `For the bureau's Party group meeting · ${datasetName} · printed ${dateTime(new Date().toISOString())}`))),
    h('table', { class: 'brief-table' },
      h('thead', null, h('tr', null, h('th', null, L('项目', 'Item')), h('th', null, L('不交流', 'No rotation')),
        c.runs.map((r) => h('th', null, `${L('方案', 'Plan')} #${r.run_id} ${r.scenario_name}${r.adopted ? L('（已采纳）', ' (adopted)') : ''}`)))),
      h('tbody', null,
        h('tr', { class: 'brief-notes' }, h('td', null, L('方案说明', 'Notes')), h('td', null, ''), c.runs.map((r) => h('td', null, r.notes ? clip(r.notes, 140) : '—'))),
        lines(c).map((l) => h('tr', null, h('td', null, l.label), h('td', null, l.before), l.cells.map(cell))))),
    h('div', { class: 'brief-foot' },
      h('div', { class: 'brief-assumptions' },
        h('strong', null, L(`假设差异（${assumptionCount(c.assumptions)} 项）：`, `Differing assumptions (${assumptionCount(c.assumptions)}):`)),
        items.length === 0 ? L('各方案政策参数与锁定相同。', 'Same policy and locks.') : h('ul', null,
          items.slice(0, MAX_ASSUMPTIONS).map((t) => h('li', null, t)),
          items.length > MAX_ASSUMPTIONS ? h('li', null, L(`另有 ${items.length - MAX_ASSUMPTIONS} 项，见 Excel 导出“假设对比”。`, `${items.length - MAX_ASSUMPTIONS} more in the XLSX export.`)) : null)),
      h('div', { class: 'brief-decision' },
        h('p', null, L('说明：✓ 达到本方案要求；✗ 未达到（差异系数高于上限即为未达到）；△ 九成以上学校达标。', 'Key: ✓ meets the plan\'s requirement; ✗ does not (a CV above its limit fails); △ at least 90% of schools meet.')),
        h('p', null, L('拟采纳方案：', 'Plan to adopt: '), c.runs.map((r) => `□ #${r.run_id}　`)),
        h('p', null, L('会议意见：', 'Decision: ')),
        h('div', { class: 'brief-blank' }))));
}
