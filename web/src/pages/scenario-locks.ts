// Locks (人工锁定): the planner overrides the optimizer — this teacher stays, or moves to that
// school — and must say why (data contract: `reason` is required). Checked here for the obvious
// (unknown teacher, missing reason, missing destination) and again by the server against
// locks.csv rules.
import type { Lock, LockInput, School, Teacher } from '../api.ts';
import { h, mount, select } from '../dom.ts';
import { L } from '../i18n.ts';

export interface LockEditor {
  el: HTMLElement;
  /** The locks, or the problems that keep them from being saved. */
  value(): { locks: LockInput[]; problems: string[] };
}

interface Row { teacher_id: string; action: 'stay' | 'move'; to_school_id: string; reason: string }

export function lockEditor(initial: readonly Lock[], teachers: readonly Teacher[], schools: readonly School[], readOnly: boolean): LockEditor {
  const byId = new Map(teachers.map((t) => [t.id, t]));
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const rows: Row[] = initial.map((l) => ({ teacher_id: l.teacher_id, action: l.action, to_school_id: l.to_school_id ?? '', reason: l.reason }));
  const listId = 'lock-teachers';
  // One datalist of ids for every row: typing an id or a name prefix suggests teachers.
  const datalist = h('datalist', { id: listId }, teachers.map((t) => h('option', { value: t.id }, `${t.name} · ${schoolName.get(t.school_id) ?? t.school_id}`)));
  const body = h('tbody');
  const el = h('div', { class: 'locks' });

  const problemsOf = (r: Row): string[] => {
    const p: string[] = [];
    if (!byId.has(r.teacher_id)) p.push(L('教师编号不在名册中', 'teacher ID not in the roster'));
    if (r.action === 'move' && !r.to_school_id) p.push(L('须选择调入学校', 'choose the destination'));
    if (r.action === 'move' && r.to_school_id && byId.get(r.teacher_id)?.school_id === r.to_school_id) p.push(L('调入学校不能是现任学校', 'destination is the current school'));
    if (!r.reason.trim()) p.push(L('须填写理由', 'a reason is required'));
    return p;
  };

  const render = () => {
    mount(body, rows.length === 0
      ? h('tr', null, h('td', { class: 'empty', colspan: 6 }, L('没有锁定：全部由优化器决定。', 'No locks: the optimizer decides everything.')))
      : rows.map((r, i) => {
        const t = byId.get(r.teacher_id);
        const problems = r.teacher_id || r.reason ? problemsOf(r) : [];
        const id = h('input', { value: r.teacher_id, list: listId, class: 'mono input-id', disabled: readOnly, 'aria-label': L('教师编号', 'Teacher ID'), 'data-testid': `lock-teacher-${i}` });
        id.addEventListener('change', () => { r.teacher_id = id.value.trim(); render(); });
        const action = select([{ value: 'stay' as const, label: L('留任（不交流）', 'Stay') }, { value: 'move' as const, label: L('交流到指定学校', 'Move to') }], r.action,
          (v) => { r.action = v; render(); }, { disabled: readOnly, 'data-testid': `lock-action-${i}` });
        const to = select([{ value: '', label: r.action === 'move' ? L('选择学校…', 'Choose…') : '—' }, ...schools.filter((s) => s.id !== t?.school_id).map((s) => ({ value: s.id, label: `${s.id} ${s.name}` }))],
          r.to_school_id, (v) => { r.to_school_id = v; render(); }, { disabled: readOnly || r.action !== 'move', 'data-testid': `lock-to-${i}` });
        const reason = h('input', { value: r.reason, placeholder: L('必填：为何人工干预', 'Required: why override'), class: r.reason.trim() ? '' : 'invalid', disabled: readOnly, maxlength: 500, 'data-testid': `lock-reason-${i}` });
        reason.addEventListener('input', () => { r.reason = reason.value; reason.classList.toggle('invalid', !reason.value.trim()); });
        reason.addEventListener('change', () => render());
        return h('tr', { class: problems.length > 0 ? 'row-invalid' : '' },
          h('td', null, id, h('div', { class: 'muted small' }, t ? `${t.name} · ${schoolName.get(t.school_id) ?? t.school_id}` : '')),
          h('td', null, action), h('td', null, to), h('td', { class: 'wide' }, reason),
          h('td', { class: 'small bad-text' }, problems.join('；')),
          h('td', null, readOnly ? null : h('button', { class: 'btn btn-small btn-ghost', title: L('删除', 'Remove'), onclick: () => { rows.splice(i, 1); render(); } }, '✕')));
      }));
  };

  mount(el, datalist,
    h('table', { class: 'data form-table' },
      h('thead', null, h('tr', null, h('th', { style: 'width:13rem' }, L('教师', 'Teacher')), h('th', { style: 'width:11rem' }, L('锁定方式', 'Lock')), h('th', { style: 'width:15rem' }, L('调入学校', 'To school')),
        h('th', null, L('理由（必填）', 'Reason (required)')), h('th', { style: 'width:10rem' }, ''), h('th', { style: 'width:3rem' }, ''))),
      body),
    readOnly ? null : h('button', { class: 'btn btn-small', type: 'button', 'data-testid': 'lock-add', onclick: () => { rows.push({ teacher_id: '', action: 'stay', to_school_id: '', reason: '' }); render(); } }, L('＋ 添加锁定', '+ Add lock')));
  render();

  return {
    el,
    value() {
      const problems = rows.flatMap((r, i) => problemsOf(r).map((p) => L(`第 ${i + 1} 条锁定：${p}`, `Lock ${i + 1}: ${p}`)));
      const locks = rows.map((r) => ({
        teacher_id: r.teacher_id, action: r.action, reason: r.reason.trim(), ...(r.action === 'move' ? { to_school_id: r.to_school_id } : {}),
      }));
      return { locks, problems };
    },
  };
}
