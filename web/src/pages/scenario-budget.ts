// What the two rotation shares on the scenario form mean in teachers, county by county, as the
// server computes them from the saved scenario (GET /api/scenarios/{id}/budget → the solver's
// rotationBudget): "本年度交流 119–119 人（符合条件 1,188 人 × 10% = ⌈118.8⌉ = 119；…）".
import { api, type Budget } from '../api.ts';
import { h, mount } from '../dom.ts';
import { decimal, int } from '../format.ts';
import { L } from '../i18n.ts';
import { errorView } from '../widgets.ts';

type County = Budget['counties'][number];

const share = (x: number) => `${decimal(x * 100, 1)}%`;
/** "1,188 人 × 10% = ⌈118.8⌉ = 119" — the solver rounds the product to 9 decimals before ⌈⌉. */
const ceilOf = (x: number, eligible: number) => {
  const product = Number((x * eligible).toFixed(9));
  return `${int(eligible)}${L(' 人', '')} × ${share(x)} = ⌈${decimal(product)}⌉ = ${int(Math.ceil(product))}`;
};

function budgetLine(b: Budget, c: County): string {
  const min = L(`符合条件 ${ceilOf(b.min_share, c.eligible)}`, `eligible ${ceilOf(b.min_share, c.eligible)}`);
  const max = b.max_share === null
    ? L('上限空 = 只交流最低人数', 'no upper share = the minimum only')
    : L(`上限 ${ceilOf(b.max_share, c.eligible)}`, `upper ${ceilOf(b.max_share, c.eligible)}`);
  const locked = c.locked_moves === 0 ? [] : [L(`含锁定交流 ${int(c.locked_moves)} 人`, `${int(c.locked_moves)} locked move(s) included`)];
  const parts = [min, max, ...locked].join(L('；', '; '));
  return L(`本年度交流 ${int(c.min_rotated)}–${int(c.max_rotated)} 人（${parts}）`, `This year: rotate ${int(c.min_rotated)}–${int(c.max_rotated)} teachers (${parts})`);
}

/** The budget lines of scenario `id`; `refresh()` after a save, `stale()` while the form has unsaved edits. */
export function budgetView(id: number): { el: HTMLElement; refresh(): Promise<void>; stale(): void } {
  const el = h('div', { class: 'budget', 'data-testid': 'budget' });
  const note = h('div', { class: 'muted small', hidden: true }, L('参数已修改，保存后更新', 'Edited: updates when saved'));
  const lines = h('div', null, h('span', { class: 'muted small' }, L('正在计算交流人数…', 'Computing the rotation budget…')));
  mount(el, lines, note);
  const refresh = async () => {
    // The old lines stay (dimmed) until the new ones arrive, so the form does not jump.
    lines.classList.add('refreshing');
    try {
      const b = await api.budget(id);
      const named = b.counties.length > 1 || b.counties.some((c) => c.county !== '');
      mount(lines, b.counties.map((c) => h('div', { class: 'budget-line', 'data-testid': 'budget-line', 'data-county': c.county, 'data-min': c.min_rotated, 'data-max': c.max_rotated },
        named ? h('strong', null, `${c.county || L('未标县区', 'No county')}${L('：', ': ')}`) : null, budgetLine(b, c))));
      note.hidden = true;
    } catch (err) {
      mount(lines, errorView(err));
    } finally {
      lines.classList.remove('refreshing');
    }
  };
  return { el, refresh, stale: () => { note.hidden = false; } };
}
