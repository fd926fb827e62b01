// One palette for every chart and legend: locales (school dots, sankey nodes), flow direction
// (arcs, ribbons), before/after and the runs being compared. Picked to stay distinct for the
// common colour-vision deficiencies and in greyscale print (different lightness per role).
import { hsl } from 'd3';

export const LOCALE_COLOR: Record<string, string> = { urban: '#2f5fb3', town: '#c98a1b', rural: '#2e8b57' };
export const DIRECTION_COLOR = { toward: '#d4551c', other: '#7b8794' } as const;
export const WEAK_RING = '#1f2933';
export const BEFORE_COLOR = '#b8c2cc';
export const RUN_COLORS = ['#2f5fb3', '#d4551c', '#2e8b57', '#8e44ad'];
export const THRESHOLD_COLOR = '#c0392b';

/**
 * Colours for clusters (学区): the hue of the locale most of its schools have (urban blue, town
 * amber, rural green), in shades dark to light, so a cluster's colour still says where it is.
 */
export function clusterPalette(clusters: readonly { key: string; locale: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const byLocale = new Map<string, string[]>();
  for (const c of clusters) byLocale.set(c.locale, [...(byLocale.get(c.locale) ?? []), c.key]);
  const order = ['urban', 'town', 'rural'];
  const rank = (l: string) => (order.includes(l) ? order.indexOf(l) : order.length);
  for (const [locale, keys] of [...byLocale].sort((x, y) => rank(x[0]) - rank(y[0]))) {
    const base = hsl(LOCALE_COLOR[locale] ?? '#7b8794');
    keys.forEach((k, i) => {
      const f = keys.length === 1 ? 0.5 : i / (keys.length - 1);
      out.set(k, hsl(base.h, base.s * (0.95 - 0.25 * f), 0.3 + 0.34 * f).formatHex());
    });
  }
  return out;
}
