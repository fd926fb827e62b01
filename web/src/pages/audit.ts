// 审计 Audit: one audit document on screen and on paper — a run's plan, or a hand-made plan.csv
// uploaded here — checked rule by rule (numerator, denominator, requirement, actual, clause),
// with the per-school outflow and quota tables, moves by kind, what they carry and the class and
// school size caps (audit-carriers.ts), the 差异系数 recomputed school by school, its XLSX workbook
// and a printable report whose every page states what was audited.
// After a hand-plan audit the whole view switches to that plan, so print and export can only act
// on what the banner names; the run's own buttons come back with “back to the run”.
import { ApiError, api, downloads, type AuditDocument, type AuditResult, type Run, type School } from '../api.ts';
import { type Child, card, filePicker, h, mount, notice, pill } from '../dom.ts';
import { L, lang, planStatusLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, replaceQuery } from '../router.ts';
import { can, currentDataset, pickRun, resultOf, schoolIndex, schoolsOf, store } from '../store.ts';
import { countyPicker, emptyState, errorView, pageCounty, pageHeader, runPicker } from '../widgets.ts';
import { countyView, reportForCounty } from './audit-county.ts';
import { objectiveCard } from './audit-objective.ts';
import { achievableCard } from './audit-achievable.ts';
import { cvSummary, cvTrace, rulesTable } from './audit-tables.ts';
import { countsStrip, modesCard, printHead, schoolCards } from './audit-record.ts';
import { capsCard, carriersCard } from './audit-carriers.ts';
import { historyCards } from './history-cards.ts';

/** The hand-made plan on view (kept across a language switch, dropped for another dataset or run). */
let hand: { datasetId: number; runId: number; file: File; doc: AuditResult } | null = null;

/**
 * The page body both views share; `extras` are the run-only cards (conflicts and objective on top, best achievable after the CVs).
 * `schools` names the schools of the history cards (returns, history checks), shown when the dataset has a history.
 */
function auditBody(doc: AuditDocument, q: URLSearchParams, schools: ReadonlyMap<string, School>, extras: { top?: Child[]; afterCv?: Child[] } = {}): Child[] {
  const failed = doc.rules.filter((r) => !r.ok).length;
  return [
    countsStrip(doc),
    extras.top,
    card(L('规则检查', 'Rule checks'), h('p', { class: 'muted small' }, L(`每条规则列出分子、分母、要求值与实际值，以及所依据的文件条款。${doc.rules.length} 条规则，${failed} 条未通过。`,
      `Each rule with its numerator, denominator, requirement, actual value and the clause it rests on. ${doc.rules.length} rules, ${failed} failing.`)),
    rulesTable(doc.rules, doc.trace.subject === 'run' ? 'rules-table' : 'hand-rules-table')),
    historyCards(doc, schools),
    // Absent from reports stored before these rows existed (see the run view's notice).
    Array.isArray(doc.counts.per_school) ? [modesCard(doc), ...schoolCards(doc)] : null,
    // Absent from reports stored before issue 11's counts and caps.
    doc.counts.careers ? carriersCard(doc) : null,
    doc.school_caps ? capsCard(doc) : null,
    card(L('差异系数汇总', 'CV summary'), h('p', { class: 'muted small' }, L('每个学段、每项指标的学生数加权差异系数，交流前后对比（R、X̄ 为交流后；交流不改变全县总数）。', 'Student-weighted CV per stage and indicator, before and after (R and X̄ after the plan; moves do not change county totals).')), cvSummary(doc)),
    extras.afterCv,
    card(L('差异系数复算', 'CV recomputation'), cvTrace(doc,
      { county: q.get('county') ?? '', stage: q.get('stage') ?? '', indicator: q.get('indicator') ?? '', side: q.get('side') ?? '' }, (v) => replaceQuery(v))),
  ];
}

/** The screen content inside a frame whose header (the trace) the printer repeats on every page. */
function printFrame(doc: AuditDocument, county: string, ...content: Child[]): HTMLElement {
  return h('table', { class: 'print-frame' },
    h('thead', null, h('tr', null, h('td', null, printHead(doc, county)))),
    h('tbody', null, h('tr', null, h('td', null, content))));
}

