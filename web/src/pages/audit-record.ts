// The auditor's record on the audit page, drawn from the AuditDocument (server/audit-document.ts)
// alike for a run and a hand-made plan: the verdict and counts, moves by kind with the two
// rotation rates, the per-school outflow-cap and quota tables (every school, each with
// pass/fail), and the print header that states on every printed page what was audited.
import type { AuditDocument, AuditTrace } from '../api.ts';
import { countyBlocks } from '../audit-carriers-lines.ts';
import { card, h, kpi, pill } from '../dom.ts';
import { dateTime, int, pct } from '../format.ts';
import { L, modeLabel, planStatusLabel } from '../i18n.ts';

type Counts = AuditDocument['counts'];
type SchoolFlow = Counts['per_school'][number];

/** A policy share as the policy states it: 0.15 → 15%. */
const share = (x: number) => `${Number((x * 100).toFixed(2))}%`;
const passPill = (ok: boolean) => pill(ok ? L('通过', 'Pass') : L('不通过', 'Fail'), ok ? 'ok' : 'bad');

export function countsStrip(doc: AuditDocument): HTMLElement {
  const c = doc.counts;
  const r = doc.policy.ratios;
  const need = (s: number) => L(`（要求 ≥ ${share(s)}）`, ` (≥ ${share(s)})`);
  return h('div', { class: 'kpis kpis-5', 'data-testid': 'audit-counts' },
    kpi(L('审核结论', 'Verdict'), doc.audit_ok ? L('全部通过', 'All pass') : L('未通过', 'Fails'),
      doc.audit_ok ? L(`${doc.rules.length} 条规则全部满足`, `all ${doc.rules.length} rules met`)
        : L(`${doc.rules.filter((x) => !x.ok).length} 条规则不满足`, `${doc.rules.filter((x) => !x.ok).length} rule(s) not met`), doc.audit_ok ? 'ok' : 'bad'),
    kpi(L('符合交流条件', 'Eligible'), int(c.eligible), L(`在册 ${int(c.teachers)} · 在编 ${int(c.on_establishment)}`, `${int(c.teachers)} on roster · ${int(c.on_establishment)} on est.`)),
    kpi(L('交流人数', 'Rotated'), int(c.rotated), L(`计入 ${int(c.counted_rotated)} 人 · ${pct(c.rotation_rate)}`, `${int(c.counted_rotated)} counted · ${pct(c.rotation_rate)}`) + need(r.minRotatedShareOfEligible)),
    kpi(L('骨干教师', 'Backbone'), int(c.backbone_rotated), L(`占 ${pct(c.backbone_share)}`, `${pct(c.backbone_share)} of counted`) + need(r.minBackboneShareOfRotated)),
    kpi(L('带编流动率', 'Transfer rate'), pct(c.transfer_rate_of_establishment), L(`调动 ${int(c.transfers)} ÷ 在编 ${int(c.on_establishment)}`, `${int(c.transfers)} transfers ÷ ${int(c.on_establishment)} on est.`)));
}

