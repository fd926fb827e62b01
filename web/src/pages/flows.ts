// 流向 Flows: where the plan sends teachers, for one county of the file or all. A map where
// schools that overlap at the current zoom merge into one node and every flow is drawn — strong
// above a threshold the user slides, faded below; in/out totals and the teachers of whatever is
// clicked (school, merged node, arc, band, ribbon); filters by subject, backbone, cluster and
// mode; and aggregated views that stay readable for 300 schools: sankeys between locales or
// clusters and a chord of exchanges between clusters (flows-views.ts).
import { createTip } from '../charts/flows-tip.ts';
import { type FlowMap, type MapLayout, type SizeBy, createFlowMap } from '../charts/map-flows.ts';
import { arcKey } from '../charts/map-arcs.ts';
import { nodeName } from '../charts/map-layers.ts';
import { DIRECTION_COLOR, LOCALE_COLOR, NET_COLOR, WEAK_RING } from '../charts/palette.ts';
import { h, kpi, mount, select } from '../dom.ts';
import type { MapNode } from '../flows-merge.ts';
import { type FlowFilter, type Move, clusterOf, filterMoves, flowGraph, inCounty, resolveMoves, schoolFlows, summarize } from '../flows-model.ts';
import { int, pct } from '../format.ts';
import { L, localeLabel, modeLabel, subjectLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { href, replaceQuery } from '../router.ts';
import { currentDataset, pickRun, resultOf, schoolIndex, schoolsOf } from '../store.ts';
import { countyPicker, emptyState, legendItem, pageCounty, pageHeader, runPicker } from '../widgets.ts';
import { flowPanel, nodePanel, schoolPanel, topSchoolsPanel } from './flows-panel.ts';
import { type GroupView, clusterLabel, drawGroupView } from './flows-views.ts';

type View = 'map' | GroupView;
const VIEWS: View[] = ['map', 'locale', 'cluster', 'chord'];
const viewLabel = (v: View) => ({ map: L('地图', 'Map'), locale: L('城乡流向', 'By locale'), cluster: L('学区流向', 'By cluster'), chord: L('学区互换', 'Cluster exchanges') })[v];
/** What the side panel shows besides a school (which lives in the URL): a merged node or a flow's moves. */
type Pick = { kind: 'node'; node: MapNode } | { kind: 'flow'; key: string; title: string; moves: Move[] };

export async function renderFlows(root: HTMLElement, ctx: PageContext): Promise<void> {
  const ds = currentDataset();
  if (!ds) { mount(root, emptyState(L('还没有数据集', 'No dataset yet'), L('请先导入数据。', 'Import data first.'))); return; }
  const q = ctx.route.query;
  const { runs, run } = await pickRun(ds.id, q.get('run'));
  if (!run) {
    mount(root, pageHeader(L('流向', 'Flows'), null), emptyState(L('还没有求解结果', 'No finished run yet'), L('请在“方案”页求解一个方案。', 'Solve a scenario on the Scenario page.'), h('a', { class: 'btn btn-primary', href: href('scenario') }, L('去求解', 'Solve'))));
    return;
  }
  const [result, allSchools] = await Promise.all([resultOf(run.id), schoolsOf(ds.id)]);
  if (ctx.signal.aborted) return;
  // The benchmark measures from here (data in hand) to the chart being in the page.
  performance.clearMarks();
  performance.mark('flows:data');
  const bySchool = schoolIndex(allSchools);
  const planMoves = resolveMoves(result.plan, bySchool);
  const county = pageCounty(ds.counties, q.get('county'));
  const { schools, moves: allMoves } = inCounty(allSchools, planMoves, county);
  const several = !county && ds.counties.length > 1;
  const clusters = [...new Set(schools.map(clusterOf))].sort((a, b) => clusterLabel(a, several).localeCompare(clusterLabel(b, several), 'zh-CN'));
  const subjects = [...new Set(allMoves.map((m) => m.row.subject ?? ''))].filter(Boolean).sort();
  const modes = [...new Set(allMoves.map((m) => m.row.mode))].sort();
  const threshold = Number(q.get('min'));

  const state = {
    view: (VIEWS.includes(q.get('view') as View) ? q.get('view') : 'map') as View,
    /** Strong flows have at least this many teachers; null = the default (about 60 strong). */
    threshold: Number.isInteger(threshold) && threshold >= 1 ? threshold : null as number | null,
    sizeBy: (q.get('size') === 'net' ? 'net' : 'students') as SizeBy,
    school: q.get('school') !== null && schools.some((s) => s.id === q.get('school')) ? q.get('school') : null,
    pick: null as Pick | null,
    filter: { subject: q.get('subject') ?? '', backbone: q.get('backbone') ?? '', cluster: clusters.includes(q.get('cluster') ?? '') ? q.get('cluster')! : '', mode: q.get('mode') ?? '' } satisfies FlowFilter,
  };

  const kpis = h('div', { class: 'kpis kpis-2 compact', 'data-testid': 'flow-kpis' });
  const tip = createTip();
  const chart = h('div', { class: 'chart-area', 'data-testid': 'flow-chart' });
  const legend = h('div', { class: 'legend', 'data-testid': 'flow-legend' });
  const note = h('p', { class: 'chart-note', 'data-testid': 'flow-rest' });
  const panel = h('div', { class: 'panel-body', 'data-testid': 'flow-panel' });
  const side = h('aside', { class: 'side-panel card', 'data-testid': 'flow-side' }, kpis, panel);
  const slider = h('input', { type: 'range', min: 1, max: 10, step: 1, 'data-testid': 'flow-threshold', 'aria-label': L('强显示的最小人数', 'Fewest teachers drawn strongly') });
  const sliderValue = h('span', { class: 'threshold-value', 'data-testid': 'flow-threshold-value' });
  const mapTools = h('label', { class: 'inline-field map-only' }, h('span', null, L('强显示 ≥', 'Strong ≥')), slider, sliderValue);
  const sizeBy = h('label', { class: 'inline-field map-only' }, h('span', null, L('圆点', 'Dots')),
    select([{ value: 'students', label: L('在校生 · 城乡', 'students · locale') }, { value: 'net', label: L('教师净增减', 'net teacher change') }], state.sizeBy, (v) => { state.sizeBy = v as SizeBy; draw(); }, { 'data-testid': 'flow-size' }));
  const mapOnly = [sizeBy, mapTools];
  slider.addEventListener('input', () => { state.threshold = Number(slider.value); draw(); });
  let map: FlowMap | null = null;
  let mapSize = '';
  const resetZoom = h('button', { class: 'btn btn-small', onclick: () => map?.resetZoom(), title: L('恢复全图', 'Back to the whole map') }, L('复位', 'Reset view'));
  const selectSchool = (id: string | null) => { state.school = id; state.pick = null; };
  const panelCtx = () => ({ datasetId: ds.id, runId: run.id, signal: ctx.signal, onClose: () => { selectSchool(null); draw(); } });

  const noCoords = schools.filter((s) => s.lat === undefined || s.lon === undefined).length;
  /** The map's note and slider follow each layout: zooming merges and splits nodes, so their flows change. */
  const onLayout = (l: MapLayout) => {
    slider.max = String(Math.max(2, l.maxCount, l.threshold));
    slider.value = String(l.threshold);
    sliderValue.textContent = L(`${l.threshold} 人`, `${l.threshold}`);
    const faded = l.flows.length - l.strong;
    mount(note, faded === 0
      ? L(`共 ${int(l.flows.length)} 条流向，全部以实线画出（每条 ≥ ${l.threshold} 人）。`, `All ${int(l.flows.length)} flows are drawn solid (≥ ${l.threshold} teachers each).`)
      : L(`共 ${int(l.flows.length)} 条流向全部画出：${int(l.strong)} 条 ≥ ${l.threshold} 人的实线带箭头，其余 ${int(faded)} 条（${int(l.fadedTeachers)} 人，其中流向乡村/薄弱 ${int(l.fadedToward)} 人）淡色显示。`,
        `All ${int(l.flows.length)} flows are drawn: ${int(l.strong)} of ≥ ${l.threshold} teachers solid with arrows, the other ${int(faded)} (${int(l.fadedTeachers)} teachers, ${int(l.fadedToward)} toward rural/weak) faded.`),
    l.merged > 0 ? L(` ${l.merged} 个圆点由相互重叠的学校合并而成（数字为学校数），其内部交流 ${int(l.within)} 人不画线。`, ` ${l.merged} dots merge schools that overlap at this zoom (the number is how many); ${int(l.within)} moves inside them have no line.`) : '',
    L(' 滚轮缩放、拖动平移；悬停查看人数与学科，点击学校或流向线查看教师。', ' Scroll to zoom, drag to pan; hover for teachers and subjects, click a school or a flow for its teachers.'),
    noCoords > 0 ? L(` ${noCoords} 所学校缺少经纬度，未在地图上显示。`, ` ${noCoords} schools have no coordinates and are not on the map.`) : '');
  };

  const draw = () => {
    const t0 = performance.now();
    replaceQuery({ run: run.id, county: ds.counties.length > 1 ? county || null : null, view: state.view === 'map' ? null : state.view, min: state.threshold,
      size: state.sizeBy === 'net' ? 'net' : null, school: state.school, ...state.filter });
    for (const el of mapOnly) el.hidden = state.view !== 'map';
    const moves = filterMoves(allMoves, state.filter);
    const flows = schoolFlows(moves);
    const graph = flowGraph(schools, flows);
    const sum = summarize(moves, flows);
    mount(kpis,
      kpi(L('交流教师', 'Teachers moved'), int(sum.teachers), L(`全部方案 ${int(allMoves.length)} 人`, `${int(allMoves.length)} in the plan`), undefined, 'kpi-moved'),
      kpi(L('其中骨干', 'Backbone'), int(sum.backbone), pct(sum.teachers ? sum.backbone / sum.teachers : null), undefined, 'kpi-backbone'),
      kpi(L('流向乡村/薄弱', 'Toward rural/weak'), int(sum.toward), pct(sum.teachers ? sum.toward / sum.teachers : null), undefined, 'kpi-toward'),
      kpi(L('学校间流向', 'School-to-school flows'), int(sum.flows), L(`${sum.schoolsSending} 所流出 · ${sum.schoolsReceiving} 所流入`, `${sum.schoolsSending} out · ${sum.schoolsReceiving} in`), undefined, 'kpi-flows'),
      kpi(L('学区/集团内', 'Within a cluster'), int(sum.withinCluster), pct(sum.teachers ? sum.withinCluster / sum.teachers : null), undefined, 'kpi-within'),
      kpi(L('跨学区/集团', 'Across clusters'), int(sum.crossCluster), pct(sum.teachers ? sum.crossCluster / sum.teachers : null), undefined, 'kpi-cross'));
    const width = Math.max(560, Math.floor(chart.clientWidth || 900));
    // The chart fills the window below it (a 1440×900 screen shows it whole), within reason.
    const height = Math.round(Math.min(900, Math.max(440, window.innerHeight - chart.getBoundingClientRect().top - 56)));
    const pick = state.pick;
    if (state.view === 'map') {
      const size = `${width}x${height}`;
      if (!map || mapSize !== size) { map = createFlowMap(width, height); mapSize = size; }
      const selected = new Set(pick?.kind === 'node' ? pick.node.schools.map((s) => s.id) : state.school ? [state.school] : []);
      map.update({
        schools, flows, graph, threshold: state.threshold, sizeBy: state.sizeBy, selected, selectedFlow: pick?.kind === 'flow' ? pick.key : null,
        clusterLabel: (k) => clusterLabel(k, several), tip, width, height, onLayout,
        onNode: (n) => {
          if (n && n.schools.length > 1) { state.school = null; state.pick = { kind: 'node', node: n }; } else selectSchool(n?.schools[0]!.id ?? null);
          draw();
        },
        onFlow: (f) => { state.school = null; state.pick = { kind: 'flow', key: arcKey(f), title: `${nodeName(f.from)} → ${nodeName(f.to)}`, moves: f.moves }; draw(); },
      });
      if (!chart.contains(map.svg)) mount(chart, map.svg, tip.el, h('div', { class: 'map-tools' }, resetZoom));
      mount(legend, ...mapLegend(state.sizeBy, moves.some((m) => m.row.mode === 'itinerant')));
    } else {
      mount(chart);
      drawGroupView({ view: state.view, chart, legend, note, tip, schools, moves, several, width, height, selected: pick?.kind === 'flow' ? pick.key : null,
        onPick: (key, title, picked) => { state.school = null; state.pick = { kind: 'flow', key, title, moves: picked }; draw(); } });
      chart.append(tip.el);
    }
    const school = state.school ? bySchool.get(state.school) : undefined;
    if (pick?.kind === 'flow') void flowPanel(panel, pick.key, pick.title, pick.moves, panelCtx());
    else if (pick?.kind === 'node') nodePanel(panel, { schools: pick.node.schools, graph, onPick: (id) => { selectSchool(id); draw(); }, onZoom: () => map?.zoomTo(new Set(pick.node.schools.map((s) => s.id))), onClose: panelCtx().onClose });
    else if (school) void schoolPanel(panel, school, moves, graph, panelCtx());
    else topSchoolsPanel(panel, schools, graph, (id) => { selectSchool(id); if (state.view !== 'map') state.view = 'map'; syncControls(); draw(); }, several);
    chart.dataset.renderMs = (performance.now() - t0).toFixed(1);
  };

  const opt = (v: string, label: string) => ({ value: v, label });
  const filterSelect = (key: keyof FlowFilter, options: { value: string; label: string }[], testid: string) =>
    select(options, state.filter[key], (v) => { state.filter[key] = v; state.pick = null; draw(); }, { 'data-testid': testid });
  const viewButtons = VIEWS.map((v) => h('button', { class: state.view === v ? 'active' : '', 'data-view': v, 'data-testid': `view-${v}`, onclick: () => { state.view = v; state.pick = null; syncControls(); draw(); } }, viewLabel(v)));
  const syncControls = () => { for (const b of viewButtons) b.classList.toggle('active', b.dataset.view === state.view); };

  mount(root,
    pageHeader(L('流向', 'Flows'), L(`运行 #${run.id} ${run.scenario_name} · ${county ? `${county} ` : ''}共 ${int(allMoves.length)} 人交流`, `Run #${run.id} ${run.scenario_name} · ${county ? `${county}: ` : ''}${int(allMoves.length)} teachers moved`),
      countyPicker(ds.counties, county, (c) => { location.hash = href('flows', { run: run.id, county: c || null, view: state.view === 'map' ? null : state.view }); }),
      runPicker(runs, run.id, (id) => { location.hash = href('flows', { run: id, county: county || null }); })),
    h('div', { class: 'toolbar' },
      h('div', { class: 'segmented', role: 'tablist' }, viewButtons),
      h('div', { class: 'filters' },
        filterSelect('subject', [opt('', L('全部学科', 'All subjects')), ...subjects.map((s) => opt(s, subjectLabel(s)))], 'flow-subject'),
        filterSelect('backbone', [opt('', L('全部教师', 'All teachers')), opt('1', L('仅骨干', 'Backbone only')), opt('0', L('仅非骨干', 'Non-backbone'))], 'flow-backbone'),
        filterSelect('cluster', [opt('', L('全部学区', 'All clusters')), ...clusters.map((c) => opt(c, clusterLabel(c, several)))], 'flow-cluster'),
        filterSelect('mode', [opt('', L('全部方式', 'All modes')), ...modes.map((m) => opt(m, modeLabel(m)))], 'flow-mode'),
        ...mapOnly)),
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

/** `itinerant`: some flow on the map has 走教 teachers (only then is the dashed line explained). */
function mapLegend(sizeBy: SizeBy, itinerant: boolean) {
  const schools = sizeBy === 'net'
    ? [legendItem('dot', NET_COLOR.gain, L('净调入', 'net gain')), legendItem('dot', NET_COLOR.loss, L('净调出', 'net loss')), legendItem('dot', NET_COLOR.none, L('持平', 'even')),
      legendItem('ring', WEAK_RING, L('薄弱学校', 'Weak school')), h('span', { class: 'legend-note' }, L('圆点大小 ∝ 净增减人数', 'dot size ∝ net change'))]
    : [...['urban', 'town', 'rural'].map((k) => legendItem('dot', LOCALE_COLOR[k]!, localeLabel(k))), legendItem('ring', WEAK_RING, L('薄弱学校', 'Weak school')),
      h('span', { class: 'legend-note' }, L('圆点大小 ∝ 在校生', 'dot size ∝ students'))];
  return [
    h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('学校', 'Schools')), ...schools),
    h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('流向', 'Flows')),
      legendItem('line', DIRECTION_COLOR.toward, L('多数流向乡村或薄弱学校', 'Mostly toward rural or weak')), legendItem('line', DIRECTION_COLOR.other, L('其他流向', 'Other')),
      itinerant ? legendItem('dashed', DIRECTION_COLOR.other, L('虚线：多数为走教（编制留在原校，按份额任教）', 'dashed: mostly itinerant (post at home, part-time there)')) : null,
      h('span', { class: 'legend-note' }, L('线宽 ∝ 人数，箭头指向调入学校；淡线低于阈值', 'width ∝ teachers, arrow at the receiving school; pale: below the threshold'))),
  ];
}