function download(blob: Blob, name: string): void {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function handForm(datasetId: number, run: Run, rerender: () => void): HTMLElement {
  const picker = filePicker(L('选择 plan.csv…', 'Choose plan.csv…'), L('未选择文件', 'No file chosen'), { accept: '.csv', 'data-testid': 'audit-file' });
  const out = h('div', { 'data-testid': 'audit-upload-result' });
  const button = h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'audit-submit' }, L('审核此方案', 'Audit this plan'));
  const form = h('form', { class: 'form-row' }, h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, L('方案文件 plan.csv', 'Plan file (plan.csv)')), picker.el), h('div', { class: 'field field-button' }, button));
  if (hand) {
    const r = hand.doc;
    mount(out, notice(r.audit_ok ? 'ok' : 'bad', h('strong', null, r.audit_ok ? L(`审核通过：${r.plan_rows} 行方案满足全部规则。`, `Passed: the ${r.plan_rows}-row plan meets every rule.`)
      : L(`审核未通过：${r.rules.filter((x) => !x.ok).length} 条规则不满足（方案 ${r.plan_rows} 行）。`, `Failed: ${r.rules.filter((x) => !x.ok).length} rule(s) not met (${r.plan_rows} plan rows).`))));
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = picker.input.files?.[0];
    if (!f) { mount(out, notice('warn', L('请选择 plan.csv 文件。', 'Choose a plan.csv file.'))); return; }
    button.disabled = true;
    mount(out, notice('info', L('正在审核…', 'Auditing…')));
    api.audit(datasetId, f, run.scenario_id).then((doc) => {
      hand = { datasetId, runId: run.id, file: f, doc };
      rerender();
      window.scrollTo(0, 0);
    }, (err: unknown) => { button.disabled = false; mount(out, errorView(err)); });
  });
  return card(L('审核手工方案', 'Audit a hand-made plan'),
    h('p', { class: 'muted small' }, L('上传按数据约定格式的 plan.csv（teacher_id, from_school_id, to_school_id, mode…），按本运行所用方案的政策参数和锁定逐条检查；审核后整页切换为该方案，打印与导出均针对该方案。',
      'Upload a plan.csv in the contract format (teacher_id, from_school_id, to_school_id, mode…); it is checked with this run\'s scenario policy and locks. The whole page then shows that plan, and print and export act on it.')),
    form, out);
}

