// One table component for every list: sortable columns, client-side paging (a county roster is
// 5,000–10,000 rows; only one page is in the DOM), numeric columns right-aligned in tabular
// figures so digits line up.
import { type Child, h, mount } from './dom.ts';
import { int } from './format.ts';
import { L } from './i18n.ts';

export interface Column<T> {
  label: string;
  /** Cell content; strings and numbers become text nodes. */
  cell: (row: T) => Child;
  /** Sort key; columns without one do not sort. */
  sort?: (row: T) => number | string | null;
  num?: boolean;
  title?: string;
  width?: string;
  /** A class for the column's header and cells (e.g. to mark where a group of columns starts). */
  className?: string;
}

export interface TableOptions<T> {
  pageSize?: number;
  empty?: string;
  onRow?: (row: T) => void;
  rowClass?: (row: T) => string | null;
  caption?: string;
  testid?: string;
}

export interface TableHandle<T> {
  el: HTMLElement;
  setRows(rows: readonly T[]): void;
}

export function dataTable<T>(columns: readonly Column<T>[], rows: readonly T[], opts: TableOptions<T> = {}): TableHandle<T> {
  const pageSize = opts.pageSize ?? 0;
  let data = rows;
  let sorted: readonly T[] = rows;
  let sortCol = -1;
  let asc = true;
  let page = 0;
  const el = h('div', { class: 'table-wrap', 'data-testid': opts.testid });

  const resort = () => {
    const col = columns[sortCol];
    if (!col?.sort) { sorted = data; return; }
    const key = col.sort;
    sorted = [...data].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return asc ? c : -c;
    });
  };

  const render = () => {
    const pages = pageSize > 0 ? Math.max(1, Math.ceil(sorted.length / pageSize)) : 1;
    page = Math.min(page, pages - 1);
    const shown = pageSize > 0 ? sorted.slice(page * pageSize, (page + 1) * pageSize) : sorted;
    const head = h('tr', null, columns.map((c, i) => {
      const mark = i === sortCol ? (asc ? ' ▲' : ' ▼') : '';
      return h('th', {
        class: `${c.num ? 'num' : ''}${c.sort ? ' sortable' : ''}${c.className ? ` ${c.className}` : ''}`, title: c.title, style: c.width ? `width:${c.width}` : undefined,
        onclick: c.sort ? () => { if (sortCol === i) asc = !asc; else { sortCol = i; asc = !c.num; } resort(); render(); } : undefined,
      }, c.label, mark);
    }));
    const body = shown.length === 0
      ? [h('tr', null, h('td', { class: 'empty', colspan: columns.length }, opts.empty ?? L('没有数据', 'No rows')))]
      : shown.map((r) => h('tr', {
        class: `${opts.onRow ? 'clickable ' : ''}${opts.rowClass?.(r) ?? ''}`.trim() || undefined,
        onclick: opts.onRow ? () => opts.onRow!(r) : undefined,
      }, columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined }, c.cell(r)))));
    const table = h('table', { class: 'data' }, opts.caption ? h('caption', null, opts.caption) : null, h('thead', null, head), h('tbody', null, body));
    const pager = pageSize > 0 && sorted.length > pageSize
      ? h('div', { class: 'pager' },
        h('span', { class: 'muted' }, L(`共 ${int(sorted.length)} 行，第 ${page + 1} / ${pages} 页`, `${int(sorted.length)} rows, page ${page + 1} of ${pages}`)),
        h('button', { class: 'btn btn-small', disabled: page === 0, onclick: () => { page -= 1; render(); } }, L('上一页', 'Previous')),
        h('button', { class: 'btn btn-small', disabled: page >= pages - 1, onclick: () => { page += 1; render(); } }, L('下一页', 'Next')))
      : pageSize > 0 ? h('div', { class: 'pager' }, h('span', { class: 'muted' }, L(`共 ${int(sorted.length)} 行`, `${int(sorted.length)} ${sorted.length === 1 ? 'row' : 'rows'}`))) : null;
    mount(el, table, pager);
  };

  resort();
  render();
  return {
    el,
    setRows(next) { data = next; page = 0; resort(); render(); },
  };
}
