// 流向 Flows: where the plan sends teachers. A map of the schools with the biggest school→school
// flows (the rest summed), in/out totals and the teachers of a clicked school; filters by
// subject, backbone, cluster and mode; and aggregated views that stay readable for 300 schools:
// sankeys between locales or clusters and a chord of exchanges between clusters.
import type { School } from '../api.ts';
import { drawChord } from '../charts/chord.ts';
import { type FlowMap, createFlowMap } from '../charts/map-flows.ts';
import { DIRECTION_COLOR, LOCALE_COLOR, WEAK_RING, clusterPalette } from '../charts/palette.ts';
import { drawSankey } from '../charts/sankey.ts';
import { h, kpi, mount, select } from '../dom.ts';
import {
  type FlowFilter, NO_CLUSTER, OTHER_GROUP, clusterOf, filterMoves, flowGraph, groupFlows, lumpGroups, resolveMoves, schoolFlows, summarize, topN,
} from '../flows-model.ts';
import { int, pct } from '../format.ts';
import { L, localeLabel, modeLabel, subjectLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, replaceQuery } from '../router.ts';
import { currentDataset, pickRun, resultOf, schoolIndex, schoolsOf } from '../store.ts';
import { emptyState, legendItem, pageHeader, runPicker } from '../widgets.ts';
import { schoolPanel, topSchoolsPanel } from './flows-panel.ts';

type View = 'map' | 'locale' | 'cluster' | 'chord';
const VIEWS: View[] = ['map', 'locale', 'cluster', 'chord'];
const viewLabel = (v: View) => ({ map: L('地图', 'Map'), locale: L('城乡流向', 'By locale'), cluster: L('学区流向', 'By cluster'), chord: L('学区互换', 'Cluster exchanges') })[v];
const TOP_CHOICES = ['30', '60', '120', 'all'];
/** Clusters shown one by one in the sankey and chord; the quieter rest is one "other" group. */
const MAX_GROUPS = 16;

