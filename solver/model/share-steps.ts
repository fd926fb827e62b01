// 走教 shares in the 差异系数 counts. Where a 走教 column reaches a school's count, the count moves
// in steps of the share (1/k of a teacher); elsewhere in whole teachers. Fine steps alone would
// let the LP relaxation split a transfer into k parts and price each at the steepest first
// steps (the exact curve instead of its chord): on the 8,000-teacher bench the LP bound fell
// 0.66% below the optimum and the proof had to add 490,000 columns. The rows here close that:
// a count can stop inside a whole teacher only when a 走教 column touching it is used.
import type { CvPair } from '../policy/objective.ts';
import { type Flow, flowEnds } from './county-model.ts';
import { type ModelBuilder, Terms } from './linear-model.ts';

export const tallyKey = (stage: string, indicator: string, school: string) => `${stage}|${indicator}|${school}`;

/** Keys of the counts some 走教 column changes (at its home school or a school it serves). */
export function shareStepKeys(flows: readonly Flow[], pairs: readonly CvPair[]): Set<string> {
  const keys = new Set<string>();
  for (const f of flows) {
    if (f.share === 1) continue;
    for (const p of pairs) {
      if (p.stage === f.cls.stage && f.cls.flags[p.indicator]) for (const [s] of flowEnds(f)) keys.add(tallyKey(p.stage, p.indicator, s));
    }
  }
  return keys;
}

/**
 * Per count in share steps: (first − last step of each whole teacher, up and down) ≤ the 走教
 * columns touching it. Valid for every plan at its cheapest step filling (steps fill in order:
 * costs are convex), where the left side is 1 exactly when the count ends inside a whole teacher,
 * which takes a 走教 share there; so no optimum changes, while a fractional transfer in the LP must
 * now fill whole teachers, priced at the chord.
 */
export function addShareStepRows(
  b: ModelBuilder,
  tallies: ReadonlyMap<string, { step: number; up: number[]; down: number[] }>,
  shareColumns: ReadonlyMap<string, number[]>,
): void {
  let n = 0;
  for (const [key, t] of tallies) {
    if (t.step === 1) continue;
    const k = Math.round(1 / t.step);
    const terms = new Terms();
    for (const steps of [t.up, t.down]) {
      for (let g = 0; g < steps.length; g += k) {
        terms.add(steps[g]!, 1);
        if (g + k - 1 < steps.length) terms.add(steps[g + k - 1]!, -1);
      }
    }
    if (terms.idx.length === 0) continue;
    for (const v of shareColumns.get(key) ?? []) terms.add(v, -1);
    b.addRow(`share${n++}`, terms, -Infinity, 0);
  }
}
