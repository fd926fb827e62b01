// 竞聘 Rounds: one 县管校聘 appointment cycle for a scenario (issue 12) — 校内竞聘 → 跨校竞聘 →
// 组织调剂 → the county pool. Planners run it straight through or stop after round 1 or 2,
// download rounds.csv, edit it and go on; everyone sees per round who took part, was placed,
// passed on or went to the pool, the round's share of the rotation and checks, and the final
// plan's audit verdict. The numbers are the server's (rounds.json); the page only lays them out.
import { ApiError, api, downloads, type RoundsView, type School } from '../api.ts';
import { type Tone, card, filePicker, h, mount, notice, pill, select } from '../dom.ts';
import { dateTime, int, pct } from '../format.ts';
import { L } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, replaceQuery } from '../router.ts';
import { can, schoolIndex, schoolsOf } from '../store.ts';
import { dataTable } from '../table.ts';
import { emptyState, errorTable, errorView, loading, pageHeader, pageScenario } from '../widgets.ts';
import { historyCards } from './history-cards.ts';

type Stop = 1 | 2 | 3;
type Row = RoundsView['rows'][number];
type Summary = RoundsView['rounds'][number];

const ROUND_LABEL: Record<Stop, [string, string]> = { 1: ['校内竞聘', 'In-school competition'], 2: ['跨校竞聘', 'Cross-school competition'], 3: ['组织调剂', 'Organised assignment'] };
const roundLabel = (n: number) => L(`第${n}轮 ${ROUND_LABEL[n as Stop][0]}`, `Round ${n}: ${ROUND_LABEL[n as Stop][1]}`);
const outcomeLabel = (r: Row) => (r.outcome === 'placed' ? L('上岗', 'Placed') : r.outcome === 'pool' ? L('待岗/培训（蓄水池）', 'County pool') : L('落聘，转入下一轮', 'Unplaced, passed on'));
const outcomeTone = (r: Row): Tone => (r.outcome === 'placed' ? 'ok' : r.outcome === 'pool' ? 'warn' : 'muted');

function verdict(r: RoundsView): HTMLElement {
  const el = r.audit_ok === null
    ? notice('info', L(`已在第${r.stop_after}轮后停止：尚无全周期方案，可下载 rounds.csv 修改后上传继续，或直接继续。`, `Stopped after round ${r.stop_after}: no final plan yet. Download rounds.csv, edit it and go on, or go on as it is.`))
    : notice(r.audit_ok ? 'ok' : 'bad', h('strong', null, r.audit_ok ? L('全周期方案审核通过', 'The final plan passes the audit') : L('全周期方案审核未通过', 'The final plan fails the audit')),
      ' ', h('a', { href: downloads.roundsPlanCsv(r.scenario_id), download: '' }, L('下载 plan.csv', 'Download plan.csv')));
  el.dataset.testid = 'rounds-verdict';
  el.dataset.audit = String(r.audit_ok);
  return el;
}

/** Per county and round the server's counts; the share of the cycle's rotation is this round's counted moves over all rounds'. */
function summaryTable(rounds: readonly Summary[]): HTMLElement {
  const many = new Set(rounds.map((s) => s.county)).size > 1;
  const total = (county: string) => rounds.filter((s) => s.county === county).reduce((a, s) => a + s.counted, 0);
  const th = (zh: string, en: string, num = true) => h('th', num ? { class: 'num' } : null, L(zh, en));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'rounds-summary' },
    h('thead', null, h('tr', null, many ? th('县区', 'County', false) : null, th('轮次', 'Round', false), th('参加', 'Took part'), th('上岗', 'Placed'),
      th('转入下一轮 / 进入蓄水池', 'Passed on / to pool'), th('交流（计入比例）', 'Rotated (counted)'), th('其中骨干', 'Of them backbone'),
      th('占符合条件教师', 'Share of eligible'), th('占本周期交流', 'Share of the rotation'), th('本轮检查', 'Checks', false))),
    h('tbody', null, rounds.map((s) => {
      const all = total(s.county);
      const failed = s.checks.filter((c) => !c.ok);
      return h('tr', { 'data-round': s.round, 'data-county': s.county },
        many ? h('td', null, s.county) : null, h('td', null, roundLabel(s.round)),
        h('td', { class: 'num', 'data-k': 'entered' }, int(s.entered)), h('td', { class: 'num', 'data-k': 'placed' }, int(s.placed)),
        h('td', { class: 'num', 'data-k': 'left' }, `${int(s.left)} ${s.round === 3 ? L('（蓄水池）', '(pool)') : L('（下一轮）', '(next round)')}`),
        h('td', { class: 'num', 'data-k': 'counted' }, int(s.counted)), h('td', { class: 'num' }, int(s.backbone)),
        h('td', { class: 'num', 'data-k': 'share' }, pct(s.share_of_eligible)), h('td', { class: 'num' }, all > 0 ? pct(s.counted / all) : '—'),
        h('td', { title: failed.map((c) => `${c.name}：${c.details.slice(0, 3).join('；')}`).join('\n') },
          s.ok ? pill(L('通过', 'Pass'), 'ok') : pill(L(`未通过 ${failed.map((c) => c.id).join('、')}`, `Failed: ${failed.map((c) => c.id).join(', ')}`), 'bad')));
    }))));
}

