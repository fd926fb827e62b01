// The shell: top bar (product, page tabs, dataset, language, user), then the current page.
// Pages render into <main> from the hash route; leaving a page aborts its timers and requests.
import './styles.css';
import { api, setUnauthorizedHandler } from './api.ts';
import { h, mount, select } from './dom.ts';
import { L, lang, onLangChange, roleLabel, setLang } from './i18n.ts';
import { type PageName, type Route, current, href, navigate } from './router.ts';
import { can, currentDataset, refreshDatasets, selectDataset, store } from './store.ts';
import { errorView, loading } from './widgets.ts';
import { renderAudit } from './pages/audit.ts';
import { renderCompare } from './pages/compare.ts';
import { renderData } from './pages/data.ts';
import { renderFlows } from './pages/flows.ts';
import { renderLogin } from './pages/login.ts';
import { renderPosts } from './pages/posts.ts';
import { renderRounds } from './pages/rounds.ts';
import { renderScenario } from './pages/scenario.ts';
import { renderTeacher } from './pages/teacher.ts';
import { renderTradeoff } from './pages/tradeoff.ts';
import { renderUsers } from './pages/users.ts';

export interface PageContext {
  route: Route;
  /** Aborted when the user leaves the page: polling loops stop, late answers are dropped. */
  signal: AbortSignal;
  /** Re-renders the shell (after the dataset list changed). */
  refreshShell: () => void;
}
type Renderer = (root: HTMLElement, ctx: PageContext) => Promise<void>;

const PAGES: Record<Exclude<PageName, 'login'>, { zh: string; en: string; render: Renderer }> = {
  data: { zh: '数据', en: 'Data', render: renderData },
  posts: { zh: '编制岗位', en: 'Posts', render: renderPosts },
  scenario: { zh: '方案', en: 'Scenario', render: renderScenario },
  rounds: { zh: '竞聘', en: 'Rounds', render: renderRounds },
  tradeoff: { zh: '权衡', en: 'Trade-off', render: renderTradeoff },
  flows: { zh: '流向', en: 'Flows', render: renderFlows },
  compare: { zh: '比较', en: 'Compare', render: renderCompare },
  audit: { zh: '审计', en: 'Audit', render: renderAudit },
  teacher: { zh: '教师', en: 'Teacher', render: renderTeacher },
  users: { zh: '用户', en: 'Users', render: renderUsers },
};

const app = document.getElementById('app')!;
let controller = new AbortController();

function topBar(route: Route): HTMLElement {
  const user = store.user;
  const ds = currentDataset();
  // The users tab only for admins: nobody else may read the list.
  const tabs = (Object.keys(PAGES) as (keyof typeof PAGES)[]).filter((p) => p !== 'users' || can('admin')).map((p) =>
    h('a', { href: href(p, p === 'compare' || p === 'teacher' ? {} : Object.fromEntries(route.page === p ? route.query : [])), class: `tab${route.page === p ? ' active' : ''}`, 'data-testid': `nav-${p}` },
      L(PAGES[p].zh, PAGES[p].en)));
  const datasetPicker = store.datasets.length > 0
    ? select(store.datasets.map((d) => ({ value: String(d.id), label: `#${d.id} ${d.name}` })), String(ds?.id ?? ''), (v) => {
      selectDataset(Number(v));
      navigate(route.page === 'login' ? 'data' : route.page);
      void render();
    }, { class: 'topbar-select', 'aria-label': L('数据集', 'Dataset'), 'data-testid': 'dataset-picker' })
    : null;
  return h('header', { class: 'topbar no-print' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, '轮'), h('span', { class: 'brand-name' }, L('轮岗', 'Lungang')),
      h('span', { class: 'brand-sub' }, L('教师交流轮岗方案', 'Teacher rotation planner'))),
    user && !user.must_change_password ? h('nav', { class: 'tabs' }, tabs) : h('div', { class: 'tabs' }),
    h('div', { class: 'topbar-right' },
      user ? datasetPicker : null,
      h('button', { class: 'btn btn-ghost', 'data-testid': 'lang-toggle', onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh') }, lang() === 'zh' ? 'English' : '中文'),
      user ? h('span', { class: 'user' }, user.username, h('span', { class: 'role' }, roleLabel(user.role))) : null,
      user ? h('button', { class: 'btn btn-ghost', onclick: () => void api.logout().finally(() => { store.user = null; navigate('login'); }) }, L('退出', 'Log out')) : null));
}

async function render(): Promise<void> {
  controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  const route = current();
  // The dataset list is re-read on every page change: colleagues upload too, and it is one small request.
  if (store.user && !store.user.must_change_password) {
    await refreshDatasets().catch(() => undefined);
    // A link to a run (#/flows?run=7) opens that run's dataset, whichever was open before.
    const runId = Number(route.query.get('run'));
    if (runId > 0) {
      const run = await api.run(runId).catch(() => null);
      if (run && run.dataset_id !== store.datasetId && store.datasets.some((d) => d.id === run.dataset_id)) selectDataset(run.dataset_id);
    }
  }
  if (signal.aborted) return;
  const main = h('main', { class: 'page', id: 'main' });
  mount(app, topBar(route), main);
  document.title = `${L('轮岗', 'Lungang')} · ${route.page === 'login' ? L('登录', 'Log in') : L(PAGES[route.page].zh, PAGES[route.page].en)}`;
  if (!store.user || route.page === 'login' || store.user.must_change_password) {
    mount(main, loading());
    await renderLogin(main, { route, signal, refreshShell: () => void render() }, async () => {
      // A one-time password must be changed first: the server refuses everything else until then.
      if (store.user?.must_change_password) { void render(); return; }
      await refreshDatasets();
      const target = route.page === 'login' ? href('data') : location.hash;
      // Same hash: no hashchange event fires, so render directly.
      if (location.hash === target) void render();
      else location.hash = target;
    });
    return;
  }
  mount(main, loading());
  try {
    await PAGES[route.page].render(main, { route, signal, refreshShell: () => void render() });
  } catch (err) {
    if (!signal.aborted) mount(main, errorView(err));
  }
}

async function start(): Promise<void> {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  setUnauthorizedHandler(() => {
    store.user = null;
    if (current().page !== 'login') void render();
  });
  try {
    store.user = await api.me();
    await refreshDatasets();
  } catch {
    store.user = null;
  }
  window.addEventListener('hashchange', () => void render());
  onLangChange(() => void render());
  await render();
}

void start();
