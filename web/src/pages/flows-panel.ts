// The flows page's side panel: with nothing selected, the schools gaining and losing the most
// teachers; a school, its totals and every teacher coming in and going out; a merged map node,
// its schools (each one click away) and a zoom-in; a flow (map arc, sankey band, chord ribbon
// or arc), the moves it carries — each teacher with the kind of move (走教 with its share of a
// post). Teacher names load after the chart, so the map never waits for the 5,000-row roster.
import type { School } from '../api.ts';
import { LOCALE_COLOR } from '../charts/palette.ts';
import { type Child, h, mount } from '../dom.ts';
import { type FlowGraph, type Move, countyOf, totalsOf } from '../flows-model.ts';
import { decimal, int, signed } from '../format.ts';
import { L, backboneLabel, localeLabel, modeLabel, subjectLabel } from '../i18n.ts';
import { href } from '../router.ts';
import { teachersOf } from '../store.ts';

const students = (s: School) => (s.students_primary ?? 0) + (s.students_junior ?? 0);
const dot = (s: School) => h('span', { class: 'dot-inline', style: `--c:${LOCALE_COLOR[s.locale] ?? '#888'}` });
const net = (graph: FlowGraph, s: School) => { const t = totalsOf(graph, s.id); return t.in - t.out; };

/** Schools with in, out and net; a click on a row picks the school. With several counties on screen a
 * name carries its county: two counties may each have a 城关第一小学. */
function schoolTable(rows: readonly School[], graph: FlowGraph, onPick: (id: string) => void, testid: string, several = false): HTMLElement {
  return h('table', { class: 'data compact', 'data-testid': testid },
    h('thead', null, h('tr', null, h('th', null, L('学校', 'School')), h('th', { class: 'num' }, L('流入', 'In')), h('th', { class: 'num' }, L('流出', 'Out')), h('th', { class: 'num' }, L('净', 'Net')))),
    h('tbody', null, rows.map((s) => {
      const t = totalsOf(graph, s.id);
      return h('tr', { class: 'clickable', 'data-id': s.id, onclick: () => onPick(s.id) },
        h('td', { class: 'ellipsis', title: s.name }, dot(s), s.name, several && s.county ? h('span', { class: 'muted' }, ` · ${s.county}`) : null), h('td', { class: 'num' }, t.in), h('td', { class: 'num' }, t.out), h('td', { class: 'num strong' }, signed(t.in - t.out)));
    })));
}

export function topSchoolsPanel(el: HTMLElement, schools: readonly School[], graph: FlowGraph, onPick: (id: string) => void, several: boolean): void {
  delete el.dataset.key;
  const active = schools.filter((s) => { const t = totalsOf(graph, s.id); return t.in + t.out > 0; });
  // Equal nets: the school moving more teachers first, then more backbone teachers, then by name.
  const moved = (s: School) => { const t = totalsOf(graph, s.id); return [t.in + t.out, t.inBackbone + t.outBackbone] as const; };
  const tie = (a: School, b: School) => moved(b)[0] - moved(a)[0] || moved(b)[1] - moved(a)[1] || a.name.localeCompare(b.name, 'zh-CN');
  const gain = [...active].sort((a, b) => net(graph, b) - net(graph, a) || tie(a, b)).slice(0, 8);
  const lose = [...active].sort((a, b) => net(graph, a) - net(graph, b) || tie(a, b)).slice(0, 8);
  mount(el,
    h('h2', { class: 'card-title' }, L('各校流入流出', 'In and out per school')),
    h('p', { class: 'muted small' }, L('点击图中的学校、流向线、色带或下表中的一行，查看其中每位教师。', 'Click a school, a flow line, a band or a row below to see each teacher in it.')),
    h('div', { class: 'panel-block' }, h('h3', null, L('净流入最多', 'Largest net gain')), schoolTable(gain, graph, onPick, 'top-gain', several)),
    h('div', { class: 'panel-block' }, h('h3', null, L('净流出最多', 'Largest net loss')), schoolTable(lose, graph, onPick, 'top-loss', several)));
}