function roundTable(round: Stop, rows: readonly Row[], schools: Map<string, School>): HTMLElement {
  const school = (id: string) => (id === '' ? '—' : `${id} ${schools.get(id)?.name ?? ''}`.trim());
  const to = (r: Row) => (r.outcome === 'placed' ? school(r.to_school_id) : r.outcome === 'pool' ? L('蓄水池', 'County pool') : L('—（转入下一轮）', '— (next round)'));
  return dataTable<Row>([
    { label: L('教师', 'Teacher'), cell: (r) => `${r.teacher_id} ${r.name}`, sort: (r) => r.teacher_id },
    { label: L('考核分数', 'Score'), cell: (r) => r.assessment_score ?? '—', sort: (r) => r.assessment_score ?? null, num: true },
    { label: L('原学校', 'From'), cell: (r) => school(r.from_school_id), sort: (r) => r.from_school_id },
    { label: L('去向', 'To'), cell: to, sort: (r) => r.to_school_id },
    { label: L('结果', 'Outcome'), cell: (r) => pill(outcomeLabel(r), outcomeTone(r)), sort: (r) => r.outcome },
    // The solver words the reasons in Chinese (rounds.csv as the CLI writes it).
    { label: L('理由', 'Reason (as in rounds.csv)'), cell: (r) => h('span', { class: 'muted' }, r.reason) },
  ], rows, { pageSize: 15, testid: `round-table-${round}`, empty: L('本轮没有教师', 'Nobody in this round') }).el;
}

function resultView(r: RoundsView, schools: Map<string, School>): HTMLElement {
  const rounds = ([1, 2, 3] as const).filter((n) => r.rows.some((x) => x.round === n));
  return h('div', { class: 'stack', 'data-testid': 'rounds-result', 'data-id': r.id, 'data-stop': r.stop_after },
    verdict(r),
    card(L(`各轮人数（#${r.id}，${dateTime(r.created_at)}${r.from_round > 0 ? `，自第${r.from_round}轮后继续` : ''}）`, `Each round (#${r.id}, ${dateTime(r.created_at)}${r.from_round > 0 ? `, gone on after round ${r.from_round}` : ''})`),
      summaryTable(r.rounds)),
    // With a history.csv: who returns home this year, and the checks over the history and the final plan.
    historyCards(r, schools),
    rounds.map((n) => card(roundLabel(n), roundTable(n, r.rows.filter((x) => x.round === n), schools))));
}

