// One palette for every chart and legend: locales (school dots, sankey nodes), flow direction
// (arcs, ribbons), before/after and the runs being compared. Picked to stay distinct for the
// common colour-vision deficiencies and in greyscale print (different lightness per role).
import { hsl, interpolateRgb } from 'd3';

export const LOCALE_COLOR: Record<string, string> = { urban: '#2f5fb3', town: '#c98a1b', rural: '#2e8b57' };
export const DIRECTION_COLOR = { toward: '#d4551c', other: '#7b8794' } as const;
export const WEAK_RING = '#1f2933';
export const BEFORE_COLOR = '#b8c2cc';
export const RUN_COLORS = ['#2f5fb3', '#d4551c', '#2e8b57', '#8e44ad'];
export const THRESHOLD_COLOR = '#c0392b';
/** Net teacher change on the map: gain blue, loss red (a diverging pair that survives deuteranopia), none grey. */
export const NET_COLOR = { gain: '#2166ac', loss: '#b2182b', none: '#c4ccd4' } as const;
const toGain = interpolateRgb(NET_COLOR.none, NET_COLOR.gain);
const toLoss = interpolateRgb(NET_COLOR.none, NET_COLOR.loss);
/** A node's colour for a net change, saturating at ±`max` (never pale: at least 35% of the way). */
export const netColor = (net: number, max: number): string =>
  net === 0 ? NET_COLOR.none : (net > 0 ? toGain : toLoss)(0.35 + 0.65 * Math.min(1, Math.abs(net) / Math.max(1, max)));

/** Shade i of n, interleaved (0, ⌈n/2⌉, 1, ⌈n/2⌉+1, …) so neighbours differ by about half the range. */
const interleaved = (i: number, n: number): number => {
  const half = Math.ceil(n / 2);
  const step = i % 2 === 0 ? i / 2 : half + (i - 1) / 2;
  return n === 1 ? 0.5 : step / (n - 1);
};

/**
 * Colours for cluster groups (学区) in drawing order: the hue of the group's locale (urban blue,
 * town amber, rural green), so a colour still says where a cluster is, and within each run of one
 * locale the shades alternate dark and light, so neighbouring bands and arcs never blur into one
 * another. A lumped group ("乡村·其他 7 个学区") is a greyed version of its locale's hue.
 */
export function groupPalette(groups: readonly { key: string; locale: string; lump: boolean }[]): Map<string, string> {
  const out = new Map<string, string>();
  let run: string[] = [];
  const flush = (locale: string) => {
    const base = hsl(LOCALE_COLOR[locale] ?? '#7b8794');
    run.forEach((k, i) => out.set(k, hsl(base.h, base.s * 0.85, 0.28 + 0.4 * interleaved(i, run.length)).formatHex()));
    run = [];
  };
  groups.forEach((g, i) => {
    if (g.lump) out.set(g.key, hsl(hsl(LOCALE_COLOR[g.locale] ?? '#7b8794').h, 0.14, 0.62).formatHex());
    else run.push(g.key);
    const next = groups[i + 1];
    if (!next || next.locale !== g.locale || next.lump !== g.lump) flush(g.locale);
  });
  return out;
}