/** Moves by kind, whether each counts toward the rotation share, and the rate against both denominators. */
export function modesCard(doc: AuditDocument): HTMLElement {
  const { blocks, multi } = countyBlocks(doc, L('全部', 'All'));
  return card(L('交流方式与交流比例', 'Moves by kind and rotation rates'),
    h('p', { class: 'muted small' }, L(
      '每种交流方式的人数，及其是否计入“交流人数不低于符合条件教师的”比例（政策参数，可在方案页逐项设置）。交流比例 = 计入的交流人数 ÷ 符合交流条件教师；带编流动率 = 调动人数 ÷ 在编教师。',
      'Moves of each kind and whether the kind counts toward the rotation share (a policy switch per kind, set on the scenario page). Rotation rate = counted moves ÷ eligible teachers; transfer rate = transfers ÷ teachers on establishment.')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'audit-modes' },
      h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('交流方式', 'Kind')),
        h('th', { class: 'num' }, L('人数', 'Teachers')), h('th', { class: 'num' }, L('其中骨干', 'Backbone')), h('th', null, L('计入交流比例', 'Counts toward the share')))),
      h('tbody', null, blocks.flatMap(({ label, c }) => c.by_mode.map((m) => h('tr', { 'data-mode': m.mode },
        multi ? h('td', null, label) : null, h('td', null, modeLabel(m.mode)), h('td', { class: 'num' }, int(m.rotated)), h('td', { class: 'num' }, int(m.backbone)),
        h('td', null, m.counts_toward_rotation ? L('计入', 'Counts') : pill(L('不计入', 'Not counted'), 'muted')))))))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'audit-rates' },
      h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('比例', 'Rate')),
        h('th', { class: 'num' }, L('分子', 'Numerator')), h('th', { class: 'num' }, L('分母', 'Denominator')), h('th', { class: 'num' }, L('比例', 'Value')))),
      h('tbody', null, blocks.flatMap(({ label, c }) => [
        h('tr', { 'data-rate': 'rotation' }, multi ? h('td', null, label) : null,
          h('td', null, L('交流比例（计入的交流人数 ÷ 符合交流条件教师）', 'Rotation rate (counted moves ÷ eligible teachers)')),
          h('td', { class: 'num' }, int(c.counted_rotated)), h('td', { class: 'num' }, int(c.eligible)), h('td', { class: 'num strong' }, pct(c.rotation_rate))),
        h('tr', { 'data-rate': 'establishment' }, multi ? h('td', null, label) : null,
          h('td', null, L('带编流动率（调动人数 ÷ 在编教师）', 'Transfer rate (transfers ÷ teachers on establishment)')),
          h('td', { class: 'num' }, int(c.transfers)), h('td', { class: 'num' }, int(c.on_establishment)), h('td', { class: 'num strong' }, pct(c.transfer_rate_of_establishment))),
      ])))));
}

function schoolTable(testid: string, rows: readonly SchoolFlow[], head: string[], cells: (s: SchoolFlow) => (string | number)[], ok: (s: SchoolFlow) => boolean): HTMLElement {
  const multi = new Set(rows.map((s) => s.county)).size > 1;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': testid },
    h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('学校', 'School')),
      head.map((x) => h('th', { class: 'num' }, x)), h('th', null, L('结果', 'Result')))),
    h('tbody', null, rows.map((s) => h('tr', { 'data-school': s.school_id, 'data-ok': String(ok(s)), class: ok(s) ? '' : 'row-fail' },
      multi ? h('td', null, s.county) : null, h('td', null, s.school_name ?? s.school_id, h('span', { class: 'mono small muted' }, ` ${s.school_id}`)),
      cells(s).map((v) => h('td', { class: 'num' }, typeof v === 'number' ? int(v) : v)), h('td', null, passPill(ok(s))))))));
}

/** Every school's row of the outflow-cap rule and of the quota rule, with the limits the rules used. */
export function schoolCards(doc: AuditDocument): HTMLElement[] {
  const rows = doc.counts.per_school;
  const s = share(doc.policy.limits.maxOutflowShareOfSchool);
  const failing = (ok: (x: SchoolFlow) => boolean) => rows.filter((x) => !ok(x)).length;
  return [
    card(L('每校流出上限', 'Outflow cap per school'),
      h('p', { class: 'muted small' }, L(`每校流出 ≤ ⌊${s} × 交流前教师数⌋（政策参数“每校流出不超过本校教师的”比例）。${failing((x) => x.outflow_ok)}/${rows.length} 校超限。`,
        `Each school: leaving ≤ ⌊${s} × teachers before⌋ (policy "school outflow ≤ share of its teachers"). ${failing((x) => x.outflow_ok)} of ${rows.length} schools over the cap.`)),
      schoolTable('outflow-table', rows, [L('交流前教师', 'Teachers before'), L('流出', 'Leaving'), L(`上限 ⌊${s}×教师⌋`, `Cap ⌊${s}×teachers⌋`)],
        (x) => [x.teachers_before, x.outflow, x.outflow_cap], (x) => x.outflow_ok)),
    card(L('每校编制', 'Staffing quota per school'),
      h('p', { class: 'muted small' }, L(`交流后人数 ≤ max(编制, 交流前人数)：已超编的学校不得再增加。编制为空时按生师比测算（标 *）。${failing((x) => x.quota_ok)}/${rows.length} 校超编。`,
        `Staff after ≤ max(quota, staff before): a school already over quota may not add to it. An empty quota is computed from enrolment (marked *). ${failing((x) => x.quota_ok)} of ${rows.length} schools over quota.`)),
      schoolTable('quota-table', rows, [L('交流前', 'Before'), L('流出', 'Leaving'), L('流入', 'Arriving'), L('交流后', 'After'), L('编制', 'Quota'), L('上限', 'Limit'), L('超编', 'Excess')],
        (x) => [x.teachers_before, x.outflow, x.inflow, x.teachers_after, x.quota_computed ? `${int(x.quota)}*` : x.quota, x.quota_limit, x.quota_excess], (x) => x.quota_ok)),
  ];
}