export async function renderRounds(root: HTMLElement, ctx: PageContext): Promise<void> {
  const picked = await pageScenario(root, ctx.route.query, {
    data: ['请先在“数据”页导入学校、教师和竞聘志愿（applications.csv）。', 'Import schools, teachers and applications.csv on the Data page first.'],
    scenario: ['竞聘按方案的政策参数进行，请先在“方案”页建立方案。', 'The rounds use a scenario\'s policy: create one on the Scenario page first.'],
  });
  if (!picked) return;
  const { ds, list, scenarioId } = picked;
  replaceQuery({ scenario: scenarioId });
  const [stored, schools] = await Promise.all([
    api.rounds(scenarioId).catch((err: unknown) => { if (err instanceof ApiError && err.status === 404) return null; throw err; }),
    schoolsOf(ds.id).then(schoolIndex),
  ]);
  if (ctx.signal.aborted) return;
  let result = stored;

  const status = h('div', { 'data-testid': 'rounds-status' });
  const view = h('div');
  const stop = select<'1' | '2' | '3'>([
    { value: '3', label: L('运行全部三轮', 'All three rounds') }, { value: '1', label: L('第1轮后停止', 'Stop after round 1') }, { value: '2', label: L('第2轮后停止', 'Stop after round 2') },
  ], '3', () => undefined, { 'aria-label': L('运行到', 'Run to'), 'data-testid': 'rounds-stop' });
  const picker = filePicker(L('选择修改后的 rounds.csv…', 'Choose an edited rounds.csv…'), L('未选择文件', 'No file chosen'), { accept: '.csv', 'data-testid': 'rounds-file' });
  const buttons: HTMLButtonElement[] = [];
  const button = (zh: string, en: string, testid: string, primary: boolean, call: () => Promise<RoundsView>) => {
    const b = h('button', { class: `btn${primary ? ' btn-primary' : ''}`, 'data-testid': testid, disabled: !can('edit') }, L(zh, en));
    b.addEventListener('click', () => void go(call));
    buttons.push(b);
    return b;
  };
  const draw = () => {
    mount(view, result ? resultView(result, schools)
      : emptyState(L('该方案还没有竞聘结果', 'No rounds for this scenario yet'), can('edit') ? L('选择运行到第几轮，点击“运行”。', 'Choose how far to go and click “Run”.') : L('请规划员运行。', 'Ask a planner to run them.')));
    // style, not the hidden attribute: .btn's display would override it.
    goOn.style.display = !result || result.stop_after >= 3 ? 'none' : '';
    download.style.display = result ? '' : 'none';
  };
  async function go(call: () => Promise<RoundsView>) {
    for (const b of buttons) b.disabled = true;
    mount(status, notice('info', loading(L('正在运行竞聘轮次（第3轮求解可能需要几秒到几分钟）…', 'Running the rounds (round 3 solves; seconds to minutes)…'))));
    try {
      result = await call();
      if (ctx.signal.aborted) return;
      mount(status);
      draw();
    } catch (err) {
      if (ctx.signal.aborted) return;
      mount(status, err instanceof ApiError && err.errors.length > 0
        ? notice('bad', h('strong', null, L(`修改后的表有 ${err.errors.length} 处错误，未保存任何内容。`, `The edited table has ${err.errors.length} error(s); nothing was stored.`)), errorTable(err.errors))
        : errorView(err));
    } finally {
      for (const b of buttons) b.disabled = !can('edit');
    }
  }
  const stopValue = () => Number(stop.value) as Stop;
  const run = button('运行', 'Run', 'rounds-run', true, () => api.runRounds(scenarioId, stopValue()));
  const goOn = button('从已保存的结果继续', 'Go on from the stored result', 'rounds-go-on', false, () => api.runRounds(scenarioId, Math.max(stopValue(), (result?.stop_after ?? 0) + 1) as Stop, true));
  const upload = button('上传并继续', 'Upload and go on', 'rounds-upload', false, async () => {
    const file = picker.input.files?.[0];
    if (!file) throw new Error(L('请选择修改后的 rounds.csv。', 'Choose the edited rounds.csv.'));
    return api.roundsFromEdited(scenarioId, file, stopValue());
  });
  const download = h('a', { class: 'btn', href: downloads.roundsCsv(scenarioId), download: '', 'data-testid': 'rounds-download' }, L('下载 rounds.csv', 'Download rounds.csv'));
  const scenarioPicker = select(list.map((s) => ({ value: String(s.id), label: `#${s.id} ${s.name}` })), String(scenarioId), (v) => navigate('rounds', { scenario: v }), { 'aria-label': L('方案', 'Scenario'), 'data-testid': 'rounds-scenario' });
  mount(root,
    pageHeader(L('竞聘', 'Rounds'), L('县管校聘的一个聘用周期：校内竞聘 → 跨校竞聘（按竞聘志愿） → 组织调剂（优化求解） → 未上岗者进入蓄水池（待岗/培训）。', 'One appointment cycle: in-school competition → cross-school competition (by applications) → organised assignment (the optimiser) → whoever is left goes to the county pool.'),
      scenarioPicker, stop, run, goOn, download),
    can('edit') ? h('div', { class: 'form-row no-print' }, picker.el, upload,
      h('span', { class: 'muted' }, L('修改第1（和第2）轮的表后上传，从其后一轮继续；整表校验，任一行有误不保存。', 'Edit rounds 1 (and 2), upload, and the next round goes on from it; checked whole, nothing stored on an error.'))) : null,
    status, view);
  draw();
}
