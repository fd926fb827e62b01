// 期满返回 and 交流记录核查 (issue 12): what a dataset's history.csv means for a plan — the teachers whose
// 支教/顶岗培养 term ends as the year begins, going home (listed apart: returns never count as
// rotations), and the auditor's history checks over the history plus the plan (paper rotations,
// deferrals past the limit). The numbers are the server's (report.json / rounds.json, built by the
// CLI's own historyFields); shown on the audit and rounds pages only when the dataset has a history.
import type { HistoryFields, School } from '../api.ts';
import { type Child, card, h, pill } from '../dom.ts';
import { int } from '../format.ts';
import { L, modeLabel } from '../i18n.ts';
import { dataTable } from '../table.ts';

type Return = NonNullable<HistoryFields['returns']>[number];
type Check = NonNullable<HistoryFields['history_checks']>[number];
type Finding = Check['teachers'][number];

/** `S003 城关小学`, or the id alone when the school list is not at hand. */
const schoolText = (id: string, schools?: ReadonlyMap<string, School>) => `${id} ${schools?.get(id)?.name ?? ''}`.trim();

function returnsCard(returns: readonly Return[], schools?: ReadonlyMap<string, School>): HTMLElement {
  const table = dataTable<Return>([
    { label: L('教师', 'Teacher'), cell: (r) => r.teacher_id, sort: (r) => r.teacher_id },
    { label: L('任教学校 → 原学校', 'Host → home school'), cell: (r) => `${schoolText(r.from_school_id, schools)} → ${schoolText(r.to_school_id, schools)}`, sort: (r) => r.from_school_id },
    { label: L('方式', 'Mode'), cell: (r) => modeLabel(r.mode), sort: (r) => r.mode },
    { label: L('任期', 'Term'), cell: (r) => L(`${r.start_year}–${r.end_year}学年`, `${r.start_year}–${r.end_year}`), sort: (r) => r.start_year },
    // returns.csv words the reason in Chinese; the English one is built from the same fields.
    { label: L('原因', 'Reason'), cell: (r) => L(r.reason, `${modeLabel(r.mode)} term ${r.start_year}–${r.end_year} ended: back to the home school`) },
  ], returns, { pageSize: 10, testid: 'returns-table', empty: L('本学年没有期满返回的教师', 'No term ends this year') });
  const el = card(L('期满返回', 'Returns at the end of a term'),
    h('p', { class: 'muted small' }, L(`支教、顶岗培养任期在本学年开始时届满的教师返回原校：${int(returns.length)} 人。返回单列，不计入交流人数（returns.csv）。`,
      `Teachers whose support or shadow-training term ends as the school year begins go back to their home school: ${int(returns.length)}. Returns are listed apart and never count as rotations (returns.csv).`)),
    table.el);
  el.dataset.testid = 'returns-card';
  el.dataset.count = String(returns.length);
  return el;
}

function checkBlock(c: Check): HTMLElement {
  const findings = h('div', { class: 'history-check', 'data-testid': `history-check-${c.id}`, 'data-count': c.teachers.length },
    h('h4', null, h('code', null, c.id), ' ', L(c.name, c.name_en), ' ',
      c.ok ? pill(L('未发现', 'None found'), 'ok') : pill(L(`${int(c.teachers.length)} 项`, `${int(c.teachers.length)} found`), 'warn')),
    h('p', { class: 'muted small' }, L(c.clause, c.clause_en)),
    c.ok ? null : dataTable<Finding>([
      { label: L('教师', 'Teacher'), cell: (t) => t.teacher_id, sort: (t) => t.teacher_id },
      { label: L('年份与经过', 'Years and what happened'), cell: (t) => L(t.detail, t.detail_en) },
    ], c.teachers, { pageSize: 10 }).el);
  return findings;
}

function checksCard(checks: readonly Check[]): HTMLElement {
  const found = checks.filter((c) => !c.ok).length;
  const el = card(L('交流记录核查', 'History checks'),
    h('p', { class: 'muted small' }, L(`按交流记录（history.csv）加本方案核查纸面交流与超期暂缓：${checks.length} 项核查，${found} 项有发现。这些是供审核员核实的发现，不改变审核结论。`,
      `Paper rotations and deferrals past the limit, checked over history.csv plus this plan: ${checks.length} checks, ${found} with findings. These are findings for the auditor to look into; they do not change the audit verdict.`)),
    checks.map(checkBlock));
  el.dataset.testid = 'history-checks';
  return el;
}

/** Both cards, or nothing when the dataset has no history (the fields are then absent). */
export function historyCards(fields: HistoryFields, schools?: ReadonlyMap<string, School>): Child {
  if (!fields.history_checks) return null;
  return [fields.returns ? returnsCard(fields.returns, schools) : null, checksCard(fields.history_checks)];
}
