// The scenario picker of the scenario page. It is built once per page from the list the server
// gave; a save does not re-render the page, so a rename is written into the picker here —
// otherwise the picker kept the name the page was opened with until the next navigation.
import type { ScenarioItem } from '../api.ts';
import { h } from '../dom.ts';
import { L } from '../i18n.ts';
import { navigate } from '../router.ts';

const label = (s: Pick<ScenarioItem, 'id' | 'name' | 'adopted_run_id'>) => `#${s.id} ${s.name}${s.adopted_run_id !== null ? L(' ★已采纳', ' ★ adopted') : ''}`;

export function scenarioPicker(list: readonly ScenarioItem[], current: number): { el: HTMLSelectElement; rename(id: number, name: string): void } {
  const options = new Map(list.map((s) => [s.id, h('option', { value: s.id, selected: s.id === current }, label(s))]));
  const el = h('select', { 'aria-label': L('方案', 'Scenario'), 'data-testid': 'scenario-picker' }, [...options.values()]);
  el.addEventListener('change', () => navigate('scenario', { id: el.value }));
  return {
    el,
    rename: (id, name) => {
      const item = list.find((s) => s.id === id);
      const option = options.get(id);
      if (item && option) option.textContent = label({ ...item, name });
    },
  };
}