export async function renderAudit(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const q = ctx.route.query;
  const { runs, run } = await pickRun(ds.id, q.get('run'));
  if (!run) { mount(root, pageHeader(L('审计', 'Audit'), null), emptyState(L('还没有求解结果', 'No finished run yet'), L('请先在“方案”页求解。', 'Solve a scenario first.'))); return; }
  const [result, stored, schools] = await Promise.all([resultOf(run.id),
    api.runAudit(run.id).catch((e: unknown) => (e instanceof ApiError && e.status === 409 ? null : Promise.reject(e))), schoolsOf(ds.id).then(schoolIndex)]);
  if (ctx.signal.aborted) return;
  replaceQuery({ run: run.id });
  if (hand && (hand.datasetId !== ds.id || hand.runId !== run.id)) hand = null;
  const rerender = () => void renderAudit(root, ctx);
  // '' = the whole file; a one-county file is never narrowed (its audit is the county's).
  const county = ds.counties.length > 1 ? pageCounty(ds.counties, q.get('county')) : '';
  const picker = countyPicker(ds.counties, county, (c) => { replaceQuery({ county: c }); rerender(); });
  const exportNote = county ? h('p', { class: 'muted small no-print' }, L(`本页只列${county}；导出的 Excel 与 PDF 为全部县区的完整审计。`, `This page lists ${county} only; the XLSX and PDF exports are the whole file's audit.`)) : null;
  const upload = h('div', { class: 'no-print' }, can('audit') ? handForm(ds.id, run, rerender)
    : card(L('审核手工方案', 'Audit a hand-made plan'), pill(L('需要审核员或管理员角色', 'Needs the auditor or admin role'), 'muted')));
  const print = h('button', { class: 'btn btn-primary no-print', 'data-testid': 'print', onclick: () => window.print() }, L('打印 / 存为 PDF', 'Print / save as PDF'));

  if (hand) {
    const { doc, file } = hand;
    // The same upload again, answered as a file: the server re-audits the very bytes it hashed.
    const exportHand = (format: 'xlsx' | 'pdf', label: string) => {
      const b = h('button', { class: 'btn no-print', 'data-testid': `export-${format}-hand` }, label);
      b.addEventListener('click', () => {
        b.disabled = true;
        api.auditFile(ds.id, file, run.scenario_id, format, lang()).then((blob) => download(blob, `audit-${doc.trace.plan_hash.slice(0, 12)}.${format}`))
          .finally(() => { b.disabled = false; });
      });
      return b;
    };
    const back = h('button', { class: 'btn', 'data-testid': 'back-to-run', onclick: () => { hand = null; rerender(); } }, L(`返回运行 #${run.id} 的审计`, `Back to run #${run.id}`));
    mount(root, printFrame(countyView(doc, county), county,
      pageHeader(L('审计 · 手工方案', 'Audit · hand-made plan'), L(`${file.name} · ${doc.plan_rows} 行 · 按运行 #${run.id} 所用方案的政策参数`, `${file.name} · ${doc.plan_rows} rows · checked with run #${run.id}'s scenario policy`),
        picker, exportHand('xlsx', L('导出 Excel', 'Export XLSX')), exportHand('pdf', L('导出 PDF', 'Export PDF')), print),
      exportNote,
      h('div', { class: 'no-print' }, notice(doc.audit_ok ? 'ok' : 'warn', h('div', { class: 'hand-banner', 'data-testid': 'hand-banner' },
        h('span', null, L(`正在查看：手工方案 ${file.name}（校验码 ${doc.trace.plan_hash.slice(0, 16)}…）`, `Now viewing: hand-made plan ${file.name} (hash ${doc.trace.plan_hash.slice(0, 16)}…)`)), back))),
      auditBody(countyView(doc, county), q, schools),
      upload));
    return;
  }

  const report = result.report;
  // A report stored before the per-school and by-kind rows (the server answers 409): its rules and
  // CVs still show, traced by the run's result hash; the re-solve hint says what is missing.
  const runDoc: AuditDocument = stored ?? {
    audit_ok: report.audit_ok, counts: report.counts, rules: report.rules, indicators: report.indicators, school_caps: report.school_caps, policy: report.policy, status: report.status,
    ...(report.history_checks ? { returns: report.returns, history_checks: report.history_checks } : {}),
    trace: {
      subject: 'run', run_id: run.id, scenario_id: run.scenario_id, scenario_name: run.scenario_name, result_hash: run.result_hash, plan_file: null,
      plan_hash: '—', plan_rows: report.rules.find((r) => r.id === 'plan_integrity')?.denominator ?? 0, dataset_id: ds.id, dataset_name: ds.name, dataset_hash: ds.content_hash, policy_hash: '—',
      audited_at: new Date().toISOString(), audited_by: store.user?.username ?? '',
    },
  };
  const shown = stored ? countyView(runDoc, county) : runDoc;
  mount(root, printFrame(shown, stored ? county : '',
    pageHeader(L('审计', 'Audit'), L(`运行 #${run.id} ${run.scenario_name} · ${planStatusLabel(report.status)}`, `Run #${run.id} ${run.scenario_name} · ${planStatusLabel(report.status)}`),
      stored ? picker : null,
      h('span', { class: 'no-print' }, runPicker(runs, run.id, (id) => { location.hash = href('audit', { run: id, county: county || null }); })),
      h('a', { class: 'btn no-print', href: downloads.workbook(run.id, lang()), download: '', 'data-testid': 'export-xlsx' }, L('导出 Excel', 'Export XLSX')),
      h('a', { class: 'btn no-print', href: downloads.auditPdf(run.id, lang()), download: '', 'data-testid': 'export-pdf' }, L('导出 PDF', 'Export PDF')),
      // 公示 lists: the printable page opens in a new tab (print from there), the XLSX downloads.
      h('a', { class: 'btn no-print', href: downloads.notice(run.id, 'plan', 'html', lang()), target: '_blank', rel: 'noopener', 'data-testid': 'notice-plan' }, L('公示：交流名单', 'Notice: rotation list')),
      h('a', { class: 'btn no-print', href: downloads.notice(run.id, 'plan', 'xlsx', lang()), download: '' }, L('交流名单 Excel', 'Rotation list XLSX')),
      h('a', { class: 'btn no-print', href: downloads.notice(run.id, 'eligible', 'html', lang()), target: '_blank', rel: 'noopener', 'data-testid': 'notice-eligible' }, L('公示：符合条件教师', 'Notice: eligible teachers')),
      h('a', { class: 'btn no-print', href: downloads.notice(run.id, 'eligible', 'xlsx', lang()), download: '' }, L('符合条件名单 Excel', 'Eligible list XLSX')),
      h('a', { class: 'btn no-print', href: downloads.planCsv(run.id), download: '' }, 'plan.csv'),
      h('a', { class: 'btn no-print', href: downloads.reportJson(run.id), download: '' }, 'report.json'),
      print),
    stored ? exportNote : null,
    auditBody(shown, q, schools, {
      top: [stored ? null : notice('warn', L('本运行的报告早于审计记录格式：缺少每校流出、编制与交流方式表。请复制方案后重新求解以得到完整审计。',
        'This run\'s report predates the audit record: the per-school outflow, quota and by-kind tables are missing. Copy the scenario and solve again for the full audit.')),
      report.infeasibility.length > 0 ? notice('bad', h('strong', null, L('无可行方案：以下规则相互冲突', 'No feasible plan: these rules conflict')),
        h('ul', { class: 'error-list' }, report.infeasibility.filter((k) => !county || k.county === county).map((k) => h('li', null, `${k.county}：${k.message}`)))) : null,
      objectiveCard(reportForCounty(report, stored ? county : ''))],
      afterCv: [report.status === 'infeasible' ? null : achievableCard(reportForCounty(report, stored ? county : ''), run.id, ctx.signal)],
    }),
    upload));
}