const head = (title: Child, onClose: () => void) => h('div', { class: 'panel-head' },
  h('h2', { class: 'card-title' }, title),
  h('button', { class: 'btn btn-small btn-ghost', 'data-testid': 'panel-close', onclick: onClose, title: L('关闭', 'Close') }, '✕'));

/** A merged map node: the schools under it, biggest first, and a button to zoom in on them. */
export function nodePanel(el: HTMLElement, p: { schools: readonly School[]; graph: FlowGraph; onPick: (id: string) => void; onZoom: () => void; onClose: () => void }): void {
  el.dataset.key = `node:${p.schools.map((s) => s.id).join(',')}`;
  const inn = p.schools.reduce((a, s) => a + totalsOf(p.graph, s.id).in, 0);
  const out = p.schools.reduce((a, s) => a + totalsOf(p.graph, s.id).out, 0);
  mount(el,
    head(L(`${p.schools.length} 所重叠的学校`, `${p.schools.length} overlapping schools`), p.onClose),
    h('p', { class: 'muted small' }, L(`在当前缩放下这些学校位置太近，合并为一个圆点：调入 ${inn} · 调出 ${out} · 净 ${signed(inn - out)}。点击一所学校查看其教师，或放大地图把它们分开。`,
      `At this zoom these schools are too close to tell apart and share one dot: in ${inn} · out ${out} · net ${signed(inn - out)}. Click a school for its teachers, or zoom in to split them.`)),
    h('button', { class: 'btn btn-small', 'data-testid': 'node-zoom', onclick: p.onZoom }, L('放大到这些学校', 'Zoom in on these schools')),
    h('div', { class: 'panel-block panel-scroll' }, schoolTable(p.schools, p.graph, p.onPick, 'node-schools')));
}

interface MovesTable { title: string; rows: readonly Move[]; other: ((m: Move) => School) | null; testid: string }

/** Teachers of some moves; `other` null shows both ends (a flow between groups). */
function movesTable(t: MovesTable, names: ReadonlyMap<string, string>, runId: number): HTMLElement {
  const place = (s: School) => h('span', { class: 'ellipsis-inline', title: s.name }, dot(s), s.name);
  return h('div', { class: 'panel-block' },
    h('h3', null, t.title, h('span', { class: 'count' }, t.rows.length)),
    t.rows.length === 0 ? h('p', { class: 'muted small' }, L('无', 'None')) : h('table', { class: 'data compact', 'data-testid': t.testid },
      h('thead', null, h('tr', null, h('th', null, L('教师', 'Teacher')), h('th', null, L('学科', 'Subject')), h('th', null, L('方式', 'Kind')), h('th', null, t.other ? L('对方学校', 'Other school') : L('从 → 到', 'From → to')))),
      h('tbody', null, t.rows.map((m) => h('tr', { 'data-from': m.from.id, 'data-to': m.to.id, 'data-county': countyOf(m.from) },
        h('td', null, h('a', { href: href('teacher', { run: runId }, m.row.teacher_id) }, names.get(m.row.teacher_id) ?? m.row.teacher_id),
          m.backbone ? h('span', { class: 'badge', title: backboneLabel(m.row.backbone) }, L('骨干', 'BB')) : null),
        h('td', null, subjectLabel(m.row.subject), m.row.fills_subject ? h('div', { class: 'muted small' }, L(`补${subjectLabel(m.row.fills_subject)}`, `fills ${subjectLabel(m.row.fills_subject)}`)) : null),
        h('td', { class: 'nowrap', 'data-mode': m.row.mode }, modeLabel(m.row.mode), m.row.fte === undefined ? null : h('span', { class: 'muted' }, L(` ${decimal(m.row.fte)}岗`, ` ${decimal(m.row.fte)} post`))),
        // Both ends of a group flow stacked, so neither name is cut off in the narrow panel.
        t.other ? h('td', { class: 'ellipsis' }, place(t.other(m))) : h('td', { class: 'move-ends' }, place(m.from), h('br'), '→ ', place(m.to)))))));
}

