// The tooltip the flows charts share (map nodes and arcs, sankey bands, chord ribbons): one
// absolutely placed box inside the chart area that follows the pointer and flips left near the
// right edge, and the lines it shows for a set of moves — teachers, backbone, kinds of move, subjects.
import { type Child, h, mount } from '../dom.ts';
import type { MovesDetail } from '../flows-model.ts';
import { decimal, int } from '../format.ts';
import { L, modeLabel, subjectLabel } from '../i18n.ts';

export interface Tip {
  el: HTMLElement;
  show(ev: MouseEvent, content: Child): void;
  hide(): void;
}

export function createTip(): Tip {
  const el = h('div', { class: 'flow-tip', role: 'tooltip', 'data-testid': 'flow-tip', hidden: true });
  return {
    el,
    show(ev, content) {
      mount(el, content);
      el.hidden = false;
      const host = (el.parentElement ?? document.body).getBoundingClientRect();
      let x = ev.clientX - host.left + 14;
      if (x + el.offsetWidth > host.width) x = Math.max(0, ev.clientX - host.left - el.offsetWidth - 14);
      el.style.left = `${x}px`;
      el.style.top = `${Math.max(0, ev.clientY - host.top + 14)}px`;
    },
    hide() { el.hidden = true; },
  };
}

/** Subjects, most moved first; the long tail summed so the box stays small. */
function subjectsLine(d: MovesDetail): string {
  const shown = d.subjects.slice(0, 5).map(([s, n]) => `${subjectLabel(s)} ${n}`);
  const rest = d.subjects.slice(5).reduce((a, [, n]) => a + n, 0);
  return [...shown, ...(rest > 0 ? [L(`其他 ${rest}`, `other ${rest}`)] : [])].join(' · ');
}

/** The kinds of move, with the posts the 走教 shares add up to: “调动 3 · 走教 2（共 1 个岗位）”. */
function modesLine(d: MovesDetail): string {
  return d.modes.map(([m, n]) => (m === 'itinerant' ? L(`${modeLabel(m)} ${n}（共 ${decimal(d.itinerantFte)} 个岗位）`, `${modeLabel(m)} ${n} (${decimal(d.itinerantFte)} post${d.itinerantFte === 1 ? '' : 's'} in all)`) : `${modeLabel(m)} ${n}`)).join(' · ');
}

/** A tooltip for some moves: a title, then teachers (backbone, toward rural/weak) and subjects. */
export function movesTip(title: string, d: MovesDetail, ...extra: Child[]): Child {
  return [
    h('div', { class: 'tip-title' }, title),
    h('div', { 'data-testid': 'tip-teachers' }, L(`教师 ${int(d.teachers)} 人 · 骨干 ${int(d.backbone)} 人 · 流向乡村/薄弱 ${int(d.toward)} 人`,
      `${int(d.teachers)} teachers · ${int(d.backbone)} backbone · ${int(d.toward)} toward rural/weak`)),
    h('div', { 'data-testid': 'tip-modes' }, modesLine(d)),
    d.subjects.length > 0 ? h('div', { class: 'tip-subjects', 'data-testid': 'tip-subjects' }, subjectsLine(d)) : null,
    ...extra,
  ];
}
