// Small pieces several pages share: the page header, the run picker, error and loading states.
import { ApiError, api, type Dataset, type InputError, type Run, type ScenarioItem } from './api.ts';
import { type Child, h, mount, notice, select } from './dom.ts';
import { dateTime } from './format.ts';
import { L, lang, runStatusLabel } from './i18n.ts';
import { href } from './router.ts';
import { currentDataset, store } from './store.ts';

export function pageHeader(title: string, subtitle: string | null, ...actions: Child[]): HTMLElement {
  return h('header', { class: 'page-header' },
    h('div', null, h('h1', null, title), subtitle ? h('p', { class: 'page-sub' }, subtitle) : null),
    h('div', { class: 'page-actions' }, actions));
}

export const runLabel = (r: Run): string =>
  `#${r.id} ${r.scenario_name}${r.status === 'done' ? '' : `（${runStatusLabel(r.status)}）`}${r.adopted_at ? L(' ★已采纳', ' ★ adopted') : ''} · ${dateTime(r.finished_at ?? r.created_at)}`;

export function runPicker(runs: readonly Run[], current: number | undefined, onPick: (id: number) => void): HTMLElement {
  return h('label', { class: 'inline-field' }, h('span', null, L('运行', 'Run')),
    select(runs.map((r) => ({ value: String(r.id), label: runLabel(r) })), String(current ?? ''), (v) => onPick(Number(v)), { 'data-testid': 'run-picker' }));
}

export function loading(text = L('正在加载…', 'Loading…')): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), text);
}

/** An error as the user should read it; bad-file errors list every file:line: column: message. */
export function errorView(err: unknown): HTMLElement {
  if (err instanceof ApiError) {
    return notice('bad', h('strong', null, err.message), err.errors.length > 0
      ? h('ul', { class: 'error-list' }, err.errors.slice(0, 50).map((e) => h('li', null, e.text)))
      : null);
  }
  return notice('bad', h('strong', null, L('出错了：', 'Error: ')), err instanceof Error ? err.message : String(err));
}

/** Every bad row of an upload by file, line and column, in the page's language. */
export function errorTable(errors: readonly InputError[]): HTMLElement {
  const rows = errors.slice(0, 500);
  return h('div', { class: 'table-wrap scroll-y', 'data-testid': 'upload-errors' },
    h('table', { class: 'data' },
      h('thead', null, h('tr', null, h('th', null, L('文件', 'File')), h('th', { class: 'num' }, L('行', 'Line')), h('th', null, L('列', 'Column')), h('th', null, L('问题', 'Problem')))),
      h('tbody', null, rows.map((e) => h('tr', null, h('td', { class: 'mono' }, e.file), h('td', { class: 'num' }, e.line), h('td', { class: 'mono' }, e.column),
        h('td', null, lang() === 'zh' ? e.message : e.messageEn))))),
    errors.length > rows.length ? h('p', { class: 'muted' }, L(`另有 ${errors.length - rows.length} 处错误未列出`, `${errors.length - rows.length} more not shown`)) : null);
}

export function emptyState(title: string, body: Child, ...actions: Child[]): HTMLElement {
  return h('div', { class: 'empty-state' }, h('h2', null, title), h('p', null, body), h('div', { class: 'page-actions' }, actions));
}

/** Legend entry: a swatch (dot, line — solid, dotted or dashed —, ring or bar) and its meaning. */
export function legendItem(kind: 'dot' | 'line' | 'dotted' | 'dashed' | 'ring' | 'bar', color: string, label: string): HTMLElement {
  return h('span', { class: 'legend-item' }, h('span', { class: `swatch swatch-${kind}`, style: `--c:${color}` }), label);
}

/**
 * The county a page shows when one file holds several counties: the URL's `county` if it names
 * one, else the one last picked on any page, else all ('' = every county). One county: always it.
 */
export function pageCounty(counties: readonly string[], fromUrl: string | null): string {
  if (counties.length <= 1) return counties[0] ?? '';
  const pick = fromUrl ?? store.county;
  return pick !== null && counties.includes(pick) ? pick : '';
}

/** The county selector every page shows for a multi-county dataset (nothing for one county). */
export function countyPicker(counties: readonly string[], current: string, onPick: (county: string) => void, withAll = true): HTMLElement | null {
  if (counties.length <= 1) return null;
  const options = [...(withAll ? [{ value: '', label: L('全部县区', 'All counties') }] : []), ...counties.map((c) => ({ value: c, label: c }))];
  return h('label', { class: 'inline-field no-print' }, h('span', null, L('县区', 'County')),
    select(options, current, (v) => { store.county = v; onPick(v); }, { 'data-testid': 'county-picker' }));
}

/**
 * The open dataset and the scenario a scenario's page shows: the URL's `scenario`, else the newest.
 * Without either it shows how to get one (`hint`: what to import, why a scenario) and gives null.
 */
export async function pageScenario(root: HTMLElement, query: URLSearchParams, hint: { data: [zh: string, en: string]; scenario: [zh: string, en: string] }):
  Promise<{ ds: Dataset; list: ScenarioItem[]; scenarioId: number } | null> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L(...hint.data), h('a', { class: 'btn btn-primary', href: href('data') }, L('去导入', 'Import')))); return null; }
  const list = await api.scenarios(ds.id);
  const scenarioId = Number(query.get('scenario')) || list[0]?.id;
  if (!scenarioId) { mount(root, emptyState(L('还没有方案', 'No scenario yet'), L(...hint.scenario), h('a', { class: 'btn btn-primary', href: href('scenario') }, L('去建立', 'Create')))); return null; }
  return { ds, list, scenarioId };
}