export async function renderFlows(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const q = ctx.route.query;
  const { runs, run } = await pickRun(ds.id, q.get('run'));
  if (!run) {
    mount(root, pageHeader(L('流向', 'Flows'), null), emptyState(L('还没有求解结果', 'No finished run yet'), L('请在“方案”页求解一个方案。', 'Solve a scenario on the Scenario page.'), h('a', { class: 'btn btn-primary', href: href('scenario') }, L('去求解', 'Solve'))));
    return;
  }
  const [result, schools] = await Promise.all([resultOf(run.id), schoolsOf(ds.id)]);
  if (ctx.signal.aborted) return;
  // The benchmark measures from here (data in hand) to the chart being in the page.
  performance.clearMarks();
  performance.mark('flows:data');
  const bySchool = schoolIndex(schools);
  const allMoves = resolveMoves(result.plan, bySchool);
  const clusters = [...new Set(schools.map(clusterOf))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  let lumped = 0;
  const clusterName = (c: string) => (c === NO_CLUSTER ? L('未分学区', 'No cluster') : c === OTHER_GROUP ? L(`其他 ${lumped} 个学区`, `${lumped} other clusters`) : c);
  const palette = clusterPalette(clusters.map((key) => {
    const counts = new Map<string, number>();
    for (const s of schools) if (clusterOf(s) === key) counts.set(s.locale, (counts.get(s.locale) ?? 0) + 1);
    return { key, locale: [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other' };
  }));
  const clusterColor = (c: string) => palette.get(c) ?? '#9aa5b1';
  // Clusters ordered as the palette shades them: urban, town, rural, dark to light.
  const paletteOrder = [...palette.keys()];
  const clusterRank = (c: string) => (c === OTHER_GROUP ? 1e6 : paletteOrder.indexOf(c));
  const subjects = [...new Set(allMoves.map((m) => m.row.subject ?? ''))].filter(Boolean).sort();
  const modes = [...new Set(allMoves.map((m) => m.row.mode))].sort();

  const state = {
    view: (VIEWS.includes(q.get('view') as View) ? q.get('view') : 'map') as View,
    top: TOP_CHOICES.includes(q.get('top') ?? '') ? q.get('top')! : '60',
    school: q.get('school'),
    filter: { subject: q.get('subject') ?? '', backbone: q.get('backbone') ?? '', cluster: q.get('cluster') ?? '', mode: q.get('mode') ?? '' } satisfies FlowFilter,
  };

  const kpis = h('div', { class: 'kpis kpis-2 compact', 'data-testid': 'flow-kpis' });
  const chart = h('div', { class: 'chart-area', 'data-testid': 'flow-chart' });
  const legend = h('div', { class: 'legend', 'data-testid': 'flow-legend' });
  const note = h('p', { class: 'chart-note', 'data-testid': 'flow-rest' });
  const panel = h('div', { class: 'panel-body' });
  const side = h('aside', { class: 'side-panel card', 'data-testid': 'flow-side' }, kpis, panel);
  let map: FlowMap | null = null;
  let mapSize = '';
  const resetZoom = h('button', { class: 'btn btn-small', onclick: () => map?.resetZoom(), title: L('恢复全县视图', 'Back to the whole county') }, L('复位', 'Reset view'));

  const draw = () => {
    const t0 = performance.now();
    replaceQuery({ run: run.id, view: state.view === 'map' ? null : state.view, top: state.top === '60' ? null : state.top, school: state.school, ...state.filter });
    const moves = filterMoves(allMoves, state.filter);
    const flows = schoolFlows(moves);
    const n = state.top === 'all' ? flows.length : Number(state.top);
    const cut = topN(flows, n);
    const graph = flowGraph(schools, flows);
    const sum = summarize(moves, flows);
    mount(kpis,
      kpi(L('交流教师', 'Teachers moved'), int(sum.teachers), L(`全部方案 ${int(allMoves.length)} 人`, `${int(allMoves.length)} in the plan`), undefined, 'kpi-moved'),
      kpi(L('其中骨干', 'Backbone'), int(sum.backbone), pct(sum.teachers ? sum.backbone / sum.teachers : null), undefined, 'kpi-backbone'),
      kpi(L('流向乡村/薄弱', 'Toward rural/weak'), int(sum.toward), pct(sum.teachers ? sum.toward / sum.teachers : null), undefined, 'kpi-toward'),
      kpi(L('学校间流向', 'School-to-school flows'), int(sum.flows), L(`${sum.schoolsSending} 所流出 · ${sum.schoolsReceiving} 所流入`, `${sum.schoolsSending} out · ${sum.schoolsReceiving} in`), undefined, 'kpi-flows'));
    const width = Math.max(560, Math.floor(chart.clientWidth || 900));
    // The chart fills the window below it (a 1440×900 screen shows it whole), within reason.
    const height = Math.round(Math.min(900, Math.max(440, window.innerHeight - chart.getBoundingClientRect().top - 56)));
    if (state.view === 'map') {
      const size = `${width}x${height}`;
      if (!map || mapSize !== size) { map = createFlowMap(width, height); mapSize = size; }
      // A selected school shows all its flows, not only those among the county's top N.
      const drawn = state.school ? [...cut.top, ...flows.slice(cut.top.length).filter((f) => f.from.id === state.school || f.to.id === state.school)] : cut.top;
      map.update({ schools, flows: drawn, graph, selected: state.school, width, height, onSelect: (id: string | null) => { state.school = id; draw(); } });
      if (!chart.contains(map.svg)) mount(chart, map.svg, h('div', { class: 'map-tools' }, resetZoom));
      mount(note, L(`图上画出前 ${cut.top.length} 条流向共 ${int(cut.top.reduce((a, f) => a + f.count, 0))} 人。`, `The top ${cut.top.length} flows (${int(cut.top.reduce((a, f) => a + f.count, 0))} teachers) are drawn. `),
        cut.rest.flows > 0
          ? L(`其余 ${int(cut.rest.flows)} 条较小的流向合计 ${int(cut.rest.teachers)} 人（其中流向乡村/薄弱 ${int(cut.rest.toward)} 人）未画出，已计入各校流入流出合计。`,
            `The other ${int(cut.rest.flows)} smaller flows (${int(cut.rest.teachers)} teachers, ${int(cut.rest.toward)} toward rural/weak) are not drawn but are in every school's totals.`)
          : L('已画出全部流向。', 'All flows are drawn.'),
        L(' 滚轮缩放、拖动平移；点击学校查看调入调出教师。', ' Scroll to zoom, drag to pan; click a school for its teachers.'));
      const noCoords = schools.filter((s) => s.lat === undefined || s.lon === undefined).length;
      if (noCoords > 0) note.append(' ', L(`${noCoords} 所学校缺少经纬度，未在地图上显示。`, `${noCoords} schools have no coordinates and are not on the map.`));
      mount(legend,
        h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('学校', 'Schools')),
          ...['urban', 'town', 'rural'].map((k) => legendItem('dot', LOCALE_COLOR[k]!, localeLabel(k))), legendItem('ring', WEAK_RING, L('薄弱学校', 'Weak school')),
          h('span', { class: 'legend-note' }, L('圆点大小 ∝ 在校生', 'dot size ∝ students'))),
        h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('流向', 'Flows')),
          legendItem('line', DIRECTION_COLOR.toward, L('流向乡村或薄弱学校', 'Toward rural or weak')), legendItem('line', DIRECTION_COLOR.other, L('其他流向', 'Other')),
          h('span', { class: 'legend-note' }, L('线宽 ∝ 人数，箭头指向调入学校', 'width ∝ teachers, arrow at the receiving school'))),
        );
    } else if (state.view === 'chord') {
      const all = groupFlows(moves, clusterOf);
      const within = all.filter((g) => g.from === g.to).reduce((a, g) => a + g.count, 0);
      const lump = lumpGroups(all.filter((g) => g.from !== g.to), MAX_GROUPS);
      const gf = lump.flows;
      lumped = lump.lumped;
      mount(chart, h('div', { class: 'center' }, drawChord({ flows: gf, label: clusterName, color: (k) => clusterColor(k), width, height, order: (a, b) => clusterRank(a) - clusterRank(b) })));
      mount(note, L(`弧长 = 该学区流出与流入人数；色带从流出学区指向流入学区，颜色随流出学区。学区内部交流 ${int(within)} 人未画出。`,
        `Arc = teachers sent and received; each ribbon points from the sending to the receiving cluster, coloured by the sender. ${int(within)} moves within a cluster are not drawn.`),
        lumped > 0 ? L(` 交流人数较少的 ${lumped} 个学区合并为“其他”。`, ` The ${lumped} quietest clusters are merged into “other”.`) : '');
      mount(legend, h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('学区', 'Clusters')),
        ...['urban', 'town', 'rural'].map((k) => legendItem('bar', LOCALE_COLOR[k]!, L(`以${localeLabel(k)}学校为主`, `mostly ${localeLabel(k).toLowerCase()}`))),
        h('span', { class: 'legend-note' }, L('同色系深浅区分学区；↑流出 ↓流入（人）', 'shades tell clusters apart; ↑ sent ↓ received'))));
    } else {
      const byLocale = state.view === 'locale';
      const lump = byLocale ? { flows: groupFlows(moves, (s: School) => s.locale), lumped: 0 } : lumpGroups(groupFlows(moves, clusterOf), MAX_GROUPS);
      const gf = lump.flows;
      lumped = lump.lumped;
      mount(chart, drawSankey({ flows: gf, label: byLocale ? localeLabel : clusterName, color: byLocale ? (k) => LOCALE_COLOR[k] ?? '#888' : clusterColor, width, height,
        order: byLocale ? ['urban', 'town', 'rural'] : [...paletteOrder, OTHER_GROUP] }));
      mount(note, L('左列为流出，右列为流入；带宽 ∝ 人数。', 'Left: where teachers leave; right: where they go; band width ∝ teachers.'),
        lumped > 0 ? L(` 交流人数较少的 ${lumped} 个学区合并为“其他”。`, ` The ${lumped} quietest clusters are merged into “other”.`) : '');
      mount(legend,
        h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, byLocale ? L('城乡', 'Locale') : L('学区', 'Clusters')),
          ...['urban', 'town', 'rural'].map((k) => legendItem('bar', LOCALE_COLOR[k]!, byLocale ? localeLabel(k) : L(`以${localeLabel(k)}学校为主`, `mostly ${localeLabel(k).toLowerCase()}`)))),
        h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('流向', 'Flows')),
          legendItem('line', DIRECTION_COLOR.toward, L('多数流向乡村或薄弱学校', 'Mostly toward rural or weak')), legendItem('line', DIRECTION_COLOR.other, L('其他', 'Other'))));
    }
    const selected = state.school ? bySchool.get(state.school) : undefined;
    if (selected) void schoolPanel(panel, { school: selected, moves, graph, datasetId: ds.id, runId: run.id, signal: ctx.signal, onClose: () => { state.school = null; draw(); } });
    else topSchoolsPanel(panel, schools, graph, (id) => { state.school = id; if (state.view !== 'map') state.view = 'map'; syncControls(); draw(); });
    chart.dataset.renderMs = (performance.now() - t0).toFixed(1);
  };

  const opt = (v: string, label: string) => ({ value: v, label });
  const filterSelect = (key: keyof FlowFilter, options: { value: string; label: string }[], testid: string) =>
    select(options, state.filter[key], (v) => { state.filter[key] = v; draw(); }, { 'data-testid': testid });
  const viewButtons = VIEWS.map((v) => h('button', { class: state.view === v ? 'active' : '', 'data-view': v, 'data-testid': `view-${v}`, onclick: () => { state.view = v; syncControls(); draw(); } }, viewLabel(v)));
  const syncControls = () => { for (const b of viewButtons) b.classList.toggle('active', b.dataset.view === state.view); };

  mount(root,
    pageHeader(L('流向', 'Flows'), L(`运行 #${run.id} ${run.scenario_name} · 共 ${int(allMoves.length)} 人交流`, `Run #${run.id} ${run.scenario_name} · ${int(allMoves.length)} teachers moved`),
      runPicker(runs, run.id, (id) => { location.hash = href('flows', { run: id }); })),
    h('div', { class: 'toolbar' },
      h('div', { class: 'segmented', role: 'tablist' }, viewButtons),
      h('div', { class: 'filters' },
        filterSelect('subject', [opt('', L('全部学科', 'All subjects')), ...subjects.map((s) => opt(s, subjectLabel(s)))], 'flow-subject'),
        filterSelect('backbone', [opt('', L('全部教师', 'All teachers')), opt('1', L('仅骨干', 'Backbone only')), opt('0', L('仅非骨干', 'Non-backbone'))], 'flow-backbone'),
        filterSelect('cluster', [opt('', L('全部学区', 'All clusters')), ...clusters.map((c) => opt(c, clusterName(c)))], 'flow-cluster'),
        filterSelect('mode', [opt('', L('全部方式', 'All modes')), ...modes.map((m) => opt(m, modeLabel(m)))], 'flow-mode'),
        h('label', { class: 'inline-field' }, h('span', null, L('显示', 'Show')),
          select(TOP_CHOICES.map((c) => opt(c, c === 'all' ? L('全部流向', 'all flows') : L(`前 ${c} 条`, `top ${c}`))), state.top, (v) => { state.top = v; draw(); }, { 'data-testid': 'flow-top' })))),
    h('div', { class: 'layout-side flows-layout' },
      h('section', { class: 'card chart-card' }, legend, chart, note),
      side));
  draw();
  performance.mark('flows:rendered');
  // The chart is sized to the window: redraw when it changes (the listener goes with the page).
  let resizeTimer = 0;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = window.setTimeout(draw, 150); }, { signal: ctx.signal });
  performance.measure('flows:render', 'flows:data', 'flows:rendered');
}
