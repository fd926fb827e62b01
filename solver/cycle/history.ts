// What history.csv means for the plan year (issue 12 item 4): terms that end now send teachers
// home (the returns), a teacher moved within the minimum term is not moved again (a stay lock
// naming the earlier move), and the career counters the roster lacks are read off the history.
//
// Conventions (README "Several years"): years are school years by their autumn; teachers.csv lists
// a 支教/顶岗培养 teacher at the home school, where the post stays (R17), and history.csv says where
// they teach; a term from start_year to end_year ends when school year end_year begins.
import type { Dataset } from '../contract/dataset.ts';
import type { HistoryRow, Lock, Mode, PlanRow, Policy, School, Teacher } from '../contract/schemas.ts';
import { MODE_ZH } from '../contract/labels.ts';
import { isRuralOrWeak } from '../policy/county.ts';

/** A history row with its end read: the year the term ends, or null for a transfer that still holds. */
export type Stint = HistoryRow & { end: number | null };

/** One return home in the plan year: a 支教/顶岗培养 term that ends (returns.csv). */
export interface ReturnRow {
  teacher_id: string;
  from_school_id: string;
  to_school_id: string;
  mode: Mode;
  start_year: number;
  end_year: number;
  reason: string;
}
export const RETURN_COLUMNS = ['teacher_id', 'from_school_id', 'to_school_id', 'mode', 'start_year', 'end_year', 'reason'] as const;

/**
 * The year a row's term ends. An empty end_year means: a transfer holds (null); a 支教 or 顶岗培养
 * term lasts the policy's `termYears`; a 走教 share and a deferral last the one school year.
 */
export function termEnd(r: HistoryRow, policy: Policy): number | null {
  if (r.end_year !== undefined) return r.end_year;
  if (r.mode === 'transfer') return null;
  if (r.mode === 'support' || r.mode === 'shadow') return r.start_year + policy.modes[r.mode].termYears;
  return r.start_year + 1;
}

/** Every row with its end, each teacher's rows in time order. */
export function stints(history: readonly HistoryRow[], policy: Policy): Stint[] {
  return history.map((r) => ({ ...r, end: termEnd(r, policy) }))
    .sort((a, b) => a.teacher_id.localeCompare(b.teacher_id) || a.start_year - b.start_year);
}

/** A plan's rows as history of its year: what the next year of a cycle reads (itinerant shares merged per teacher). */
export function planAsHistory(rows: readonly PlanRow[], year: number): HistoryRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.teacher_id) && seen.add(r.teacher_id))
    .map((r) => ({ teacher_id: r.teacher_id, from_school_id: r.from_school_id, to_school_id: r.to_school_id, mode: r.mode, start_year: year }));
}

/** Terms ending as the plan year begins: the teacher goes back to the home school. */
export function returnsDue(history: readonly HistoryRow[], policy: Policy): ReturnRow[] {
  return stints(history, policy).flatMap((s) => {
    if ((s.mode !== 'support' && s.mode !== 'shadow') || s.end !== policy.year || s.to_school_id === undefined) return [];
    return [{
      teacher_id: s.teacher_id, from_school_id: s.to_school_id, to_school_id: s.from_school_id, mode: s.mode, start_year: s.start_year, end_year: s.end,
      reason: `${MODE_ZH[s.mode]}期满返回原校（${s.start_year}–${s.end}学年）`,
    }];
  });
}

/**
 * Stay locks the history imposes in the plan year: a teacher still on a term, or moved fewer than
 * `history.minTermYears` years ago, is not moved again (R9; issue 12 "a teacher is not moved twice
 * within the minimum term"). A teacher the planner already locked keeps that lock.
 */
export function historyLocks(history: readonly HistoryRow[], policy: Policy, locked: ReadonlySet<string>): Lock[] {
  const last = new Map<string, Stint>();
  for (const s of stints(history, policy)) if (s.mode !== 'deferral') last.set(s.teacher_id, s);
  const min = policy.history.minTermYears;
  return [...last.values()].flatMap((s): Lock[] => {
    if (locked.has(s.teacher_id)) return [];
    const what = `${s.start_year}年${MODE_ZH[s.mode as Mode]}`;
    if (s.end !== null && s.end > policy.year) return [{ teacher_id: s.teacher_id, action: 'stay', reason: `任期未满：${what}，${s.end}学年期满` }];
    if (policy.year - s.start_year < min) return [{ teacher_id: s.teacher_id, action: 'stay', reason: `最短任期${min}年：${what}，${s.start_year + min}学年前不再交流` }];
    return [];
  });
}

/** Years a stint gave at its school: its term, or for a transfer until the teacher's next row (or the plan year). */
function yearsThere(s: Stint, next: Stint | undefined, year: number): number {
  if (s.mode === 'itinerant' || s.mode === 'shadow' || s.mode === 'deferral') return 0; // careers.ts: neither gives experience there
  return Math.max(0, (s.end ?? next?.start_year ?? year) - s.start_year);
}

/**
 * The roster with the career counters the history shows (R11 rural/weak years, R13 schools worked):
 * the larger of the roster's number and the history's, since an empty cell reads as the default
 * (0 years, 1 school) and a roster never knows less than its own history.
 */
export function withHistoryCareers(teachers: readonly Teacher[], history: readonly HistoryRow[], schools: readonly School[], policy: Policy): Teacher[] {
  const byId = new Map(schools.map((s) => [s.id, s]));
  const rows = new Map<string, Stint[]>();
  for (const s of stints(history, policy)) rows.set(s.teacher_id, [...(rows.get(s.teacher_id) ?? []), s]);
  return teachers.map((t) => {
    const own = rows.get(t.id);
    if (!own) return t;
    const places = new Set([t.school_id]);
    let rural = 0;
    own.forEach((s, i) => {
      const years = yearsThere(s, own[i + 1], policy.year);
      if (years === 0 || s.to_school_id === undefined) return;
      places.add(s.from_school_id).add(s.to_school_id);
      const to = byId.get(s.to_school_id);
      if (to && isRuralOrWeak(to)) rural += years;
    });
    return { ...t, schools_worked: Math.max(t.schools_worked, places.size), rural_weak_years: Math.max(t.rural_weak_years, rural) };
  });
}

/** The dataset as the plan year sees its history: careers filled, history's stay locks added, and the returns. */
export function applyHistory(ds: Dataset): { ds: Dataset; returns: ReturnRow[]; locks: Lock[] } {
  const history = ds.history ?? [];
  if (history.length === 0) return { ds, returns: [], locks: [] };
  const locks = historyLocks(history, ds.policy, new Set(ds.locks.map((l) => l.teacher_id)));
  return {
    ds: { ...ds, teachers: withHistoryCareers(ds.teachers, history, ds.schools, ds.policy), locks: [...ds.locks, ...locks] },
    returns: returnsDue(history, ds.policy),
    locks,
  };
}
