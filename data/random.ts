// Seeded pseudo-random numbers for the synthetic-data generator.
//
// The generator must be byte-for-byte reproducible (same seed → identical CSV files on every
// machine), so it never touches Math.random. It uses mulberry32: a 32-bit state, one
// Math.imul-based mixing step per draw, period 2^32. Its statistical quality is plenty for test
// data and it is fast (tens of millions of draws per second). Distributions on top of it:
//   normal       Box–Muller (one value per call; the spare is dropped to keep the stream simple)
//   logNormal    exp(ln(median) + sigma·N(0,1)), so `median` is the median of the result
//   exponential  −mean·ln(1−U)
// Independent sub-streams (one per county, per table) come from `derive(seed, ...salts)`, a
// string hash (FNV-1a) of the seed and the salts, so adding draws in one part of the generator
// does not shift the numbers in another.

/** mulberry32: returns a function giving uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of the seed and salts: a 32-bit seed for an independent sub-stream. */
export function derive(seed: number, ...salts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of [String(seed), ...salts.map(String)].join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  /** Uniform integer in [a, b] (inclusive). */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Log-normal with the given median and log-scale sigma. */
  logNormal(median: number, sigma: number): number {
    return Math.exp(Math.log(median) + sigma * this.normal());
  }
  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
  /** Triangular on [a, b] with mode c. */
  triangular(a: number, c: number, b: number): number {
    const u = this.next();
    const f = (c - a) / (b - a);
    return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
  }
  /** One element, uniformly. The array must not be empty. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick: empty array');
    return item;
  }
  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = (Object.entries(weights) as [K, number | undefined][]).map(([k, w]): [K, number] => [k, Math.max(0, w ?? 0)]);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('Rng.weighted: no weights');
    return last[0];
  }
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
  /** `k` items without replacement, weighted (Efraimidis–Spirakis keys u^(1/w)); order = draw order. */
  sampleWeighted<T>(items: readonly T[], weight: (item: T) => number, k: number): T[] {
    const keyed = items
      .map((item) => ({ item, w: weight(item), u: this.next() }))
      .filter((x) => x.w > 0)
      .map((x) => ({ item: x.item, key: Math.log(x.u) / x.w }));
    keyed.sort((a, b) => b.key - a.key);
    return keyed.slice(0, Math.max(0, k)).map((x) => x.item);
  }
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
