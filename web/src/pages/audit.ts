// 审计 Audit: a run's plan checked rule by rule (numerator, denominator, requirement, actual,
// clause), the 差异系数 recomputed school by school, a hand-made plan.csv checked against the
// same rules, the XLSX workbook, and a printable report (print stylesheet + window.print()).
import { api, downloads, type AuditResult, type Report } from '../api.ts';
import { card, filePicker, h, kpi, mount, notice, pill } from '../dom.ts';
import { dateTime, int, pct } from '../format.ts';
import { L, planStatusLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, replaceQuery } from '../router.ts';
import { can, currentDataset, pickRun, resultOf } from '../store.ts';
import { emptyState, errorView, pageHeader, runPicker } from '../widgets.ts';
import { objectiveCard } from './audit-objective.ts';
import { achievableCard } from './audit-achievable.ts';
import { cvSummary, cvTrace, rulesTable } from './audit-tables.ts';

/** `policy` adds the requirements under the ratios (a hand-made plan's audit shows only what it found). */
function countsStrip(c: Report['counts'], audit_ok: boolean, policy?: Report['policy']): HTMLElement {
  const need = (share: number | undefined) => (share === undefined ? '' : L(`（要求 ≥ ${pct(share, 0)}）`, ` (≥ ${pct(share, 0)} required)`));
  return h('div', { class: 'kpis kpis-5', 'data-testid': 'audit-counts' },
    kpi(L('审核结论', 'Verdict'), audit_ok ? L('全部通过', 'All pass') : L('未通过', 'Fails'), null, audit_ok ? 'ok' : 'bad'),
    kpi(L('符合交流条件', 'Eligible'), int(c.eligible), L(`在册 ${int(c.teachers)} 人`, `${int(c.teachers)} on roster`)),
    kpi(L('交流人数', 'Rotated'), int(c.rotated), L(`比例 ${pct(c.rotation_rate)}`, `${pct(c.rotation_rate)} of eligible`) + need(policy?.ratios.minRotatedShareOfEligible)),
    kpi(L('骨干教师', 'Backbone'), int(c.backbone_rotated), L(`占 ${pct(c.backbone_share)}`, `${pct(c.backbone_share)} of rotated`) + need(policy?.ratios.minBackboneShareOfRotated)),
    kpi(L('流向乡村/薄弱', 'Toward rural/weak'), int(c.toward_rural_or_weak), pct(c.rotated ? c.toward_rural_or_weak / c.rotated : null)));
}

function handAudit(datasetId: number, scenarioId: number): HTMLElement {
  const picker = filePicker(L('选择 plan.csv…', 'Choose plan.csv…'), L('未选择文件', 'No file chosen'), { accept: '.csv', 'data-testid': 'audit-file' });
  const file = picker.input;
  const out = h('div', { 'data-testid': 'audit-upload-result' });
  const button = h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'audit-submit' }, L('审核此方案', 'Audit this plan'));
  const form = h('form', { class: 'form-row' }, h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, L('方案文件 plan.csv', 'Plan file (plan.csv)')), picker.el), h('div', { class: 'field field-button' }, button));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    if (!f) { mount(out, notice('warn', L('请选择 plan.csv 文件。', 'Choose a plan.csv file.'))); return; }
    button.disabled = true;
    mount(out, notice('info', L('正在审核…', 'Auditing…')));
    api.audit(datasetId, f, scenarioId).then((r: AuditResult) => {
      button.disabled = false;
      mount(out,
        notice(r.audit_ok ? 'ok' : 'bad', h('strong', null, r.audit_ok ? L(`审核通过：${r.plan_rows} 行方案满足全部规则。`, `Passed: the ${r.plan_rows}-row plan meets every rule.`)
          : L(`审核未通过：${r.rules.filter((x) => !x.ok).length} 条规则不满足（方案 ${r.plan_rows} 行）。`, `Failed: ${r.rules.filter((x) => !x.ok).length} rule(s) not met (${r.plan_rows} plan rows).`))),
        countsStrip(r.counts, r.audit_ok),
        rulesTable(r.rules, 'hand-rules-table'));
    }, (err: unknown) => { button.disabled = false; mount(out, errorView(err)); });
  });
  return card(L('审核手工方案', 'Audit a hand-made plan'),
    h('p', { class: 'muted small' }, L('上传按数据约定格式的 plan.csv（teacher_id, from_school_id, to_school_id, mode…），按本运行所用方案的政策参数和锁定逐条检查。', 'Upload a plan.csv in the contract format (teacher_id, from_school_id, to_school_id, mode…); it is checked with this run\'s scenario policy and locks.')),
    form, out);
}

