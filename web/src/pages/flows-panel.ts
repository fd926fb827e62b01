// The flows page's side panel: with no school selected, the schools gaining and losing the most
// teachers; with one selected, its totals and every teacher coming in and going out (names
// load after the map, so the map never waits for the 5,000-row roster).
import type { School } from '../api.ts';
import { LOCALE_COLOR } from '../charts/palette.ts';
import { h, mount } from '../dom.ts';
import { type FlowGraph, type Move, totalsOf } from '../flows-model.ts';
import { int, signed } from '../format.ts';
import { L, backboneLabel, localeLabel, subjectLabel } from '../i18n.ts';
import { href } from '../router.ts';
import { teachersOf } from '../store.ts';

const students = (s: School) => (s.students_primary ?? 0) + (s.students_junior ?? 0);
const dot = (s: School) => h('span', { class: 'dot-inline', style: `--c:${LOCALE_COLOR[s.locale] ?? '#888'}` });

export function topSchoolsPanel(el: HTMLElement, schools: readonly School[], graph: FlowGraph, onPick: (id: string) => void): void {
  delete el.dataset.school;
  const rows = schools.map((s) => ({ s, t: totalsOf(graph, s.id) })).filter((x) => x.t.in + x.t.out > 0);
  const table = (title: string, list: typeof rows, testid: string) => h('div', { class: 'panel-block' },
    h('h3', null, title),
    h('table', { class: 'data compact', 'data-testid': testid },
      h('thead', null, h('tr', null, h('th', null, L('学校', 'School')), h('th', { class: 'num' }, L('流入', 'In')), h('th', { class: 'num' }, L('流出', 'Out')), h('th', { class: 'num' }, L('净', 'Net')))),
      h('tbody', null, list.map(({ s, t }) => h('tr', { class: 'clickable', onclick: () => onPick(s.id) },
        h('td', { class: 'ellipsis', title: s.name }, dot(s), s.name), h('td', { class: 'num' }, t.in), h('td', { class: 'num' }, t.out), h('td', { class: 'num strong' }, signed(t.in - t.out)))))));
  const gain = [...rows].sort((a, b) => b.t.in - b.t.out - (a.t.in - a.t.out)).slice(0, 8);
  const lose = [...rows].sort((a, b) => a.t.in - a.t.out - (b.t.in - b.t.out)).slice(0, 8);
  mount(el,
    h('h2', { class: 'card-title' }, L('各校流入流出', 'In and out per school')),
    h('p', { class: 'muted small' }, L('点击地图上的学校或下表中的一行，查看该校调入、调出的每位教师。', 'Click a school on the map or a row below to see each teacher coming in and going out.')),
    table(L('净流入最多', 'Largest net gain'), gain, 'top-gain'),
    table(L('净流出最多', 'Largest net loss'), lose, 'top-loss'));
}

export interface SchoolPanelInput {
  school: School;
  moves: readonly Move[];
  graph: FlowGraph;
  datasetId: number;
  runId: number;
  signal: AbortSignal;
  onClose: () => void;
}

export async function schoolPanel(el: HTMLElement, p: SchoolPanelInput): Promise<void> {
  const s = p.school;
  const t = totalsOf(p.graph, s.id);
  const incoming = p.moves.filter((m) => m.to.id === s.id);
  const outgoing = p.moves.filter((m) => m.from.id === s.id);
  const names = new Map<string, string>();
  const list = (title: string, rows: readonly Move[], other: (m: Move) => School, testid: string) => h('div', { class: 'panel-block' },
    h('h3', null, title, h('span', { class: 'count' }, rows.length)),
    rows.length === 0 ? h('p', { class: 'muted small' }, L('无', 'None')) : h('table', { class: 'data compact', 'data-testid': testid },
      h('thead', null, h('tr', null, h('th', null, L('教师', 'Teacher')), h('th', null, L('学科', 'Subject')), h('th', null, title.startsWith(L('调入', 'In')) ? L('来自', 'From') : L('去往', 'To')))),
      h('tbody', null, rows.map((m) => h('tr', null,
        h('td', null, h('a', { href: href('teacher', { run: p.runId }, m.row.teacher_id) }, names.get(m.row.teacher_id) ?? m.row.teacher_id),
          m.backbone ? h('span', { class: 'badge', title: backboneLabel(m.row.backbone) }, L('骨干', 'BB')) : null),
        h('td', null, subjectLabel(m.row.subject)),
        h('td', { class: 'ellipsis', title: other(m).name }, dot(other(m)), other(m).name))))));
  const render = () => mount(el,
    h('div', { class: 'panel-head' },
      h('h2', { class: 'card-title' }, dot(s), s.name),
      h('button', { class: 'btn btn-small btn-ghost', 'data-testid': 'panel-close', onclick: p.onClose, title: L('关闭', 'Close') }, '✕')),
    h('p', { class: 'muted small' }, [localeLabel(s.locale), s.weak ? L('薄弱学校', 'weak school') : null, s.cluster, L(`在校生 ${int(students(s))}`, `${int(students(s))} students`)].filter(Boolean).join(' · ')),
    h('div', { class: 'kpis kpis-3 compact' },
      h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, L('调入', 'In')), h('div', { class: 'kpi-value', 'data-testid': 'school-in' }, int(t.in)), h('div', { class: 'kpi-sub' }, L(`骨干 ${t.inBackbone}`, `${t.inBackbone} backbone`))),
      h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, L('调出', 'Out')), h('div', { class: 'kpi-value', 'data-testid': 'school-out' }, int(t.out)), h('div', { class: 'kpi-sub' }, L(`骨干 ${t.outBackbone}`, `${t.outBackbone} backbone`))),
      h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, L('净变化', 'Net')), h('div', { class: 'kpi-value' }, signed(t.in - t.out)))),
    h('div', { class: 'panel-scroll' },
      list(L('调入教师', 'In: teachers'), incoming, (m) => m.from, 'school-incoming'),
      list(L('调出教师', 'Out: teachers'), outgoing, (m) => m.to, 'school-outgoing')));
  // The panel element is reused: a later click on another school must win over this late answer.
  el.dataset.school = s.id;
  render();
  try {
    const teachers = await teachersOf(p.datasetId);
    if (p.signal.aborted || el.dataset.school !== s.id) return;
    const wanted = new Set([...incoming, ...outgoing].map((m) => m.row.teacher_id));
    for (const x of teachers) if (wanted.has(x.id)) names.set(x.id, x.name);
    render();
  } catch {
    // Names are a nicety: the ids stay if the roster cannot be read.
  }
}
