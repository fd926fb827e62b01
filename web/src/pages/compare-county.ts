// One county of a comparison, for the compare page's county picker: each run's key figures
// become that county's (the server's per-county figures, server/compare-counties.ts), and the
// CV rows, schools and school-stage rows keep that county's only, with the per-100 threshold
// counts recounted over its schools. The KPI table, the CV panels, the school table and the
// drill-downs then draw the county exactly as they draw the whole file.
import type { Comparison } from '../api.ts';

type StageRow = Comparison['school_stages'][number];
type Side = NonNullable<StageRow['runs'][number]>['after'];
type ThresholdIndicator = Comparison['thresholds'][number]['indicator'];
const OK = { aboveDegree: 'above_degree_ok', backbone: 'backbone_ok', peArt: 'pe_art_ok' } as const;

/** A school-stage meets the indicator's threshold (`all`: the three at once), as the run summary counts it. */
const meets = (side: Side, i: ThresholdIndicator) =>
  (i === 'all' ? (Object.values(OK) as (keyof Side)[]).every((k) => side[k] === true) : side[OK[i]] === true);

function thresholdsOf(c: Comparison, rows: readonly StageRow[]): Comparison['thresholds'] {
  return c.thresholds.map((t) => {
    const scope = rows.filter((s) => s.stage === t.stage && s.students > 0);
    return {
      ...t,
      runs: t.runs.map((v, i) => {
        if (v === null) return null;
        const inRun = scope.flatMap((s) => (s.runs[i] ? [s.runs[i]!] : []));
        return { ...v, schools: inRun.length, before: inRun.filter((x) => meets(x.before, t.indicator)).length, after: inRun.filter((x) => meets(x.after, t.indicator)).length };
      }),
    };
  });
}

/** The comparison as one county sees it ('' = the whole file, unchanged). */
export function scopeComparison(c: Comparison, county: string): Comparison {
  if (county === '') return c;
  const stages = c.school_stages.filter((s) => s.county === county);
  return {
    ...c,
    runs: c.runs.map((r) => {
      const f = r.counties.find((x) => x.county === county);
      return f ? { ...r, ...f } : r;
    }),
    rules: c.rules.filter((r) => r.county === null || r.county === county),
    cv: c.cv.filter((x) => x.county === county),
    thresholds: thresholdsOf(c, stages),
    schools: c.schools.filter((s) => s.county === county),
    school_stages: stages,
  };
}
