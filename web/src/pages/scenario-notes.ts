// A scenario's notes, on the scenario page and the compare page: what the scenario is for, in
// the planner's or the leader's words. Saved with PUT …/notes (planners and leaders) when the
// box loses focus or on the button. A copy's note shows where it came from, and a copied note
// that was cleared because the copy's policy or locks changed is shown for reference
// (README "Scenario notes"). Notes are user text: set as the box's value, never as markup.
import './scenario-notes.css';
import { api, type Scenario } from '../api.ts';
import { h, mount } from '../dom.ts';
import { dateTime } from '../format.ts';
import { L } from '../i18n.ts';
import { errorView } from '../widgets.ts';

export interface NotesSource { id: number; notes: string; notes_inherited?: boolean; notes_reference?: string }

export interface NotesEditor { el: HTMLElement; update(s: Pick<Scenario, 'notes' | 'notes_inherited' | 'notes_reference'>): void }

export function notesEditor(scenario: NotesSource, opts: { readOnly: boolean; testid?: string; rows?: number }): NotesEditor {
  const box = h('textarea', {
    class: 'notes-box', rows: opts.rows ?? 3, maxlength: 5000, disabled: opts.readOnly, 'data-testid': opts.testid ?? 'scenario-notes',
    placeholder: opts.readOnly ? L('（无备注）', '(no notes)') : L('写下本方案的用意、依据或会议意见…', 'What this scenario is for, its basis, or the meeting\'s view…'),
    'aria-label': L('方案备注', 'Scenario notes'),
  });
  box.value = scenario.notes;
  let saved = scenario.notes;
  const status = h('span', { class: 'muted small', 'data-testid': `${opts.testid ?? 'scenario-notes'}-status` });
  const hint = h('div', { class: 'notes-hint muted small' });
  const button = h('button', { class: 'btn btn-small', type: 'button', disabled: true }, L('保存备注', 'Save notes'));
  let saving = false;
  const save = async () => {
    // Leaving the box and clicking the button both save: once.
    if (saving || box.value === saved) return;
    saving = true;
    button.disabled = true;
    try {
      const s = await api.scenarioNotes(scenario.id, box.value);
      update(s);
      mount(status, L(`备注已保存（${dateTime(s.updated_at)}）`, `Notes saved (${dateTime(s.updated_at)})`));
    } catch (err) {
      button.disabled = false;
      mount(status, errorView(err));
    } finally {
      saving = false;
    }
  };
  const update: NotesEditor['update'] = (s) => {
    box.value = s.notes;
    saved = s.notes;
    button.disabled = true;
    mount(hint,
      s.notes_inherited ? L('此备注复制自原方案；本方案的政策参数或锁定改动后将自动清空，原文留作参考。', 'Copied from the original scenario; it is cleared (and kept for reference) once this scenario\'s policy or locks change.') : null,
      s.notes_reference ? h('div', { class: 'notes-reference', 'data-testid': 'notes-reference' },
        h('strong', null, L('复制时的原备注（政策参数或锁定已改，可能不再适用，仅供参考）：', 'Note copied from the original (policy or locks changed since, so it may no longer fit; for reference):')),
        h('span', null, s.notes_reference)) : null);
  };
  update({ notes: scenario.notes, notes_inherited: scenario.notes_inherited ?? false, notes_reference: scenario.notes_reference ?? '' });
  box.addEventListener('input', () => { button.disabled = box.value === saved; status.textContent = box.value === saved ? '' : L('未保存', 'Not saved'); });
  box.addEventListener('change', () => void save());
  button.addEventListener('click', () => void save());
  return { el: h('div', { class: 'notes' }, box, opts.readOnly ? null : h('div', { class: 'notes-actions' }, button, status), hint), update };
}
