// The auditor's sheets of a workbook, from the AuditDocument: every rule with numerator and
// denominator, the per-school outflow-cap and quota tables (each row with pass/fail), the moves
// by kind with the two rotation rates, what the moves carry, the size caps of every school, and
// the trace a filed copy needs (what was audited: the plan file's hash, the dataset's, the
// policy's, when and by whom, and the policy's parameters).
// Numbers stay numbers, so an auditor can re-compute them in Excel.
import type ExcelJS from 'exceljs';
import { ALL_FIELDS, getPath, policyLabel, policyValueText } from '../web/src/policy-fields.ts';
import { MODE_LABELS, STAGE_ZH } from '../solver/contract/labels.ts';
import { carrierLines, countyBlocks } from '../web/src/audit-carriers-lines.ts';
import type { AuditDocument } from './audit-document.ts';

export type Lang = 'zh' | 'en';
export type Cell = string | number | null;
export type AddSheet = (name: string, columns: [string, number][], rows: Cell[][]) => ExcelJS.Worksheet;

const PLAN_STATUS: Record<string, [string, string]> = { optimal: ['最优', 'optimal'], feasible: ['可行（未证最优）', 'feasible (not proven optimal)'], infeasible: ['无可行方案', 'infeasible'] };
const PERCENT = '0.0%';
/** A policy share as people write it: 0.2 → 20%. */
const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;

