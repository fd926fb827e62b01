// 方案 Scenario: the policy parameters (each with its default and clause) with the rotation
// budget they give in teachers, the objective weights, the locks, and the run: save, re-plan
// against the last result or not, solve with a progress bar, cancel. A scenario whose run was
// adopted is frozen (the server refuses edits and runs with 409): the page offers a copy instead.
import { api, type Policy, type Run, type Scenario } from '../api.ts';
import { card, h, mount, notice, pill } from '../dom.ts';
import { dateTime, int, pct } from '../format.ts';
import { L, lang, runStatusLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { ALL_FIELDS, POLICY_GROUPS, type PolicyField, getPath, setPath } from '../policy-fields.ts';
import { href, navigate, replaceQuery } from '../router.ts';
import { can, currentDataset, schoolsOf, teachersOf } from '../store.ts';
import { type Column, dataTable } from '../table.ts';
import { emptyState, errorView, pageHeader } from '../widgets.ts';
import { baselineToggle } from './scenario-baseline.ts';
import { budgetView } from './scenario-budget.ts';
import { lockEditor } from './scenario-locks.ts';
import { notesEditor } from './scenario-notes.ts';
import { followRun } from './run-progress.ts';
import { scenarioPicker } from './scenario-picker.ts';

interface FieldInput { field: PolicyField; read(): { value: unknown; problem: string | null } }

function fmtDefault(f: PolicyField): string {
  if (f.kind === 'bool') return f.def ? L('是', 'Yes') : L('否', 'No');
  if (f.def === null) return f.empty ? L(f.empty.zh, f.empty.en) : '—';
  if (f.kind === 'share' && typeof f.def === 'number') return pct(f.def, 0);
  return `${f.def}${f.unit ? ` ${lang() === 'zh' ? f.unit.zh : f.unit.en}` : ''}`;
}

function fieldInput(f: PolicyField, policy: Policy, readOnly: boolean): { row: HTMLElement; input: FieldInput } {
  const v = getPath(policy, f.path);
  const key = f.path.join('.');
  const percent = f.kind === 'share' || f.kind === 'nullableShare';
  const unit = percent ? '%' : f.unit ? (lang() === 'zh' ? f.unit.zh : f.unit.en) : '';
  let control: HTMLInputElement;
  if (f.kind === 'bool') control = h('input', { type: 'checkbox', checked: v === true, disabled: readOnly, 'data-field': key });
  else {
    const shown = v === null || v === undefined ? '' : percent ? String(Math.round(Number(v) * 1000) / 10) : String(v);
    control = h('input', { type: 'number', value: shown, min: f.min, max: f.max, step: f.step ?? (percent ? 0.5 : 1), class: 'input-num', disabled: readOnly, 'data-field': key });
  }
  const isDefault = () => {
    const r = read();
    return r.problem === null && (typeof r.value === 'number' && typeof f.def === 'number' ? Math.abs(r.value - f.def) < 1e-9 : r.value === f.def);
  };
  const read = (): { value: unknown; problem: string | null } => {
    if (f.kind === 'bool') return { value: control.checked, problem: null };
    const raw = control.value.trim();
    if (raw === '') return f.kind.startsWith('nullable') ? { value: null, problem: null } : { value: null, problem: L('不能为空', 'required') };
    const n = Number(raw);
    if (!Number.isFinite(n) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
      return { value: null, problem: L(`应在 ${f.min ?? '−∞'}–${f.max ?? '∞'} 之间`, `must be within ${f.min ?? '−∞'}–${f.max ?? '∞'}`) };
    }
    if (f.kind === 'int' && !Number.isInteger(n)) return { value: null, problem: L('应为整数', 'must be a whole number') };
    return { value: percent ? n / 100 : n, problem: null };
  };
  const row = h('tr', null,
    h('td', null, lang() === 'zh' ? f.zh : f.en),
    h('td', { class: 'nowrap' }, control, unit ? h('span', { class: 'unit' }, unit) : null),
    h('td', { class: 'muted nowrap' }, fmtDefault(f)),
    h('td', { class: 'clause' }, f.clauseEn && lang() === 'en' ? f.clauseEn : f.clause));
  const mark = () => row.classList.toggle('changed', !isDefault());
  control.addEventListener('input', mark);
  mark();
  return { row, input: { field: f, read } };
}

export async function renderScenario(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先在“数据”页导入学校和教师。', 'Import schools and teachers on the Data page first.'), h('a', { class: 'btn btn-primary', href: href('data') }, L('去导入', 'Import')))); return; }
  let list = await api.scenarios(ds.id);
  if (list.length === 0 && can('edit')) {
    await api.createScenario({ dataset_id: ds.id, name: L('默认方案', 'Default scenario') });
    list = await api.scenarios(ds.id);
  }
  const id = Number(ctx.route.query.get('id')) || list[0]?.id;
  if (!id) { mount(root, emptyState(L('还没有方案', 'No scenario yet'), L('请规划员新建方案。', 'Ask a planner to create one.'))); return; }
  const [scenario, teachers, schools, runs] = await Promise.all([api.scenario(id), teachersOf(ds.id), schoolsOf(ds.id), api.runs({ scenario_id: id })]);
  if (ctx.signal.aborted) return;
  replaceQuery({ id });
  const frozen = scenario.adopted_run_id !== null;
  const readOnly = !can('edit') || frozen;

  const inputs: FieldInput[] = [];
  // The budget in teachers sits right under the two shares it comes from.
  const budget = budgetView(scenario.id);
  const groups = POLICY_GROUPS.map((g) => h('tbody', null,
    h('tr', { class: 'group-row' }, h('th', { colspan: 4 }, lang() === 'zh' ? g.zh : g.en)),
    g.fields.map((f) => { const x = fieldInput(f, scenario.policy, readOnly); inputs.push(x.input); return x.row; }),
    g.id === 'ratios' ? h('tr', { class: 'budget-row' }, h('td', { colspan: 4 }, budget.el)) : null));
  const form = h('table', { class: 'data form-table policy-form', 'data-testid': 'policy-form' },
    h('thead', null, h('tr', null, h('th', null, L('参数', 'Parameter')), h('th', { style: 'width:11rem' }, L('取值', 'Value')), h('th', { style: 'width:6rem' }, L('默认', 'Default')), h('th', null, L('依据 / 说明', 'Source / meaning')))),
    groups);
  const locks = lockEditor(scenario.locks, teachers, schools, readOnly);
  // Eligibility, shares and move locks all change the budget: it is recomputed from the saved scenario.
  for (const el of [form, locks.el]) el.addEventListener('input', budget.stale);
  const baseline = baselineToggle(scenario.use_baseline, readOnly);
  baseline.update(runs);
  const name = h('input', { value: scenario.name, maxlength: 100, disabled: readOnly, class: 'input-title', 'aria-label': L('方案名称', 'Scenario name'), 'data-testid': 'scenario-name' });
  const notes = notesEditor(scenario, { readOnly: !can('notes') || frozen });
  const status = h('div');
  const runPanel = h('div', { 'data-testid': 'run-panel' });

  /** Saves the form; null when something is wrong (shown in `status`). */
  const save = async (): Promise<Scenario | null> => {
    const patch: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const i of inputs) {
      const r = i.read();
      if (r.problem) problems.push(`${lang() === 'zh' ? i.field.zh : i.field.en}：${r.problem}`);
      else setPath(patch, i.field.path, r.value);
    }
    const l = locks.value();
    problems.push(...l.problems);
    if (problems.length > 0) {
      mount(status, notice('bad', h('strong', null, L('请先改正：', 'Please fix:')), h('ul', { class: 'error-list' }, problems.map((p) => h('li', null, p)))));
      return null;
    }
    try {
      const saved = await api.updateScenario(scenario.id, { name: name.value.trim() || scenario.name, policy: patch, locks: l.locks, use_baseline: baseline.checked() });
      mount(status, notice('ok', L(`已保存（${dateTime(saved.updated_at)}）`, `Saved (${dateTime(saved.updated_at)})`)));
      picker.rename(saved.id, saved.name);
      void budget.refresh();
      // A copied note is cleared by the server once the policy or locks differ from the original's.
      notes.update(saved);
      return saved;
    } catch (err) {
      mount(status, errorView(err));
      return null;
    }
  };

  const runButton = h('button', { class: 'btn btn-primary btn-large', 'data-testid': 'run-start', disabled: !can('edit') }, L('保存并求解', 'Save and solve'));
  runButton.addEventListener('click', () => void (async () => {
    runButton.disabled = true;
    if (!readOnly && !(await save())) { runButton.disabled = false; return; }
    try {
      const run = await api.startRun(scenario.id);
      await followRun(runPanel, run.id, ctx.signal, () => { runButton.disabled = false; void refreshHistory(); });
    } catch (err) {
      mount(runPanel, errorView(err));
      runButton.disabled = false;
    }
  })());

  const history = h('div', { class: 'runs-history' });
  const runCols: Column<Run>[] = [
    { label: '#', cell: (r) => r.id, sort: (r) => r.id, num: true },
    { label: L('状态', 'Status'), cell: (r) => pill(runStatusLabel(r.status), r.status === 'done' ? 'ok' : r.status === 'running' || r.status === 'queued' ? 'info' : 'bad') },
    { label: L('交流', 'Rotated'), cell: (r) => int(r.summary?.rotated), num: true },
    { label: L('基准', 'Baseline'), cell: (r) => (r.baseline_run_id === null ? h('span', { class: 'muted' }, '—') : `#${r.baseline_run_id}`) },
    { label: L('完成时间', 'Finished'), cell: (r) => dateTime(r.finished_at) },
    { label: '', cell: (r) => (r.status === 'done' ? h('a', { href: href('flows', { run: r.id }) }, L('流向', 'Flows')) : null) },
  ];
  const refreshHistory = async () => {
    const rs = await api.runs({ scenario_id: scenario.id });
    if (ctx.signal.aborted) return;
    mount(history, dataTable(runCols, rs.slice(0, 8), { empty: L('尚未求解', 'Not solved yet') }).el);
    baseline.update(rs);
  };
  mount(history, dataTable(runCols, runs.slice(0, 8), { empty: L('尚未求解', 'Not solved yet') }).el);

  const picker = scenarioPicker(list, scenario.id);
  const newButton = can('edit') ? h('button', { class: 'btn', 'data-testid': 'scenario-new', onclick: () => void api.createScenario({ dataset_id: ds.id, name: L(`方案 ${list.length + 1}`, `Scenario ${list.length + 1}`) }).then((s) => navigate('scenario', { id: s.id }), (e: unknown) => mount(status, errorView(e))) }, L('新建方案', 'New scenario')) : null;
  const copy = () => void api.copyScenario(scenario.id).then((s) => navigate('scenario', { id: s.id }), (e: unknown) => mount(status, errorView(e)));
  const copyButton = can('edit') ? h('button', { class: 'btn', 'data-testid': 'scenario-copy', onclick: copy }, L('复制方案', 'Copy')) : null;
  // A frozen scenario cannot be solved again: its one way forward is a copy, offered where the solve button was.
  const solveActions = frozen
    ? [h('p', { class: 'muted small' }, L('已采纳的方案不能再求解。复制后可修改参数并求解，原方案和已采纳的结果保持不变。', 'An adopted scenario cannot be solved again. Copy it to change the parameters and solve; the original and the adopted result stay as they are.')),
      can('edit') ? h('button', { class: 'btn btn-primary btn-large', 'data-testid': 'scenario-copy-new', onclick: copy }, L('复制为新方案', 'Copy as a new scenario')) : null]
    : [readOnly ? null : h('button', { class: 'btn', onclick: () => void save(), 'data-testid': 'scenario-save' }, L('仅保存', 'Save only')), ' ', runButton];
  const fieldCount = ALL_FIELDS.length;

  mount(root,
    pageHeader(L('方案', 'Scenario'), L(`数据集 #${ds.id} ${ds.name} · 共 ${list.length} 个方案`, `Dataset #${ds.id} ${ds.name} · ${list.length} scenario(s)`), picker.el, newButton, copyButton),
    frozen ? notice('info', h('span', { 'data-testid': 'scenario-frozen' }, L(`该方案的运行 #${scenario.adopted_run_id} 已被采纳，方案已冻结：只能查看，或复制为新方案后修改。`, `Run #${scenario.adopted_run_id} of this scenario was adopted; the scenario is frozen: view it, or copy it as a new scenario to change it.`))) : null,
    h('div', { class: 'layout-side' },
      h('div', { class: 'stack' },
        card(L('政策参数', 'Policy parameters'),
          h('div', { class: 'name-row' }, h('label', { class: 'inline-field grow' }, h('span', null, L('方案名称', 'Scenario name')), name),
            h('span', { class: 'muted small' }, L(`共 ${fieldCount} 项参数；黄色底色 = 与默认值不同`, `${fieldCount} parameters; amber = differs from the default`))),
          h('div', { class: 'inline-field notes-field' }, h('span', null, L('方案备注', 'Notes')), notes.el),
          form),
        card(L('人工锁定', 'Locks'), h('p', { class: 'muted small' }, L('锁定优先于优化：留任的教师不交流，指定去向的教师按指定交流。每条锁定须写明理由，供审计。', 'Locks override the optimizer: stay means never moves; move means goes exactly there. Every lock needs a reason, for the audit.')), locks.el)),
      h('aside', { class: 'stack sticky' },
        card(L('求解', 'Solve'), baseline.el, status, solveActions, runPanel,
          h('p', { class: 'muted small' }, h('a', { href: href('tradeoff', { scenario: scenario.id }), 'data-testid': 'goto-tradeoff' }, L('多交流能换来什么？看本方案的权衡曲线 →', 'What would more rotation buy? See this scenario\'s trade-off →')))),
        card(L('本方案的运行', 'Runs of this scenario'), history))));

  void budget.refresh();
  const active = runs.find((r) => r.status === 'queued' || r.status === 'running');
  if (active) await followRun(runPanel, active.id, ctx.signal, () => void refreshHistory());
}
