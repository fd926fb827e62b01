// What the plan's moves carry besides the head count (issue 11), as the auditor checks it: the
// posts that move with a transfer (支教 and 走教 keep the home post), the 走教 shares in posts,
// moves within and across 学区/集团, the career conditions teachers gain, leaders apart from
// teachers, and schools meeting all three teacher indicators before → after. Each line with its
// numerator and denominator, per county. Then the class-size and school-size caps, which no
// rotation changes: the schools failing them, with their numbers.
import type { AuditDocument } from '../api.ts';
import { type Child, card, h, pill } from '../dom.ts';
import { decimal, int, num, pct } from '../format.ts';
import { L, modeLabel, stageLabel } from '../i18n.ts';
import { countyBlocks } from './audit-record.ts';
import { capsStandard, capsSummary } from './caps.ts';

type Counts = AuditDocument['counts'];
type CapRow = AuditDocument['school_caps']['schools'][number];

/** One line: its key (data-row), label, numerator, denominator and the value they make. */
interface Line { key: string; label: string; n: string; d: string; value: Child }

const ratio = (n: number, d: number) => (d > 0 ? pct(n / d) : '—');

function lines(c: Counts, doc: AuditDocument): Line[] {
  const itinerant = c.by_mode.find((m) => m.mode === 'itinerant')?.rotated ?? 0;
  const { rural_year: rural, second_school: second } = c.careers;
  const all = c.school_lines.meeting_all;
  const stages = c.school_lines.school_stages;
  const l = c.leaders;
  const roles = L(`校长 ${int(l.principal)} · 副校长 ${int(l.vice_principal)} · 中层 ${int(l.middle_manager)}`,
    `principals ${int(l.principal)} · vice-principals ${int(l.vice_principal)} · middle managers ${int(l.middle_manager)}`);
  return [
    { key: 'posts', label: L(`带编调动（编制随人走；${modeLabel('support')}、${modeLabel('itinerant')}编制留在原校）÷ 交流人数`, `Posts moved: transfers (the post moves; ${modeLabel('support')} and ${modeLabel('itinerant')} keep it at home) ÷ moves`),
      n: int(c.transfers), d: int(c.rotated), value: ratio(c.transfers, c.rotated) },
    { key: 'itinerant_fte', label: L('走教岗位份额合计（每人在受援校的份额之和）÷ 走教人数', 'Itinerant shares served, in posts (Σ share at the served school) ÷ itinerant teachers'),
      n: decimal(c.itinerant_fte), d: int(itinerant), value: L(`${decimal(c.itinerant_fte)} 个岗位`, `${decimal(c.itinerant_fte)} posts`) },
    { key: 'within_cluster', label: L('学区/集团内交流 ÷ 交流人数', 'Moves within the 学区/集团 ÷ moves'), n: int(c.within_cluster), d: int(c.rotated), value: ratio(c.within_cluster, c.rotated) },
    { key: 'cross_cluster', label: L('跨学区/集团交流 ÷ 交流人数', 'Moves across 学区/集团 ÷ moves'), n: int(c.cross_cluster), d: int(c.rotated), value: ratio(c.cross_cluster, c.rotated) },
    { key: 'rural_year', label: L('一级教师取得申报高级职称所需的乡村/薄弱学校任教经历 ÷ 尚缺此经历的一级教师', 'First-grade (一级) teachers gaining the rural/weak-school year the senior title needs ÷ those lacking it'),
      n: int(rural.gained), d: int(rural.needing), value: ratio(rural.gained, rural.needing) },
    { key: 'second_school', label: L(`校长、高级职称、名师人选取得第${doc.policy.careers.minSchoolsWorked}所学校经历 ÷ 尚缺的人选`, `Candidates for principal, senior title or 名师 reaching ${doc.policy.careers.minSchoolsWorked} schools ÷ candidates short of them`),
      n: int(second.gained), d: int(second.needing), value: ratio(second.gained, second.needing) },
    { key: 'leaders', label: L('学校领导交流（与教师分开统计）÷ 交流人数', 'Leaders rotated (counted apart from teachers) ÷ moves'), n: int(l.leaders), d: int(c.rotated), value: roles },
    { key: 'teachers', label: L('教师交流（不含学校领导）÷ 交流人数', 'Teachers rotated (leaders apart) ÷ moves'), n: int(l.teachers), d: int(c.rotated), value: ratio(l.teachers, c.rotated) },
    { key: 'meeting_all_before', label: L('三项教师指标全部达标的学校（学段）÷ 有学生的学校（学段）：交流前', 'Schools (per stage) meeting all three teacher indicators ÷ schools with students: before'),
      n: int(all.before), d: int(stages), value: ratio(all.before, stages) },
    { key: 'meeting_all_after', label: L('三项教师指标全部达标的学校（学段）÷ 有学生的学校（学段）：交流后', 'Schools (per stage) meeting all three teacher indicators ÷ schools with students: after'),
      n: int(all.after), d: int(stages), value: ratio(all.after, stages) },
  ];
}

