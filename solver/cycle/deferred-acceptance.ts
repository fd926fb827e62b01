// Teacher-proposing deferred acceptance (Gale & Shapley 1962) for 跨校竞聘, many-to-one with two
// nested capacities per school: the posts of each stage × subject (a 'slot'), and the school's
// room under its quota. A school's choice — applicants by priority (score, then id), each taken
// while their slot and the school both have room — is substitutable and obeys the law of aggregate
// demand, so the outcome is stable and strategy-proof for teachers (Hatfield & Milgrom 2005,
// "Matching with Contracts", Thm 3 and 11). No npm package covers nested capacities (2026-11:
// `stable-marriage` is one-to-one), hence this small function; test/cycle-stability.test.ts checks
// stability against a brute-force definition on random instances.

export interface Proposer {
  id: string;
  /** School ids, most wanted first (only acceptable schools). */
  prefs: readonly string[];
}

export interface MatchingMarket {
  proposers: readonly Proposer[];
  /** The slot a proposer takes at a school (their stage × subject there). */
  slotOf(proposerId: string, schoolId: string): string;
  /** Posts of a slot (open after the earlier round). */
  slotCapacity(schoolId: string, slot: string): number;
  /** Teachers a school may take in all, over every slot. */
  schoolCapacity(schoolId: string): number;
  /** Strict priority, higher first: schools rank applicants by it (score, ties broken by the caller). */
  before(a: string, b: string): number;
}

/** What a school takes from its applicants: by priority, while the slot and the school have room. */
export function choose(market: MatchingMarket, schoolId: string, applicants: readonly string[]): string[] {
  const sorted = [...applicants].sort(market.before);
  const used = new Map<string, number>();
  const taken: string[] = [];
  for (const p of sorted) {
    if (taken.length >= market.schoolCapacity(schoolId)) break;
    const slot = market.slotOf(p, schoolId);
    const n = used.get(slot) ?? 0;
    if (n >= market.slotCapacity(schoolId, slot)) continue;
    used.set(slot, n + 1);
    taken.push(p);
  }
  return taken;
}

/** Proposer id → school id, for those matched. Deterministic: proposers propose in input order. */
export function deferredAcceptance(market: MatchingMarket): Map<string, string> {
  const next = new Map(market.proposers.map((p) => [p.id, 0]));
  const prefs = new Map(market.proposers.map((p) => [p.id, p.prefs]));
  const held = new Map<string, string[]>();
  let free = market.proposers.map((p) => p.id);
  while (free.length > 0) {
    const proposals = new Map<string, string[]>();
    for (const p of free) {
      const i = next.get(p)!;
      const school = prefs.get(p)![i];
      if (school === undefined) continue; // list exhausted: stays unmatched
      next.set(p, i + 1);
      proposals.set(school, [...(proposals.get(school) ?? []), p]);
    }
    free = [];
    for (const [school, fresh] of proposals) {
      const pool = [...(held.get(school) ?? []), ...fresh];
      const kept = choose(market, school, pool);
      held.set(school, kept);
      const keep = new Set(kept);
      for (const p of pool) if (!keep.has(p)) free.push(p);
    }
  }
  const out = new Map<string, string>();
  for (const [school, ps] of held) for (const p of ps) out.set(p, school);
  return out;
}

/**
 * Pairs (proposer, school) that would both rather be matched than as `match` has them: the school
 * is above the proposer's match on their list, and the school would choose them from its matched
 * proposers and them. Empty exactly when `match` is stable.
 */
export function blockingPairs(market: MatchingMarket, match: ReadonlyMap<string, string>): [string, string][] {
  const held = new Map<string, string[]>();
  for (const [p, s] of match) held.set(s, [...(held.get(s) ?? []), p]);
  const out: [string, string][] = [];
  for (const p of market.proposers) {
    for (const s of p.prefs) {
      if (s === match.get(p.id)) break;
      if (choose(market, s, [...(held.get(s) ?? []), p.id]).includes(p.id)) out.push([p.id, s]);
    }
  }
  return out;
}
