// Whole posts out of a total by weights: the largest-remainder (Hamilton) method, with a floor
// and a cap per share. A county's 编制 and 岗位 are counted in whole posts and the shares must add
// up to the approved total exactly (seed 002 §三(三)2: 在核定的编制总量和岗位总量内…统筹分配), so
// rounding each share on its own (which can overshoot or fall short of the total) will not do.

export interface Share {
  weight: number;
  /** Whole posts this share gets at least (the small rural school floor). */
  floor?: number;
  /** Whole posts this share gets at most (a grade's posts within a row's posts). */
  cap?: number;
}

export type Apportioned = { ok: true; counts: number[] } | { ok: false; floors: number; caps: number };

/**
 * Integers summing to `total`, each within [floor, cap], proportional to the weights elsewhere:
 * the real shares are found first (shares pinned at a floor or cap leave the rest to the others,
 * repeated until none moves), then each is rounded down and the posts left over go to the largest
 * fractions. Shares left all of weight 0 split equally. Not ok when the floors exceed the total or the
 * caps fall short of it.
 */
export function apportion(total: number, shares: readonly Share[]): Apportioned {
  const floor = shares.map((s) => s.floor ?? 0);
  const cap = shares.map((s) => s.cap ?? Number.POSITIVE_INFINITY);
  const floors = floor.reduce((a, x) => a + x, 0);
  const caps = cap.reduce((a, x) => a + x, 0);
  if (floors > total || caps < total) return { ok: false, floors, caps };
  const weight = shares.map((s) => Math.max(0, s.weight));
  const pinned = new Map<number, number>();
  const real = new Array<number>(shares.length).fill(0);
  for (;;) {
    const free = shares.map((_, i) => i).filter((i) => !pinned.has(i));
    const left = total - [...pinned.values()].reduce((a, x) => a + x, 0);
    const w = free.reduce((a, i) => a + (weight[i] ?? 0), 0);
    // Free shares all of weight 0 (or none weighted at all) split what is left equally.
    for (const i of free) real[i] = w > 0 ? (left * (weight[i] ?? 0)) / w : left / free.length;
    // Pin the floors first, then the caps: each pass only moves the rest one way, so it ends.
    const low = free.filter((i) => (real[i] ?? 0) < (floor[i] ?? 0) - 1e-9);
    const high = low.length > 0 ? [] : free.filter((i) => (real[i] ?? 0) > (cap[i] ?? 0) + 1e-9);
    if (low.length === 0 && high.length === 0) break;
    for (const i of low) pinned.set(i, floor[i] ?? 0);
    for (const i of high) pinned.set(i, cap[i] ?? 0);
  }
  for (const [i, v] of pinned) real[i] = v;
  const counts = real.map((x) => Math.floor(x + 1e-9));
  let rest = total - counts.reduce((a, x) => a + x, 0);
  // Largest fraction first; ties to the earlier share, so the result does not depend on sort internals.
  const order = real.map((x, i) => ({ i, frac: x - (counts[i] ?? 0) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest === 0) break;
    if ((counts[i] ?? 0) + 1 > (cap[i] ?? 0)) continue;
    counts[i] = (counts[i] ?? 0) + 1;
    rest -= 1;
  }
  // Every share pinned, floors and caps together missing the total: no split within both exists.
  return rest === 0 ? { ok: true, counts } : { ok: false, floors, caps };
}