/** What was audited, as every printed page states it (the print frame repeats it at each page top). */
/** `county`: the one county the page lists of a multi-county file ('' = all). */
export function printHead(doc: AuditDocument, county = ''): HTMLElement {
  const t: AuditTrace = doc.trace;
  const subject = t.subject === 'run'
    ? L(`运行 #${t.run_id} ${t.scenario_name ?? ''}（${planStatusLabel(doc.status)}）`, `Run #${t.run_id} ${t.scenario_name ?? ''} (${planStatusLabel(doc.status)})`)
    : L(`手工方案 ${t.plan_file}（${t.plan_rows} 行）${t.scenario_name ? `，按方案“${t.scenario_name}”的政策参数` : ''}`, `Hand-made plan ${t.plan_file} (${t.plan_rows} rows)${t.scenario_name ? `, checked with scenario "${t.scenario_name}"` : ''}`);
  const line = (label: string, value: string, testid?: string) => h('div', { class: 'trace-line' }, h('span', { class: 'trace-label' }, label), h('span', { 'data-testid': testid }, value));
  const hash = (label: string, value: string, testid?: string) => h('div', { class: 'trace-line' }, h('span', { class: 'trace-label' }, label), h('span', { class: 'mono trace-hash', 'data-testid': testid }, value));
  return h('div', { class: 'print-head', 'data-testid': 'print-head' },
    h('h1', null, t.subject === 'run' ? L('教师交流轮岗方案审计报告', 'Teacher rotation plan — audit report') : L('教师交流轮岗方案审计报告（手工方案）', 'Teacher rotation plan — audit report (hand-made plan)')),
    h('div', { class: 'trace-grid' },
      // Left: the hashes, each on one line (a paper copy is checked against them); right: the rest.
      h('div', null,
        hash(L('方案文件校验码', 'Plan file SHA-256'), t.plan_hash, 'trace-plan-hash'),
        t.result_hash ? hash(L('运行结果校验码', 'Run result hash'), t.result_hash) : null,
        hash(L('数据集校验码', 'Dataset SHA-256'), t.dataset_hash),
        hash(L('政策参数校验码', 'Policy SHA-256'), t.policy_hash)),
      h('div', null,
        line(L('审核对象', 'Audited'), subject),
        line(L('审核结论', 'Verdict'), doc.audit_ok ? L('全部通过', 'all rules pass') : L(`未通过（${doc.rules.filter((r) => !r.ok).length} 条规则不满足）`, `fails (${doc.rules.filter((r) => !r.ok).length} rule(s) not met)`)),
        line(L('数据集', 'Dataset'), `#${t.dataset_id} ${t.dataset_name}`),
        county ? line(L('本报告范围', 'This report covers'), L(`${county}（文件中其他县区另见各自报告）`, `${county} (the file's other counties: see their reports)`), 'trace-county') : null,
        line(L('审核时间 · 审核人', 'Audited at · by'), `${dateTime(t.audited_at)} · ${t.audited_by}`))));
}
