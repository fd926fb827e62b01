// The need and CV-count rows at a flow's ends, by key. Every column asks for them (1.45 M columns
// at 20,000 teachers, and more than once: rows, scores, the greedy start), and making each key as
// a new string was the larger part of the model's build. Here each key is made once per school:
// the same string needKey and tallyKey make, or null when the model has no such row.
import type { Stage, Subject } from '../contract/schemas.ts';
import { needKey } from '../policy/needs.ts';
import type { CvPair } from '../policy/objective.ts';
import { tallyKey } from './share-steps.ts';

/** The value under `k` in `m`, made by `make` on first use. */
function cached<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

export class EndKeys {
  private readonly needAt = new Map<string, Map<Stage, Map<Subject, string | null>>>();
  private readonly tallyAt = new Map<CvPair, Map<string, string | null>>();

  constructor(private readonly needs: ReadonlyMap<string, unknown>, private readonly tallies: ReadonlyMap<string, unknown>) {}

  /** needKey(school, stage, subject) when the model has that need row, else null. */
  need(school: string, stage: Stage, subject: Subject): string | null {
    const bySubject = cached(cached(this.needAt, school, () => new Map<Stage, Map<Subject, string | null>>()), stage, () => new Map<Subject, string | null>());
    return cached(bySubject, subject, () => {
      const k = needKey(school, stage, subject);
      return this.needs.has(k) ? k : null;
    });
  }

  /** tallyKey of the pair at the school when the model counts it there, else null. */
  tally(p: CvPair, school: string): string | null {
    return cached(cached(this.tallyAt, p, () => new Map<string, string | null>()), school, () => {
      const k = tallyKey(p.stage, p.indicator, school);
      return this.tallies.has(k) ? k : null;
    });
  }
}