export function carriersCard(doc: AuditDocument): HTMLElement {
  const { blocks, multi } = countyBlocks(doc);
  const middle = doc.policy.leaders.middleManagersAsLeaders;
  return card(L('交流方式、载体与成效', 'Kinds of move, carriers and what they bring'),
    h('p', { class: 'muted small' }, L(
      `调动时编制随人走，支教、走教的编制留在原校；走教按份额计入受援校。学区/集团以调出学校所属为准。学校领导为校长、副校长${middle ? '及中层' : '（中层按教师统计）'}。达标 = 每百名学生高于规定学历、骨干、体育艺术教师三项均达到标准线。`,
      `A transfer moves the post; 支教 and 走教 keep it at home, and 走教 counts at the served school for its share. Clusters are the origin school's. Leaders are principals and vice-principals${middle ? ' and middle managers' : ' (middle managers count as teachers)'}. Meeting = above-degree, backbone and PE & art teachers per 100 students all at their thresholds.`)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'audit-carriers' },
      h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('项目', 'Measure')),
        h('th', { class: 'num' }, L('分子', 'Numerator')), h('th', { class: 'num' }, L('分母', 'Denominator')), h('th', null, L('结果', 'Value')))),
      h('tbody', null, blocks.flatMap(({ label, c }) => lines(c, doc).map((x) => h('tr', { 'data-row': x.key, 'data-county': label },
        multi ? h('td', null, label) : null, h('td', null, x.label), h('td', { class: 'num' }, x.n), h('td', { class: 'num' }, x.d), h('td', { class: 'strong' }, x.value))))))));
}

/** The class-size and school-size caps: how many schools fail each, and each failing school with its numbers. */
export function capsCard(doc: AuditDocument): HTMLElement {
  const rows = doc.school_caps.schools;
  const multi = new Set(rows.map((r) => r.county)).size > 1;
  const failing = rows.flatMap((r) => [
    ...(r.school_size_ok ? [] : [{ r, cap: 'school_size', what: L('学校规模', 'School size'), actual: int(r.students), max: int(r.max_students) }]),
    ...r.class_size.filter((c) => c.ok === false).map((c) => ({ r, cap: `class_size_${c.stage}`, what: L(`平均班额（${stageLabel(c.stage)}，${int(c.students)}人 ÷ ${int(c.classes)}班）`, `Average class (${stageLabel(c.stage)}, ${int(c.students)} ÷ ${int(c.classes)} classes)`),
      actual: num(c.average, 1), max: int(c.max) })),
  ]);
  return card(L('班额与学校规模', 'Class size and school size'),
    h('p', { class: 'muted small', 'data-testid': 'caps-summary' }, capsStandard(), L('交流只调整教师，不改变这两项。', ' Rotation moves teachers only and changes neither. '), capsSummary(rows)),
    failing.length === 0 ? pill(L('全部学校符合', 'Every school within the caps'), 'ok')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'caps-failing' },
        h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('学校', 'School')), h('th', null, L('项目', 'Cap')),
          h('th', { class: 'num' }, L('实际', 'Actual')), h('th', { class: 'num' }, L('上限', 'Limit')))),
        h('tbody', null, failing.map(({ r, cap, what, actual, max }) => h('tr', { class: 'row-fail', 'data-school': r.school_id, 'data-cap': cap },
          multi ? h('td', null, r.county) : null, h('td', null, r.school_name ?? r.school_id, h('span', { class: 'mono small muted' }, ` ${r.school_id}`)),
          h('td', null, what), h('td', { class: 'num' }, actual), h('td', { class: 'num' }, max)))))));
}