export function auditSheets(doc: AuditDocument, lang: Lang, add: AddSheet): void {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? '—' : v ? t('是', 'yes') : t('否', 'no'));
  const pass = (v: boolean) => (v ? t('通过', 'pass') : t('不通过', 'FAIL'));
  const county = (c: string | null) => c ?? t('（全部）', '(all)');

  add(t('规则检查', 'Rules'), [
    [t('县区', 'County'), 12], [t('规则编号', 'Rule id'), 20], [t('规则', 'Rule'), 48], [t('分子', 'Numerator'), 10], [t('分母', 'Denominator'), 10],
    [t('要求', 'Required'), 34], [t('实际', 'Actual'), 24], [t('是否满足', 'Result'), 10], [t('依据', 'Clause'), 50], [t('明细', 'Details'), 60],
  ], doc.rules.map((r) => [
    county(r.county), r.id, t(r.name, r.name_en ?? r.name), r.numerator ?? null, r.denominator ?? null,
    t(r.required, r.required_en ?? r.required), t(r.actual, r.actual_en ?? r.actual), pass(r.ok), t(r.clause, r.clause_en ?? r.clause),
    (t((r.details ?? []).join('；'), (r.details_en ?? r.details ?? []).join('; '))).slice(0, 30_000) || null,
  ]));

  const share = doc.policy.limits.maxOutflowShareOfSchool;
  const schools = doc.counts.per_school;
  add(t('每校流出上限', 'Outflow cap per school'), [
    [t('县区', 'County'), 12], [t('学校代码', 'School id'), 12], [t('学校名称', 'School'), 24], [t('交流前教师数', 'Teachers before'), 12],
    [t('流出', 'Leaving'), 8], [t(`上限 ⌊${pct(share)} × 教师数⌋`, `Cap ⌊${pct(share)} × teachers⌋`), 16], [t('是否满足', 'Result'), 10],
  ], schools.map((s) => [s.county, s.school_id, s.school_name ?? '', s.teachers_before, s.outflow, s.outflow_cap, pass(s.outflow_ok)]));

  add(t('每校编制', 'Quota per school'), [
    [t('县区', 'County'), 12], [t('学校代码', 'School id'), 12], [t('学校名称', 'School'), 24], [t('交流前教师数', 'Teachers before'), 12],
    [t('流出', 'Leaving'), 8], [t('流入', 'Arriving'), 8], [t('交流后教师数', 'Teachers after'), 12], [t('编制', 'Quota'), 8],
    [t('编制来源', 'Quota source'), 12], [t('上限 max(编制, 交流前)', 'Limit max(quota, before)'), 16], [t('超编人数', 'Over the limit'), 10], [t('是否满足', 'Result'), 10],
  ], schools.map((s) => [
    s.county, s.school_id, s.school_name ?? '', s.teachers_before, s.outflow, s.inflow, s.teachers_after, s.quota,
    s.quota_computed ? t('按生师比测算', 'computed from enrolment') : t('核定编制', 'approved'), s.quota_limit, s.quota_excess, pass(s.quota_ok),
  ]));

  // One block per county (and the total when there are several): moves by kind, then the two rates.
  const { blocks } = countyBlocks(doc, t('全部', 'All'));
  const rows: Cell[][] = blocks.flatMap(({ label, c }) => [
    ...c.by_mode.map((m) => [label, t(...MODE_LABELS[m.mode]), m.rotated, m.backbone, yesNo(m.counts_toward_rotation), null, null]),
    [label, t('交流合计', 'All moves'), c.rotated, c.backbone_rotated, null, null, null],
    [label, t('交流比例（计入的交流人数 ÷ 符合交流条件教师）', 'Rotation rate (counted moves ÷ eligible teachers)'), c.counted_rotated, null, null, c.eligible, c.rotation_rate],
    [label, t('带编流动率（调动人数 ÷ 在编教师）', 'Transfer rate (transfers ÷ teachers on establishment)'), c.transfers, null, null, c.on_establishment, c.transfer_rate_of_establishment],
  ]);
  const ws = add(t('交流方式', 'Moves by kind'), [
    [t('县区', 'County'), 12], [t('交流方式 / 比例', 'Kind / rate'), 48], [t('人数（分子）', 'Teachers (numerator)'), 14], [t('其中骨干', 'Backbone'), 10],
    [t('计入交流比例', 'Counts toward the share'), 14], [t('分母', 'Denominator'), 10], [t('比例', 'Rate'), 10],
  ], rows);
  ws.getColumn(7).numFmt = PERCENT;

  const at = lang === 'zh' ? 0 : 1;
  const carriers = add(t('交流载体与成效', 'Carriers'), [
    [t('县区', 'County'), 12], [t('项目', 'Measure'), 64], [t('分子', 'Numerator'), 10], [t('分母', 'Denominator'), 10], [t('比例', 'Rate'), 10], [t('说明', 'Note'), 36],
  ], blocks.flatMap(({ label, c }) => carrierLines(c, doc.policy).map((x) => [
    label, x.label[at], x.numerator, x.denominator, x.denominator > 0 ? x.numerator / x.denominator : null, x.value?.[at] ?? null,
  ])));
  carriers.getColumn(5).numFmt = PERCENT;

  // Every school × stage against both size caps, so an auditor can filter the failing ones.
  const caps = doc.school_caps?.schools ?? [];
  add(t('班额与规模', 'Size caps'), [
    [t('县区', 'County'), 12], [t('学校代码', 'School id'), 12], [t('学校名称', 'School'), 24], [t('学段', 'Stage'), 8], [t('学段在校生', 'Students (stage)'), 12],
    [t('班数', 'Classes'), 8], [t('平均班额', 'Average class'), 10], [t('班额上限', 'Class cap'), 10], [t('班额达标', 'Class size met'), 10],
    [t('学校在校生', 'Students (school)'), 12], [t('规模上限', 'School cap'), 10], [t('规模达标', 'School size met'), 10],
  ], caps.flatMap((s) => s.class_size.map((c) => [
    s.county, s.school_id, s.school_name ?? '', t(STAGE_ZH[c.stage], c.stage), c.students, c.classes, c.average === null ? null : Number(c.average.toFixed(1)), c.max,
    c.ok === null ? t('未填班数', 'no classes') : pass(c.ok), s.students, s.max_students, pass(s.school_size_ok),
  ])));

  const tr = doc.trace;
  const traceRows: Cell[][] = [
    [t('审核对象', 'Audited'), tr.subject === 'run' ? t(`运行 #${tr.run_id}`, `Run #${tr.run_id}`) : t(`手工方案 ${tr.plan_file}`, `Hand-made plan ${tr.plan_file}`)],
    [t('方案（政策与锁定来源）', 'Scenario (policy and locks)'), tr.scenario_name ?? t('数据集自带', 'the dataset\'s own')],
    [t('方案文件校验码（SHA-256）', 'Plan file hash (SHA-256)'), tr.plan_hash],
    [t('方案行数', 'Plan rows'), tr.plan_rows],
    [t('运行结果校验码', 'Run result hash'), tr.result_hash ?? t('—（手工方案，无运行）', '— (hand-made plan, no run)')],
    [t('数据集', 'Dataset'), `#${tr.dataset_id} ${tr.dataset_name}`],
    [t('数据集校验码（SHA-256）', 'Dataset hash (SHA-256)'), tr.dataset_hash],
    [t('政策参数校验码（SHA-256）', 'Policy hash (SHA-256)'), tr.policy_hash],
    [t('审核时间（UTC）', 'Audited at (UTC)'), tr.audited_at],
    [t('审核人', 'Audited by'), tr.audited_by],
    [t('方案状态', 'Plan status'), doc.status === null ? '—' : t(PLAN_STATUS[doc.status]?.[0] ?? doc.status, PLAN_STATUS[doc.status]?.[1] ?? doc.status)],
    [t('审核结论', 'Verdict'), doc.audit_ok ? t('全部通过', 'all rules pass') : t(`未通过：${doc.rules.filter((r) => !r.ok).length} 条规则不满足`, `fails: ${doc.rules.filter((r) => !r.ok).length} rule(s) not met`)],
    [null, null],
    [t('政策参数', 'Policy parameters'), null],
    ...ALL_FIELDS.map((f) => [policyLabel(f.path, lang), policyValueText(f.path, getPath(doc.policy, f.path), lang)]),
  ];
  add(t('审核信息', 'Trace'), [[t('项目', 'Item'), 36], [t('内容', 'Value'), 72]], traceRows);
}
