// 教师 Teacher: one teacher — county and eligibility with its reason (the solver's own rule code,
// with the run's policy), where the plan sends them and why, or why they stay (the run's own
// stay reason, in English derived from the stored Chinese), and the commute before and after.
import { assessEligibility } from '../../../solver/policy/eligibility.ts';
import type { StayReasons } from '../../../solver/report/stay-reasons.ts';
import { stayReasonEn } from '../../../solver/report/stay-reasons-en.ts';
import { api, type Report, type School, type Teacher } from '../api.ts';
import { LOCALE_COLOR } from '../charts/palette.ts';
import { card, h, mount, notice, pill } from '../dom.ts';
import { per100 } from '../format.ts';
import {
  L, backboneLabel, degreeLabel, eligibilityLabel, genderLabel, lang, localeLabel, modeLabel, roleLabel, stageLabel, subjectLabel, titleLabel,
} from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, navigate } from '../router.ts';
import { currentDataset, datasetDetail, pickRun, resultOf, schoolIndex, schoolsOf, teachersOf } from '../store.ts';
import { emptyState, pageHeader, runPicker } from '../widgets.ts';
import { commuteView } from './teacher-commute.ts';

const schoolTag = (s: School | undefined, id: string) => h('span', { class: 'school-tag' },
  h('span', { class: 'dot-inline', style: `--c:${s ? LOCALE_COLOR[s.locale] ?? '#888' : '#888'}` }), s?.name ?? id,
  s ? h('span', { class: 'muted small' }, ` ${localeLabel(s.locale)}${s.weak ? L('·薄弱', ' · weak') : ''}`) : null);

function finder(teachers: readonly Teacher[], run: number | undefined): HTMLElement {
  const input = h('input', { type: 'search', placeholder: L('输入教师编号或姓名', 'Teacher ID or name'), class: 'search', 'data-testid': 'teacher-find' });
  const list = h('ul', { class: 'finder-list' });
  input.addEventListener('input', () => {
    const q = input.value.trim();
    const hits = q ? teachers.filter((t) => t.id.includes(q) || t.name.includes(q)).slice(0, 20) : [];
    mount(list, hits.map((t) => h('li', null, h('a', { href: href('teacher', { run }, t.id) }, `${t.id} ${t.name}`))));
  });
  return card(L('查找教师', 'Find a teacher'), input, list);
}

/** The destination's indicators for the teacher's stage, before and after the plan. */
function destinationEffect(report: Report, schoolId: string, stage: string): HTMLElement | null {
  const row = report.indicators.schools.find((s) => s.school_id === schoolId && s.stage === stage);
  if (!row) return null;
  const line = (zh: string, en: string, b: number | null, a: number | null, ok: boolean | null) => h('tr', null,
    h('td', null, L(zh, en)), h('td', { class: 'num' }, per100(b)), h('td', { class: 'num' }, per100(a)), h('td', null, ok === null ? '—' : pill(ok ? L('达标', 'met') : L('未达标', 'not met'), ok ? 'ok' : 'warn')));
  return h('table', { class: 'data compact' },
    h('thead', null, h('tr', null, h('th', null, L(`调入学校${stageLabel(stage)}（每百名学生）`, `Destination, ${stageLabel(stage)} (per 100 students)`)), h('th', { class: 'num' }, L('交流前', 'Before')), h('th', { class: 'num' }, L('交流后', 'After')), h('th', null, L('标准', 'Threshold')))),
    h('tbody', null,
      line('高于规定学历教师', 'Above-degree teachers', row.before.above_degree_per100, row.after.above_degree_per100, row.after.above_degree_ok),
      line('骨干教师', 'Backbone teachers', row.before.backbone_per100, row.after.backbone_per100, row.after.backbone_ok),
      line('体育艺术教师', 'PE & art teachers', row.before.pe_art_per100, row.after.pe_art_per100, row.after.pe_art_ok)));
}

/** The run's own stay reason (report.json `stay_reasons`, worded by the solver with its numbers). */
function whyStay(t: Teacher, report: Report & { stay_reasons?: StayReasons }, mayMove: boolean, reason: string): HTMLElement {
  if (!mayMove) return h('p', null, L(`不符合交流条件，也未申请自愿交流：${reason}。`, `Not eligible and not a volunteer: ${reason}.`));
  // Runs finished before stay reasons were recorded have none: say so rather than guess.
  const why = report.stay_reasons?.[t.id];
  if (why === undefined) return h('p', { class: 'reason-text', 'data-testid': 'teacher-stay-reason' }, L('本次运行未记录留任理由（请重新运行方案）。', 'This run did not record stay reasons (run the plan again).'));
  // A sentence the translation does not know yet shows in the solver's Chinese rather than not at all.
  const text = lang() === 'zh' ? why : stayReasonEn(why, { subject: subjectLabel, stage: stageLabel }) ?? why;
  return h('p', { class: 'reason-text', 'data-testid': 'teacher-stay-reason', 'data-zh': why }, text);
}

