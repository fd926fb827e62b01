// What a run's report says about its objective, when the solver writes it (report.json
// `budget`, `objective_terms`, `baseline`): the rotation budget per county, how many teachers
// differ from the baseline plan, and each objective term with its weight and value.
import type { Report } from '../api.ts';
import { card, h } from '../dom.ts';
import { int, num } from '../format.ts';
import { L, lang } from '../i18n.ts';

interface ReportExtras {
  budget?: { county: string; eligible: number; min_rotated: number; max_rotated: number; locked_moves: number }[];
  objective_terms?: { county: string; id: string; name: string; name_en: string; weight: number; value: number }[];
  baseline?: { teachers_changed: number } | null;
}

/** The card, or null for a report without any of these sections. */
export function objectiveCard(report: Report): HTMLElement | null {
  const x = report as Report & ReportExtras;
  const terms = x.objective_terms ?? [];
  if (!x.budget && !x.baseline && terms.length === 0) return null;
  const counties = new Set([...(x.budget ?? []), ...terms].map((t) => t.county));
  const countyPrefix = (c: string) => (counties.size > 1 ? `${c}：` : '');
  return card(L('目标与预算', 'Objective and budget'),
    h('ul', { class: 'plain-list', 'data-testid': 'report-budget' },
      (x.budget ?? []).map((b) => h('li', null, countyPrefix(b.county), L(
        `交流人数预算 ${int(b.min_rotated)}–${int(b.max_rotated)} 人（符合条件 ${int(b.eligible)} 人，锁定交流 ${int(b.locked_moves)} 人）`,
        `Rotation budget ${int(b.min_rotated)}–${int(b.max_rotated)} teachers (${int(b.eligible)} eligible, ${int(b.locked_moves)} locked moves)`))),
      x.baseline ? h('li', null, L(`与基准方案相比：${int(x.baseline.teachers_changed)}名教师的安排不同`, `Against the baseline: ${int(x.baseline.teachers_changed)} teachers' assignments differ`)) : null),
    terms.length === 0 ? null : h('table', { class: 'data compact', 'data-testid': 'objective-terms' },
      h('thead', null, h('tr', null, counties.size > 1 ? h('th', null, L('县区', 'County')) : null,
        h('th', null, L('目标项', 'Term')), h('th', { class: 'num' }, L('权重', 'Weight')), h('th', { class: 'num' }, L('取值', 'Value')))),
      h('tbody', null, terms.map((t) => h('tr', { 'data-term': t.id }, counties.size > 1 ? h('td', null, t.county) : null,
        h('td', null, lang() === 'zh' ? t.name : t.name_en), h('td', { class: 'num' }, num(t.weight, 2)), h('td', { class: 'num' }, num(t.value, 3)))))));
}
