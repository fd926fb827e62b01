// The posts (岗位) each school offers in the rounds: per stage × subject, the subject needs in
// whole teachers (needs.csv, or derived from classes: policy/needs.ts), cut to the school's quota
// (编制, county.ts quotaOf) — under 县管校聘 the county sets posts within the quota (domain.md Q5).
// A posts.csv given as input (cycle/posts.ts) is read as the needs, so its posts arrive here too.
import type { CountyContext } from '../policy/county.ts';
import { quotaOf } from '../policy/county.ts';
import { needKey } from '../policy/needs.ts';

/** needKey(school, stage, subject) → posts. */
export type Posts = ReadonlyMap<string, number>;

export function postsOf(ctx: CountyContext): Posts {
  const posts = new Map<string, number>();
  for (const n of ctx.needs) {
    const p = Math.round(n.required);
    if (p > 0) posts.set(needKey(n.school_id, n.stage, n.subject), p);
  }
  for (const s of ctx.schools) {
    const keys = [...posts.keys()].filter((k) => k.startsWith(`${s.id}|`)).sort();
    let over = keys.reduce((a, k) => a + posts.get(k)!, 0) - quotaOf(s, ctx.policy).quota;
    // Over the quota: one post off the subject with the most posts at a time, so no subject loses all.
    while (over > 0) {
      const k = keys.reduce((best, x) => (posts.get(x)! > posts.get(best)! ? x : best));
      posts.set(k, posts.get(k)! - 1);
      over--;
    }
  }
  return posts;
}
