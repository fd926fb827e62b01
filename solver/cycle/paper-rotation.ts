// The auditor's checks over history (issue 12 item 6; domain.md §e Auditor 3–4): "paper
// rotations" — the same teacher counted again and again, stays shorter than the term, a move and
// an immediate return — and rotations deferred past the limit. Each check is named with the clause
// it rests on and lists the teachers concerned with the years that make the finding.
//
// The seeds ask for rotation that is 规范化、制度化、常态化 (SEED0 攀办发〔2015〕2号 §1(二); SEED1 青海 2024
// §13 "实现教师交流轮岗常态化制度化"); the words 形式化 / 挂名交流 appear in none of them, so the checks cite
// domain.md, whose auditor section asks for them, and the term (R9) and deferral (R5) rules.
import type { Dataset } from '../contract/dataset.ts';
import type { HistoryRow, PlanRow, Policy, Teacher } from '../contract/schemas.ts';
import { MODE_ZH } from '../contract/labels.ts';
import { type ReturnRow, type Stint, planAsHistory, stints } from './history.ts';

export interface TeacherFinding {
  teacher_id: string;
  detail: string;
  detail_en: string;
}

export interface HistoryCheck {
  id: 'repeat_rotation' | 'short_stay' | 'immediate_return' | 'deferral_limit';
  name: string;
  name_en: string;
  clause: string;
  clause_en: string;
  ok: boolean;
  /** Teachers concerned (one finding per teacher and event). */
  teachers: TeacherFinding[];
}

const TERM_CLAUSE = '教育部等《关于推进县（区）域内义务教育学校校长教师交流轮岗的意见》（2014）：交流任期由各地确定（政策参数“最短任期”，默认3年）';
const AUDIT_CLAUSE = '督学核查“纸面交流”（同一人反复交流、任期过短）；攀办发〔2015〕2号、青海省2024年实施方案第13条：交流轮岗规范化、制度化、常态化';
const AUDIT_CLAUSE_EN = 'domain.md §e Auditor 4: detect paper rotations (the same person repeatedly, very short stays); SEED0, SEED1 §13: rotation made regular and institutional';

/** The term a stay must last: a transfer the minimum term (R9), a 支教/顶岗培养 its policy term, a 走教 share its year. */
function termOf(mode: HistoryRow['mode'], policy: Policy): number {
  if (mode === 'transfer') return policy.history.minTermYears;
  if (mode === 'support' || mode === 'shadow') return policy.modes[mode].termYears;
  return 1;
}

/** `1 year`, `3 years`: the English details' counts. */
const years = (n: number): string => `${n} ${n === 1 ? 'year' : 'years'}`;

/** How long a stint lasted: to its end, or for a transfer to the teacher's next move (null: it still holds). */
const stayOf = (s: Stint, next: Stint | undefined): number | null => {
  const until = [s.end, next?.start_year].filter((y): y is number => y !== null && y !== undefined);
  return until.length === 0 ? null : Math.min(...until) - s.start_year;
};

const modeZh = (m: HistoryRow['mode']) => (m === 'deferral' ? '暂缓' : MODE_ZH[m]);

/** Each teacher's rotations (deferrals apart), in time order. */
function byTeacher(rows: readonly Stint[]): Map<string, Stint[]> {
  const out = new Map<string, Stint[]>();
  for (const s of rows) if (s.mode !== 'deferral') out.set(s.teacher_id, [...(out.get(s.teacher_id) ?? []), s]);
  return out;
}

function check(id: HistoryCheck['id'], texts: Pick<HistoryCheck, 'name' | 'name_en' | 'clause' | 'clause_en'>, teachers: TeacherFinding[]): HistoryCheck {
  return { id, ...texts, ok: teachers.length === 0, teachers };
}

/** Two rotations of one teacher closer than the window: the same person counted toward the 10% again. */
function repeatRotation(moves: Map<string, Stint[]>, policy: Policy): HistoryCheck {
  const window = policy.history.windowYears ?? policy.eligibility.teacherYearsAtSchool;
  const found = [...moves].flatMap(([id, own]) => own.slice(1).flatMap((s, i) => {
    const prev = own[i]!;
    const gap = s.start_year - prev.start_year;
    return gap < window ? [{
      teacher_id: id,
      detail: `${prev.start_year}年${modeZh(prev.mode)}、${s.start_year}年又${modeZh(s.mode)}，相隔${gap}年<${window}年`,
      detail_en: `${prev.mode} in ${prev.start_year}, ${s.mode} again in ${s.start_year}: ${years(gap)} apart < ${window}`,
    }] : [];
  }));
  return check('repeat_rotation', {
    name: `同一教师${window}年内反复交流`, name_en: `The same teacher rotated again within ${window} years`,
    clause: `${AUDIT_CLAUSE}；窗口为交流资格年限（本校连续任教${policy.eligibility.teacherYearsAtSchool}年）`, clause_en: `${AUDIT_CLAUSE_EN}; window = the tenure that makes a teacher eligible (R2)`,
  }, found);
}

