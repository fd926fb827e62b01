// Moves summed between groups for the sankey and the chord: locales, or clusters (学区) keyed by
// county and name. A county with 30+ clusters stays readable: the busiest clusters keep their
// own band and the quieter rest are grouped by county and locale ("乡村·其他 7 个学区") instead
// of one grey "other" that mixes town and village and even counties. Pure, like flows-model.ts.
import type { School } from './api.ts';
import { type Move, clusterKey, clusterOf, clusterParts, countyOf } from './flows-model.ts';

export interface GroupFlow { from: string; to: string; count: number; toward: number }

/** Moves summed between groups, largest first (then by keys, so equal flows keep one order). */
export function groupFlows(moves: readonly Move[], key: (s: School) => string): GroupFlow[] {
  const m = new Map<string, GroupFlow>();
  for (const x of moves) {
    const from = key(x.from);
    const to = key(x.to);
    const k = `${from}\u0000${to}`;
    const g = m.get(k) ?? { from, to, count: 0, toward: 0 };
    g.count += 1;
    if (x.dir === 'toward') g.toward += 1;
    m.set(k, g);
  }
  return [...m.values()].sort((a, b) => b.count - a.count || b.toward - a.toward || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export const LOCALES = ['urban', 'town', 'rural'] as const;
const localeRank = (l: string) => { const i = (LOCALES as readonly string[]).indexOf(l); return i < 0 ? LOCALES.length : i; };

/** A locale within a county, as a group key: the locale sankey keeps counties apart too. */
export const countyLocaleOf = (s: School): string => clusterKey(countyOf(s), s.locale);

/** Each cluster's locale: the one most of its schools have (urban before town before rural on a tie). */
export function clusterLocales(schools: readonly School[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const s of schools) {
    const c = counts.get(clusterOf(s)) ?? new Map<string, number>();
    c.set(s.locale, (c.get(s.locale) ?? 0) + 1);
    counts.set(clusterOf(s), c);
  }
  return new Map([...counts].map(([k, c]) => [k, [...c].sort((a, b) => b[1] - a[1] || localeRank(a[0]) - localeRank(b[0]))[0]![0]]));
}

// A lumped group's key: a marker, then the county and the locale in cluster-key form.
const LUMP = '\u001e';
export const lumpKey = (county: string, locale: string): string => `${LUMP}${clusterKey(county, locale)}`;
export const isLump = (key: string): boolean => key.startsWith(LUMP);
/** County and locale of a lumped group, or county and name of a cluster. */
export const groupParts = (key: string): { county: string; name: string; lump: boolean } => ({ ...clusterParts(isLump(key) ? key.slice(1) : key), lump: isLump(key) });

export interface ClusterGrouping {
  /** The group a cluster is drawn in: itself, or its county's locale lump. */
  groupOf: (cluster: string) => string;
  /** Clusters in each lump. */
  sizes: Map<string, number>;
  /** Locale of each group (a cluster's dominant locale, a lump's own). */
  localeOf: (group: string) => string;
  /** Groups in drawing order: county, then urban/town/rural, busiest first, each locale's lump last. */
  order: string[];
}

/**
 * Keeps the `keep` busiest clusters (teachers sent + received) and lumps the rest by county and
 * locale. A lump of one cluster is just that cluster. With `keep + 1` clusters or fewer nothing
 * is lumped.
 */
export function groupClusters(moves: readonly Move[], locales: ReadonlyMap<string, string>, keep: number): ClusterGrouping {
  const volume = new Map<string, number>();
  for (const m of moves) for (const s of [m.from, m.to]) volume.set(clusterOf(s), (volume.get(clusterOf(s)) ?? 0) + 1);
  const busiest = [...volume].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const kept = new Set(busiest.length <= keep + 1 ? busiest : busiest.slice(0, keep));
  const lumpOf = (c: string) => lumpKey(clusterParts(c).county, locales.get(c) ?? 'other');
  const sizes = new Map<string, number>();
  for (const c of busiest) if (!kept.has(c)) sizes.set(lumpOf(c), (sizes.get(lumpOf(c)) ?? 0) + 1);
  for (const [k, n] of sizes) if (n === 1) sizes.delete(k);
  const groupOf = (c: string) => (kept.has(c) || !sizes.has(lumpOf(c)) ? c : lumpOf(c));
  const localeOf = (g: string) => (isLump(g) ? groupParts(g).name : locales.get(g) ?? 'other');
  const groupVolume = new Map<string, number>();
  for (const [c, v] of volume) groupVolume.set(groupOf(c), (groupVolume.get(groupOf(c)) ?? 0) + v);
  const order = [...groupVolume.keys()].sort((a, b) => {
    const pa = groupParts(a);
    const pb = groupParts(b);
    return pa.county.localeCompare(pb.county, 'zh-CN') || localeRank(localeOf(a)) - localeRank(localeOf(b)) || Number(pa.lump) - Number(pb.lump)
      || groupVolume.get(b)! - groupVolume.get(a)! || a.localeCompare(b);
  });
  return { groupOf, sizes, localeOf, order };
}
