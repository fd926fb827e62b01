// The 优质均衡 school thresholds as something a plan buys (issue 11 item 9; 教督〔2017〕6号, seed 003):
// every school × stage must have ≥ 4.2 / 5.3 above-degree teachers, ≥ 1.0 backbone and ≥ 0.9
// PE & art teachers per 100 students (policy.indicators.*Min). Each school × stage × indicator
// the plan brings over its line earns weights.schoolLine; each it drops below costs as much. The
// line is a whole number of teachers (the fewest with 100·R/P ≥ the threshold), so the model
// states it exactly with one binary per line within reach (model/threshold-lines.ts).
import type { Policy, School, Stage, Teacher } from '../contract/schemas.ts';
import { INDICATOR_KEYS, type IndicatorKey, type SchoolIndicatorRow, applyMoves, assignments, schoolIndicators } from './indicators.ts';
import type { ObjectiveTerm } from './objective.ts';

const OK_KEY = { aboveDegree: 'aboveDegreeOk', backbone: 'backboneOk', peArt: 'peArtOk' } as const;
// The same float tolerance as indicators.ts `meets`: the model's line is the report's line.
const EPS = 1e-9;

const THRESHOLD = { aboveDegree: 'aboveDegreeMin', backbone: 'backboneMin', peArt: 'peArtMin' } as const;

/** The fewest teachers of the indicator a stage of `students` needs to meet its threshold. */
export function lineCount(students: number, indicator: IndicatorKey, stage: Stage, p: Policy): number {
  const min = p.indicators[THRESHOLD[indicator]][stage];
  let n = Math.max(0, Math.floor((min * students) / 100) - 1);
  while ((100 * n) / students < min - EPS) n++;
  return n;
}

/** School × stage × indicator lines met (rows with students only). */
export const linesMet = (rows: readonly SchoolIndicatorRow[]): number =>
  rows.reduce((a, r) => a + INDICATOR_KEYS.filter((k) => r[OK_KEY[k]] === true).length, 0);

/** School × stage rows meeting all three teacher indicators ("schools meeting all teacher indicators"). */
export const rowsMeetingAll = (rows: readonly SchoolIndicatorRow[]): number =>
  rows.filter((r) => INDICATOR_KEYS.every((k) => r[OK_KEY[k]] === true)).length;

/** Before/after counts for the report: lines met, and school × stage rows meeting all three. */
export function schoolLineCounts(schools: readonly School[], teachers: readonly Teacher[], moves: readonly { teacher: Teacher; to: School; also?: School[] | undefined; mode: string; fte?: number | undefined }[], p: Policy) {
  const before = schoolIndicators(schools, teachers, p);
  const after = schoolIndicators(schools, applyMoves(teachers, assignments(moves)), p);
  const measured = before.filter((r) => r.students > 0).length;
  const crossed = (up: boolean) =>
    before.flatMap((b, i) => INDICATOR_KEYS.filter((k) => b[OK_KEY[k]] === !up && after[i]![OK_KEY[k]] === up).map((k) => `${b.school_id}/${b.stage}/${k}`));
  return {
    /** School × stage rows with students (the denominator of both counts below). */
    school_stages: measured,
    lines: measured * INDICATOR_KEYS.length,
    lines_met: { before: linesMet(before), after: linesMet(after) },
    meeting_all: { before: rowsMeetingAll(before), after: rowsMeetingAll(after) },
    brought_over: crossed(true),
    dropped_below: crossed(false),
  };
}

export const schoolLineTerm: ObjectiveTerm = {
  id: 'school_line',
  name: '学校达到每百名学生教师指标（高学历4.2/5.3、骨干1.0、体艺0.9）：每校每项跨线奖励，跌破计同值',
  nameEn: 'School thresholds per 100 students (above-degree 4.2/5.3, backbone 1.0, PE & art 0.9): bonus per school line crossed, the same cost per line lost',
  reason: '教督〔2017〕6号 第六条：每所学校资源配置指标至少6项达标（domain.md §C1）；裕政〔2024〕53号',
  weight: (p) => p.weights.schoolLine,
  weightPath: 'weights.schoolLine',
  value: (o, moves) => {
    const c = schoolLineCounts(o.ctx.schools, o.ctx.teachers, moves, o.ctx.policy);
    return o.ctx.policy.weights.schoolLine * (c.lines_met.before - c.lines_met.after);
  },
};