interface Loaded { el: HTMLElement; key: string; moves: readonly Move[]; datasetId: number; signal: AbortSignal }

/** Renders at once with ids, then again with names once the roster is in (unless the panel moved on). */
async function withNames(p: Loaded, render: (names: ReadonlyMap<string, string>) => void): Promise<void> {
  // The panel element is reused: a later click elsewhere must win over this late answer.
  p.el.dataset.key = p.key;
  render(new Map());
  try {
    const teachers = await teachersOf(p.datasetId);
    if (p.signal.aborted || p.el.dataset.key !== p.key) return;
    const wanted = new Set(p.moves.map((m) => m.row.teacher_id));
    render(new Map(teachers.filter((x) => wanted.has(x.id)).map((x) => [x.id, x.name])));
  } catch {
    // Names are a nicety: the ids stay if the roster cannot be read.
  }
}

export interface PanelContext { datasetId: number; runId: number; signal: AbortSignal; onClose: () => void }

export function schoolPanel(el: HTMLElement, s: School, moves: readonly Move[], graph: FlowGraph, c: PanelContext): Promise<void> {
  const t = totalsOf(graph, s.id);
  const incoming = moves.filter((m) => m.to.id === s.id);
  const outgoing = moves.filter((m) => m.from.id === s.id);
  const kpi = (label: string, value: string, sub: string, testid?: string) =>
    h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value', 'data-testid': testid }, value), h('div', { class: 'kpi-sub' }, sub));
  return withNames({ el, key: `school:${s.id}`, moves: [...incoming, ...outgoing], datasetId: c.datasetId, signal: c.signal }, (names) => mount(el,
    head([dot(s), s.name], c.onClose),
    h('p', { class: 'muted small' }, [localeLabel(s.locale), s.weak ? L('薄弱学校', 'weak school') : null, s.county, s.cluster, L(`在校生 ${int(students(s))}`, `${int(students(s))} students`)].filter(Boolean).join(' · ')),
    h('div', { class: 'kpis kpis-3 compact' },
      kpi(L('调入', 'In'), int(t.in), L(`骨干 ${t.inBackbone}`, `${t.inBackbone} backbone`), 'school-in'),
      kpi(L('调出', 'Out'), int(t.out), L(`骨干 ${t.outBackbone}`, `${t.outBackbone} backbone`), 'school-out'),
      kpi(L('净变化', 'Net'), signed(t.in - t.out), '')),
    h('div', { class: 'panel-scroll' },
      movesTable({ title: L('调入教师', 'In: teachers'), rows: incoming, other: (m) => m.from, testid: 'school-incoming' }, names, c.runId),
      movesTable({ title: L('调出教师', 'Out: teachers'), rows: outgoing, other: (m) => m.to, testid: 'school-outgoing' }, names, c.runId))));
}

/** The moves of one flow (an arc, band, ribbon or chord arc) the user clicked. */
export function flowPanel(el: HTMLElement, key: string, title: string, moves: readonly Move[], c: PanelContext): Promise<void> {
  const backbone = moves.filter((m) => m.backbone).length;
  return withNames({ el, key: `flow:${key}`, moves, datasetId: c.datasetId, signal: c.signal }, (names) => mount(el,
    head(title, c.onClose),
    h('p', { class: 'muted small', 'data-testid': 'flow-panel-summary' }, L(`${moves.length} 人，其中骨干 ${backbone} 人`, `${moves.length} teachers, ${backbone} backbone`)),
    h('div', { class: 'panel-scroll' }, movesTable({ title: L('交流教师', 'Teachers moved'), rows: moves, other: null, testid: 'flow-moves' }, names, c.runId))));
}
