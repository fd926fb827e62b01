// The flows page's aggregated views: a sankey by locale, a sankey by cluster (学区) and a chord
// of exchanges between clusters, with their legends and notes. Clusters are keyed by county; the
// quieter ones are grouped by county and locale (flows-groups.ts). Every band, ribbon and arc
// shows its teachers on hover and hands its moves to the side panel on click.
import type { School } from '../api.ts';
import { drawChord } from '../charts/chord.ts';
import type { Tip } from '../charts/flows-tip.ts';
import { DIRECTION_COLOR, LOCALE_COLOR, groupPalette } from '../charts/palette.ts';
import { bandKey, drawSankey } from '../charts/sankey.ts';
import { h, mount } from '../dom.ts';
import { type GroupFlow, LOCALES, clusterLocales, countyLocaleOf, groupClusters, groupFlows, groupParts } from '../flows-groups.ts';
import { type Move, clusterKey, clusterOf, clusterParts, countyOf, movesDetail } from '../flows-model.ts';
import { int } from '../format.ts';
import { L, localeLabel } from '../i18n.ts';
import { legendItem } from '../widgets.ts';

export type GroupView = 'locale' | 'cluster' | 'chord';
/** Clusters shown one by one in the sankey and chord; the quieter rest are grouped by county and locale. */
const MAX_GROUPS = 16;

export interface GroupViewInput {
  view: GroupView;
  chart: HTMLElement;
  legend: HTMLElement;
  note: HTMLElement;
  tip: Tip;
  schools: readonly School[];
  moves: readonly Move[];
  /** Several counties are shown: names carry their county. */
  several: boolean;
  width: number;
  height: number;
  /** The band, ribbon or group selected (bandKey, or `key>` for a chord group). */
  selected: string | null;
  onPick: (key: string, title: string, moves: Move[]) => void;
}

/** A cluster's name as the page shows it: with its county when several are on screen. */
export function clusterLabel(key: string, several: boolean): string {
  const p = clusterParts(key);
  return `${several ? `${p.county}·` : ''}${p.name || L('未分学区', 'No cluster')}`;
}

export function drawGroupView(v: GroupViewInput): void {
  const byLocale = v.view === 'locale';
  const prefix = (county: string) => (v.several ? `${county}·` : '');
  // Locale groups carry the county too when several are shown: no band sums two counties.
  const localeKey = (s: School) => (v.several ? countyLocaleOf(s) : s.locale);
  const grouping = groupClusters(v.moves, clusterLocales(v.schools), MAX_GROUPS);
  const keyOf = byLocale ? localeKey : (s: School) => grouping.groupOf(clusterOf(s));
  const label = (k: string) => {
    if (byLocale) return v.several ? `${prefix(clusterParts(k).county)}${localeLabel(clusterParts(k).name)}` : localeLabel(k);
    const p = groupParts(k);
    if (!p.lump) return clusterLabel(k, v.several);
    const n = grouping.sizes.get(k) ?? 0;
    return `${prefix(p.county)}${L(`${localeLabel(p.name)}·其他 ${n} 个学区`, `${localeLabel(p.name)} · ${n} other clusters`)}`;
  };
  const palette = groupPalette(grouping.order.map((k) => ({ key: k, locale: grouping.localeOf(k), lump: groupParts(k).lump })));
  const color = (k: string) => (byLocale ? LOCALE_COLOR[v.several ? clusterParts(k).name : k] : palette.get(k)) ?? '#9aa5b1';
  const counties = [...new Set(v.schools.map(countyOf))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const order = byLocale ? counties.flatMap((c) => LOCALES.map((l) => (v.several ? clusterKey(c, l) : l))) : grouping.order;
  const movesOf = (from: string, to: string | null) => v.moves.filter((m) => (to === null
    ? keyOf(m.from) !== keyOf(m.to) && (keyOf(m.from) === from || keyOf(m.to) === from)
    : keyOf(m.from) === from && keyOf(m.to) === to));
  const pick = (from: string, to: string | null) => v.onPick(to === null ? `${from}>` : bandKey({ from, to }), to === null ? label(from) : `${label(from)} → ${label(to)}`, movesOf(from, to));
  const flows = groupFlows(v.moves, keyOf);
  const lumped = [...grouping.sizes.values()].reduce((a, n) => a + n, 0);
  const lumpNote = !byLocale && lumped > 0 ? L(` 交流较少的 ${lumped} 个学区按${v.several ? '县区和' : ''}城乡合并为“其他”组。`, ` The ${lumped} quietest clusters are grouped by ${v.several ? 'county and ' : ''}locale.`) : '';

  if (v.view === 'chord') {
    const within = flows.filter((g) => g.from === g.to).reduce((a, g) => a + g.count, 0);
    mount(v.chart, h('div', { class: 'center' }, drawChord({
      flows: flows.filter((g) => g.from !== g.to), label, color: (k) => color(k), width: v.width, height: v.height,
      order: (a, b) => grouping.order.indexOf(a) - grouping.order.indexOf(b), county: (k) => groupParts(k).county,
      tip: v.tip, detail: (a, b) => movesDetail(movesOf(a, b)), onPick: pick, selected: v.selected,
    })));
    mount(v.note, L(`弧长 = 该学区流出与流入人数；色带从流出学区指向流入学区，颜色随流出学区。学区内部交流 ${int(within)} 人未画出。`,
      `Arc = teachers sent and received; each ribbon points from the sending to the receiving cluster, coloured by the sender. ${int(within)} moves within a cluster are not drawn.`),
    v.several ? L(' 各县区分区排列，县区之间没有交流。', ' Each county has its own sector; no teacher moves between counties.') : '', lumpNote,
    L(' 悬停查看人数与学科，点击色带或弧查看教师。', ' Hover for teachers and subjects; click a ribbon or arc for its teachers.'));
  } else {
    mount(v.chart, drawSankey({
      flows, label, color, width: v.width, height: v.height, order, tip: v.tip,
      detail: (f: GroupFlow) => movesDetail(movesOf(f.from, f.to)), onBand: (f: GroupFlow) => pick(f.from, f.to), selected: v.selected,
    }));
    mount(v.note, L('左列为流出，右列为流入；带宽 ∝ 人数。', 'Left: where teachers leave; right: where they go; band width ∝ teachers.'), lumpNote,
      L(' 悬停查看人数与学科，点击色带查看教师。', ' Hover for teachers and subjects; click a band for its teachers.'));
  }
  mount(v.legend,
    h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, byLocale ? L('城乡', 'Locale') : L('学区', 'Clusters')),
      ...LOCALES.map((k) => legendItem('bar', LOCALE_COLOR[k]!, byLocale ? localeLabel(k) : L(`以${localeLabel(k)}学校为主`, `mostly ${localeLabel(k).toLowerCase()}`))),
      byLocale ? null : h('span', { class: 'legend-note' }, L('相邻学区深浅交替；灰色为合并的较小学区', 'neighbours alternate dark and light; grey: quieter clusters grouped'))),
    v.view === 'chord' ? null : h('span', { class: 'legend-group' }, h('span', { class: 'legend-title' }, L('流向', 'Flows')),
      legendItem('line', DIRECTION_COLOR.toward, L('多数流向乡村或薄弱学校', 'Mostly toward rural or weak')), legendItem('line', DIRECTION_COLOR.other, L('其他', 'Other'))));
}