export async function renderTeacher(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const [{ runs, run }, teachers, schools, dsDetail] = await Promise.all([pickRun(ds.id, ctx.route.query.get('run')), teachersOf(ds.id), schoolsOf(ds.id), datasetDetail(ds.id)]);
  if (ctx.signal.aborted) return;
  const t = teachers.find((x) => x.id === ctx.route.arg);
  const picker = runs.length > 0 ? runPicker(runs, run?.id, (id) => navigate('teacher', { run: id }, t?.id)) : null;
  if (!t) {
    mount(root, pageHeader(L('教师', 'Teacher'), L('查看一位教师的交流资格、去向及理由。', 'One teacher: eligibility, destination and why.'), picker),
      ctx.route.arg ? notice('warn', L(`名册中没有编号为 ${ctx.route.arg} 的教师。`, `No teacher ${ctx.route.arg} in the roster.`)) : null, finder(teachers, run?.id));
    return;
  }
  const [detail, result] = run ? await Promise.all([api.run(run.id), resultOf(run.id)]) : [null, null];
  if (ctx.signal.aborted) return;
  const policy = detail?.inputs.policy ?? dsDetail.policy;
  const e = assessEligibility(t, policy);
  const bySchool = schoolIndex(schools);
  const home = bySchool.get(t.school_id);
  const row = result?.plan.find((p) => p.teacher_id === t.id);
  const reason = lang() === 'zh' ? e.reason : e.reasonEn;

  const facts = h('dl', { class: 'facts facts-2' },
    h('dt', null, L('县区', 'County')), h('dd', { 'data-testid': 'teacher-county' }, home?.county || '—'),
    h('dt', null, L('现任学校', 'School')), h('dd', null, schoolTag(home, t.school_id)),
    h('dt', null, L('任教学段 / 学科', 'Stage / subject')), h('dd', null, `${stageLabel(t.stage)} · ${subjectLabel(t.subject)}${t.extra_subjects.length ? L(`（兼 ${t.extra_subjects.map(subjectLabel).join('、')}）`, ` (also ${t.extra_subjects.map(subjectLabel).join(', ')})`) : ''}`),
    h('dt', null, L('性别 / 年龄', 'Sex / age')), h('dd', null, `${genderLabel(t.gender)} · ${policy.year - t.birth_year} ${L('岁', 'yrs')}`),
    h('dt', null, L('本校任教年限', 'Years at school')), h('dd', null, String(t.years_at_school)),
    h('dt', null, L('岗位', 'Role')), h('dd', null, roleLabel(t.role)),
    h('dt', null, L('骨干级别', 'Backbone')), h('dd', null, backboneLabel(t.backbone)),
    h('dt', null, L('职称 / 学历', 'Title / degree')), h('dd', null, `${titleLabel(t.title)} · ${degreeLabel(t.degree)}`),
    h('dt', null, L('农村薄弱校年限 / 任职学校数', 'Rural/weak yrs / schools'), ''), h('dd', null, `${t.rural_weak_years} · ${t.schools_worked}`),
    h('dt', null, L('在编 / 自愿交流', 'Establishment / volunteer')), h('dd', null, `${t.on_establishment ? L('在编', 'on') : L('不在编', 'off')} · ${t.volunteer ? L('自愿', 'volunteer') : L('否', 'no')}`));

  let plan: HTMLElement;
  if (!run || !detail || !result) plan = notice('info', L('还没有求解结果。', 'No finished run yet.'));
  else if (row) {
    const to = bySchool.get(row.to_school_id);
    plan = h('div', { 'data-testid': 'teacher-move' },
      h('div', { class: 'move-line' }, schoolTag(home, row.from_school_id), h('span', { class: 'move-arrow' }, '→'), schoolTag(to, row.to_school_id), pill(modeLabel(row.mode), 'info')),
      h('h3', null, L('理由', 'Why')), h('p', { class: 'reason-text', 'data-testid': 'teacher-reason' }, row.reason || '—'),
      destinationEffect(result.report, row.to_school_id, t.stage),
      h('p', null, h('a', { href: href('flows', { run: run.id, school: row.to_school_id }) }, L('在流向图上查看调入学校 →', 'See the destination on the flow map →'))));
  } else {
    plan = h('div', { 'data-testid': 'teacher-stays' }, h('p', null, h('strong', null, L('本方案中留任原校。', 'Stays at the current school in this plan.'))),
      h('h3', null, L('为何留任', 'Why they stay')), whyStay(t, result.report, e.mayMove, reason));
  }

  mount(root,
    pageHeader(`${t.name}`, `${t.id} · ${home?.county ? `${home.county} · ` : ''}${home?.name ?? t.school_id}`, picker),
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' },
        card(L('基本信息', 'Profile'), facts),
        card(L('通勤距离', 'Commute'), commuteView(t, home, row ? bySchool.get(row.to_school_id) : null, policy.limits.maxCommuteKm))),
      h('div', { class: 'stack' },
        card(L('交流资格', 'Eligibility'),
          h('p', null, pill(e.mayMove && !e.eligible ? eligibilityLabel('volunteer') : eligibilityLabel(e.status), e.eligible ? 'ok' : e.mayMove ? 'info' : 'muted')),
          h('p', { class: 'reason-text', 'data-testid': 'teacher-eligibility' }, reason),
          h('p', { class: 'muted small' }, L(`依据：本校任教满 ${policy.eligibility.teacherYearsAtSchool} 年（校长 ${policy.eligibility.leaderYearsAtSchool} 年），男 < ${policy.eligibility.maxAge.M} 岁、女 < ${policy.eligibility.maxAge.F} 岁，在编且无暂缓事由（教师〔2014〕4号）。`,
            `Rule: ≥ ${policy.eligibility.teacherYearsAtSchool} yrs at the school (${policy.eligibility.leaderYearsAtSchool} for principals), men < ${policy.eligibility.maxAge.M}, women < ${policy.eligibility.maxAge.F}, on establishment, not deferred.`))),
        card(run ? L(`运行 #${run.id} 中的去向`, `In run #${run.id}`) : L('去向', 'Destination'), plan))));
}
