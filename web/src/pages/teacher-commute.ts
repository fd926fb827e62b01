// The teacher's commute on the teacher page: home → current school and home → the school the
// plan sends them to, in km, measured with the very function the commute rule uses
// (solver/policy/county.ts homeDistanceKm: great-circle distance), so the figure a teacher is
// shown is the one the limit was checked against.
import { homeDistanceKm } from '../../../solver/policy/county.ts';
import type { School, Teacher } from '../api.ts';
import { h } from '../dom.ts';
import { decimal } from '../format.ts';
import { L } from '../i18n.ts';

const km = (x: number) => L(`${decimal(x, 1)} 公里`, `${decimal(x, 1)} km`);

/** `to`: the destination school, or null when the teacher stays. `limit`: the run's maxCommuteKm. */
export function commuteView(t: Teacher, from: School | undefined, to: School | undefined | null, limit: number | null): HTMLElement {
  // Auditors do not receive home coordinates (server/routes/datasets.ts), and files may omit them.
  if (t.home_lat === undefined || t.home_lon === undefined) {
    return h('p', { class: 'muted', 'data-testid': 'teacher-commute' }, L('未提供居住地坐标（或无权查看），无法计算通勤距离。', 'No home coordinates (or no access to them): the commute cannot be measured.'));
  }
  const before = from ? homeDistanceKm(t, from) : null;
  const after = to ? homeDistanceKm(t, to) : null;
  const over = (x: number | null) => limit !== null && x !== null && x > limit;
  const row = (label: string, school: School | undefined, x: number | null, testid: string) => h('tr', null,
    h('td', null, label), h('td', null, school?.name ?? '—'),
    h('td', { class: `num${over(x) ? ' bad-text strong' : ''}`, 'data-testid': testid, 'data-km': x === null ? '' : x.toFixed(3) }, x === null ? L('学校无坐标', 'school has no coordinates') : km(x)));
  const change = before !== null && after !== null
    ? h('p', { class: 'small' }, L(`交流后通勤${after >= before ? '增加' : '减少'} ${decimal(Math.abs(after - before), 1)} 公里。`, `The commute ${after >= before ? 'grows' : 'shrinks'} by ${decimal(Math.abs(after - before), 1)} km.`))
    : null;
  return h('div', { 'data-testid': 'teacher-commute' },
    h('table', { class: 'data compact' },
      h('thead', null, h('tr', null, h('th', null, L('居住地 →', 'Home →')), h('th', null, L('学校', 'School')), h('th', { class: 'num' }, L('直线距离', 'Distance')))),
      h('tbody', null,
        row(L('现任学校', 'Current school'), from, before, 'commute-before'),
        to ? row(L('调入学校', 'Destination'), to, after, 'commute-after') : null)),
    change,
    h('p', { class: 'muted small' }, limit === null
      ? L('本次运行未设通勤上限。距离为居住地到学校的大圆（直线）距离，与通勤规则所用的算法相同。', 'This run sets no commute limit. Distances are great-circle (straight-line) from home to school, computed as the commute rule computes them.')
      : L(`通勤上限 ${decimal(limit, 1)} 公里（limits.maxCommuteKm）。距离为居住地到学校的大圆（直线）距离，与通勤规则所用的算法相同。`, `Commute limit ${decimal(limit, 1)} km (limits.maxCommuteKm). Distances are great-circle (straight-line) from home to school, computed as the commute rule computes them.`)));
}