/** A stay shorter than the term of its kind (an immediate return is listed on its own). */
function shortStay(moves: Map<string, Stint[]>, policy: Policy): HistoryCheck {
  const found = [...moves].flatMap(([id, own]) => own.flatMap((s, i) => {
    const stay = stayOf(s, own[i + 1]);
    const term = termOf(s.mode, policy);
    return stay !== null && stay < term ? [{
      teacher_id: id,
      detail: `${s.start_year}年${modeZh(s.mode)}到${s.to_school_id}，只待${stay}年<任期${term}年`,
      detail_en: `${s.mode} to ${s.to_school_id} in ${s.start_year} lasted ${years(stay)} < the ${term}-year term`,
    }] : [];
  }));
  return check('short_stay', {
    name: '交流任期过短', name_en: 'A stay shorter than its term', clause: `${AUDIT_CLAUSE}；${TERM_CLAUSE}`, clause_en: `${AUDIT_CLAUSE_EN}; domain.md R9 term (policy.history.minTermYears, modes.*.termYears)`,
  }, found);
}

/** A move out followed, within the minimum term, by a move straight back to the school left. */
function immediateReturn(moves: Map<string, Stint[]>, policy: Policy): HistoryCheck {
  const min = policy.history.minTermYears;
  const found = [...moves].flatMap(([id, own]) => own.slice(1).flatMap((s, i) => {
    const prev = own[i]!;
    const back = s.from_school_id === prev.to_school_id && s.to_school_id === prev.from_school_id;
    return back && s.start_year - prev.start_year < min ? [{
      teacher_id: id,
      detail: `${prev.start_year}年${prev.from_school_id}→${prev.to_school_id}，${s.start_year}年即调回${s.to_school_id}`,
      detail_en: `${prev.from_school_id} → ${prev.to_school_id} in ${prev.start_year}, back to ${s.to_school_id} in ${s.start_year}`,
    }] : [];
  }));
  return check('immediate_return', {
    name: `交流后${min}年内即调回原校`, name_en: `Moved back to the school left within ${min} years`, clause: `${AUDIT_CLAUSE}；${TERM_CLAUSE}`, clause_en: `${AUDIT_CLAUSE_EN}; domain.md R9`,
  }, found);
}

/**
 * Runs of consecutive deferred years longer than `history.maxDeferYears` (R5: ≤3 yrs), the roster's
 * exemption counting as the plan year's. 临近退休 is left out: it defers until retirement by design.
 */
function deferralLimit(rows: readonly Stint[], teachers: readonly Teacher[], policy: Policy): HistoryCheck {
  const years = new Map<string, Set<number>>();
  const add = (id: string, y: number) => years.set(id, (years.get(id) ?? new Set()).add(y));
  for (const s of rows) {
    if (s.mode !== 'deferral' || s.exemption === 'near_retirement') continue;
    for (let y = s.start_year; y <= (s.end_year ?? s.start_year); y++) add(s.teacher_id, y);
  }
  for (const t of teachers) if (t.exemption && t.exemption !== 'near_retirement') add(t.id, policy.year);
  const max = policy.history.maxDeferYears;
  const found = [...years].flatMap(([id, set]) => {
    const sorted = [...set].sort((a, b) => a - b);
    const runs: number[][] = [];
    for (const y of sorted) {
      const run = runs.at(-1);
      if (run && run.at(-1) === y - 1) run.push(y);
      else runs.push([y]);
    }
    return runs.filter((r) => r.length > max).map((r) => ({
      teacher_id: id,
      detail: `连续暂缓${r.length}年（${r[0]}–${r.at(-1)}）>${max}年`,
      detail_en: `deferred ${r.length} years in a row (${r[0]}–${r.at(-1)}) > ${max}`,
    }));
  });
  return check('deferral_limit', {
    name: `暂缓交流超过${max}年`, name_en: `Rotation deferred more than ${max} years`,
    clause: '大连市、北京市交流轮岗实施意见：暂缓交流（如学校特色项目负责人）不超过3年（政策参数“最长暂缓年数”）；督学核查超期暂缓',
    clause_en: 'domain.md R5: a deferral (e.g. a programme lead) lasts at most 3 years (L-DL, L-BJ); §e Auditor 3: detect deferrals past the limit',
  }, found);
}

/** Every history check over history.csv, with a plan's moves as rows of the plan year when given. */
export function historyChecks(history: readonly HistoryRow[], teachers: readonly Teacher[], policy: Policy, plan: readonly PlanRow[] = []): HistoryCheck[] {
  const rows = stints([...history, ...planAsHistory(plan, policy.year)], policy);
  const moves = byTeacher(rows);
  return [repeatRotation(moves, policy), shortStay(moves, policy), immediateReturn(moves, policy), deferralLimit(rows, teachers, policy)];
}

/**
 * report.json's history fields (README "Several years"); absent when the dataset has no history. A
 * type, not an interface: the rounds view joins it, and its loose response schema wants an index signature.
 */
export type HistoryFields = { returns?: ReturnRow[]; history_checks?: HistoryCheck[] };

/**
 * The returns and the history checks over history.csv plus the plan, for every caller that reports
 * a plan (`lungang plan`, `rounds` and `audit`, the server's solve, rounds and audit task), so the
 * CLI's files and the API's answers say the same. Without `returns` (an audit): the checks only.
 */
export function historyFields(ds: Dataset, plan: readonly PlanRow[], returns?: readonly ReturnRow[]): HistoryFields {
  if (!ds.history) return {};
  return { ...(returns ? { returns: [...returns] } : {}), history_checks: historyChecks(ds.history, ds.teachers, ds.policy, plan) };
}