export async function renderAudit(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const q = ctx.route.query;
  const { runs, run } = await pickRun(ds.id, q.get('run'));
  if (!run) { mount(root, pageHeader(L('审计', 'Audit'), null), emptyState(L('还没有求解结果', 'No finished run yet'), L('请先在“方案”页求解。', 'Solve a scenario first.'))); return; }
  const result = await resultOf(run.id);
  if (ctx.signal.aborted) return;
  const report = result.report;
  replaceQuery({ run: run.id });
  const failed = report.rules.filter((r) => !r.ok).length;

  mount(root,
    h('div', { class: 'print-only print-head' },
      h('h1', null, L('教师交流轮岗方案审计报告', 'Teacher rotation plan — audit report')),
      h('p', null, `${ds.name} · ${L('运行', 'Run')} #${run.id} ${run.scenario_name} · ${L('结果校验码', 'Result hash')} ${run.result_hash?.slice(0, 16) ?? '—'} · ${L('打印时间', 'Printed')} ${dateTime(new Date().toISOString())}`)),
    pageHeader(L('审计', 'Audit'), L(`运行 #${run.id} ${run.scenario_name} · ${planStatusLabel(report.status)} · ${report.rules.length} 条规则，${failed} 条未通过`, `Run #${run.id} ${run.scenario_name} · ${planStatusLabel(report.status)} · ${report.rules.length} rules, ${failed} failing`),
      h('span', { class: 'no-print' }, runPicker(runs, run.id, (id) => { location.hash = href('audit', { run: id }); })),
      h('a', { class: 'btn no-print', href: downloads.workbook(run.id), download: '', 'data-testid': 'export-xlsx' }, L('导出 Excel', 'Export XLSX')),
      h('a', { class: 'btn no-print', href: downloads.planCsv(run.id), download: '' }, 'plan.csv'),
      h('a', { class: 'btn no-print', href: downloads.reportJson(run.id), download: '' }, 'report.json'),
      h('button', { class: 'btn btn-primary no-print', 'data-testid': 'print', onclick: () => window.print() }, L('打印 / 存为 PDF', 'Print / save as PDF'))),
    countsStrip(report.counts, report.audit_ok, report.policy),
    report.infeasibility.length > 0 ? notice('bad', h('strong', null, L('无可行方案：以下规则相互冲突', 'No feasible plan: these rules conflict')),
      h('ul', { class: 'error-list' }, report.infeasibility.map((k) => h('li', null, `${k.county}：${k.message}`)))) : null,
    objectiveCard(report),
    card(L('规则检查', 'Rule checks'), h('p', { class: 'muted small' }, L('每条规则列出分子、分母、要求值与实际值，以及所依据的文件条款。', 'Each rule with its numerator, denominator, requirement, actual value and the clause it rests on.')),
      rulesTable(report.rules)),
    card(L('差异系数汇总', 'CV summary'), h('p', { class: 'muted small' }, L('每个学段、每项指标的学生数加权差异系数，交流前后对比（R、X̄ 为交流后；交流不改变全县总数）。', 'Student-weighted CV per stage and indicator, before and after (R and X̄ after the plan; moves do not change county totals).')), cvSummary(report)),
    report.status === 'infeasible' ? null : achievableCard(report, run.id, ctx.signal),
    card(L('差异系数复算', 'CV recomputation'), cvTrace(report,
      { county: q.get('county') ?? '', stage: q.get('stage') ?? '', indicator: q.get('indicator') ?? '', side: q.get('side') ?? '' }, (v) => replaceQuery(v))),
    h('div', { class: 'no-print' }, can('audit') ? handAudit(ds.id, run.scenario_id)
      : card(L('审核手工方案', 'Audit a hand-made plan'), pill(L('需要审核员或管理员角色', 'Needs the auditor or admin role'), 'muted'))));
}
