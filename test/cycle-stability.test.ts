// 跨校竞聘's deferred acceptance, on random markets with nested capacities (posts per subject within
// a school's room under its quota): the outcome respects every capacity, matches only listed
// schools, has no pair that would both rather be matched (checked here from the definition, not
// with the product's own choice function), and no teacher gains by misreporting their list.
import { describe, expect, it } from 'vitest';
import { type MatchingMarket, blockingPairs, deferredAcceptance } from '../solver/cycle/deferred-acceptance.ts';
import { Rng } from '../data/random.ts';

interface Instance { market: MatchingMarket; subject: Map<string, string>; slotCap: Map<string, number>; schoolCap: Map<string, number>; priority: Map<string, number> }

function randomInstance(rng: Rng): Instance {
  const schools = Array.from({ length: rng.int(1, 4) }, (_, i) => `S${i}`);
  const subject = new Map<string, string>();
  const priority = new Map<string, number>();
  const proposers = Array.from({ length: rng.int(1, 8) }, (_, i) => {
    const id = `T${i}`;
    subject.set(id, rng.pick(['math', 'pe']));
    const prefs = rng.shuffle(schools).slice(0, rng.int(0, schools.length));
    return { id, prefs };
  });
  rng.shuffle(proposers.map((p) => p.id)).forEach((id, i) => priority.set(id, i));
  const slotCap = new Map<string, number>();
  const schoolCap = new Map<string, number>();
  for (const s of schools) {
    schoolCap.set(s, rng.int(0, 3));
    for (const sub of ['math', 'pe']) slotCap.set(`${s}|${sub}`, rng.int(0, 2));
  }
  const market: MatchingMarket = {
    proposers,
    slotOf: (p, s) => `${s}|${subject.get(p)}`,
    slotCapacity: (_s, slot) => slotCap.get(slot) ?? 0,
    schoolCapacity: (s) => schoolCap.get(s) ?? 0,
    before: (a, b) => priority.get(a)! - priority.get(b)!,
  };
  return { market, subject, slotCap, schoolCap, priority };
}

/** The definition: p ranks s above its match, and s has room for p, or holds someone of lower priority whose seat p can take. */
function blocks(inst: Instance, match: Map<string, string>, p: string, s: string): boolean {
  const held = [...match].filter(([, x]) => x === s).map(([q]) => q);
  const slot = `${s}|${inst.subject.get(p)}`;
  const inSlot = held.filter((q) => `${s}|${inst.subject.get(q)}` === slot);
  const slotRoom = inSlot.length < inst.slotCap.get(slot)!;
  if (slotRoom && held.length < inst.schoolCap.get(s)!) return true;
  const lower = (q: string) => inst.priority.get(q)! > inst.priority.get(p)!;
  // Removing q frees a school seat; it frees p's slot only when q is in it.
  return held.some((q) => lower(q) && (slotRoom || inSlot.includes(q))) && inst.slotCap.get(slot)! > 0;
}

function check(inst: Instance): void {
  const match = deferredAcceptance(inst.market);
  for (const [p, s] of match) expect(inst.market.proposers.find((x) => x.id === p)!.prefs).toContain(s);
  for (const [slot, cap] of inst.slotCap) expect([...match].filter(([p, s]) => `${s}|${inst.subject.get(p)}` === slot).length).toBeLessThanOrEqual(cap);
  for (const [s, cap] of inst.schoolCap) expect([...match.values()].filter((x) => x === s).length).toBeLessThanOrEqual(cap);
  const pairs: string[] = [];
  for (const p of inst.market.proposers) {
    for (const s of p.prefs) {
      if (s === match.get(p.id)) break;
      if (blocks(inst, match, p.id, s)) pairs.push(`${p.id}-${s}`);
    }
  }
  expect(pairs).toEqual([]);
  expect(blockingPairs(inst.market, match)).toEqual([]);
  // Strategy-proofness: no other list (order or subset of the schools) gets the first proposer a school they truly prefer.
  const liar = inst.market.proposers[0]!;
  const truth = (s: string | undefined) => (s === undefined ? Infinity : liar.prefs.indexOf(s) < 0 ? Infinity : liar.prefs.indexOf(s));
  for (const lie of sublists(liar.prefs)) {
    const m = deferredAcceptance({ ...inst.market, proposers: inst.market.proposers.map((x) => (x === liar ? { id: x.id, prefs: lie } : x)) });
    expect(truth(m.get(liar.id))).toBeGreaterThanOrEqual(truth(match.get(liar.id)));
  }
}

const sublists = (xs: readonly string[]): string[][] =>
  xs.length === 0 ? [[]] : [[], ...xs.flatMap((x, i) => sublists([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]))];

describe('跨校竞聘 deferred acceptance on random markets', () => {
  for (const chunk of [1, 2, 3, 4]) {
    it(`is feasible, stable and strategy-proof (500 markets, chunk ${chunk})`, () => {
      const rng = new Rng(1000 + chunk);
      for (let i = 0; i < 500; i++) check(randomInstance(rng));
    });
  }

  it('finds the blocking pair of a matching made unstable by hand', () => {
    const inst = randomInstance(new Rng(7));
    const market: MatchingMarket = { ...inst.market, proposers: [{ id: 'A', prefs: ['X'] }, { id: 'B', prefs: ['X'] }], slotOf: (_p, s) => `${s}|m`, slotCapacity: () => 1, schoolCapacity: () => 1, before: (a, b) => a.localeCompare(b) };
    expect(deferredAcceptance(market)).toEqual(new Map([['A', 'X']]));
    expect(blockingPairs(market, new Map([['B', 'X']]))).toEqual([['A', 'X']]);
  });
});
