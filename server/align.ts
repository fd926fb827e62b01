// Lining facts up across runs: one row per key, in first-seen order, with each run's value or
// null where that run has no such fact (another county, a rule a run lacks, a school of another
// dataset).

export function alignBy<F, K extends string, V>(lists: readonly (readonly F[])[], key: (f: F) => K, value: (f: F) => V): { head: F; runs: (V | null)[] }[] {
  const keys: K[] = [];
  const first = new Map<K, F>();
  const byRun = lists.map((facts) => new Map(facts.map((f) => [key(f), f])));
  for (const facts of lists) for (const f of facts) if (!first.has(key(f))) { first.set(key(f), f); keys.push(key(f)); }
  return keys.map((k) => ({ head: first.get(k)!, runs: byRun.map((m) => { const f = m.get(k); return f === undefined ? null : value(f); }) }));
}
