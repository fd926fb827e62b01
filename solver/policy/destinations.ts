// Where a teacher could be sent at all, judged once per kind of teacher rather than once per
// teacher: the pre-check, the stay reasons and the must-rotate list ask it of every teacher, and
// judging every school for each of them cost teachers × schools (1.1 s at 20,000 teachers with a
// commute limit). The move rules read of a teacher only the stage taught, the subject (走教 rules
// only), the home school, whether they may move (eligibility, the 顶岗培养 list), their lock, and,
// for the commute rule alone, the home: teachers alike in all but the home share every verdict but
// the commute's, and the commute's test is then asked per teacher of the schools the others leave
// open. test/destinations.test.ts holds the answers to every school judged per teacher.
import type { Lock, Mode, School, Teacher } from '../contract/schemas.ts';
import type { CountyContext } from './county.ts';
import { reachesFromHome } from './move-rules.ts';
import { type Move, type MoveRule, isNamedShadow, moveRules } from './rules.ts';

// Rules that shape the candidate list itself (own county, other school, lock target, who may move):
// they are applied before destinations are judged, so they never show up as the blocking rule.
const STRUCTURAL = new Set(['may_move', 'other_school', 'same_county', 'locks']);
const STAGE_RULE = 'stage_match';
/** The one move rule that reads the teacher's home. */
const COMMUTE_RULE = 'commute';

const ruleOf = (id: string): MoveRule => moveRules.find((r) => r.id === id)!;
const passes = (ctx: CountyContext, rule: MoveRule, m: Move) => rule.allows(ctx, m);
/** The destination rules a blocked teacher is told about, in rule order. */
const DESTINATION_RULES = moveRules.filter((r) => !STRUCTURAL.has(r.id) && r.id !== STAGE_RULE);
const NOT_COMMUTE = moveRules.filter((r) => r.id !== COMMUTE_RULE);

export const moveTo = (ctx: CountyContext, t: Teacher, to: School, mode: Mode): Move =>
  ({ teacher: t, from: ctx.schoolById.get(t.school_id)!, to, mode, ...(mode === 'itinerant' ? { fte: ctx.policy.modes.itinerant.fte } : {}) });

/** Which destination rules leave a teacher nowhere to go: each alone (with the stage rule), or only together. */
export interface Blocking {
  alone: string[];
  together: string[];
}

/** What every teacher of one kind shares: the schools open to them under every rule but the commute. */
class Kind {
  private judged = 0;
  /** Schools judged so far that some mode allows under every rule but the commute, in candidate order. */
  private readonly open: School[] = [];
  private blockingParts: { sameStage: School[]; pass: Map<string, boolean>; fail: Map<string, boolean> } | null = null;

  constructor(
    private readonly ctx: CountyContext,
    /** Any teacher of the kind: what the rules but the commute read of it, all teachers of the kind share. */
    private readonly rep: Teacher,
    private readonly schools: readonly School[],
    private readonly modes: readonly Mode[],
  ) {}

  private opens(s: School): boolean {
    return this.modes.some((mode) => {
      const m = moveTo(this.ctx, this.rep, s, mode);
      return NOT_COMMUTE.every((r) => passes(this.ctx, r, m));
    });
  }

  /** True when some open school passes `reaches`; schools are judged only as far as needed. */
  someOpen(reaches: (s: School) => boolean): boolean {
    if (this.open.some(reaches)) return true;
    while (this.judged < this.schools.length) {
      const s = this.schools[this.judged++]!;
      if (this.opens(s)) {
        this.open.push(s);
        if (reaches(s)) return true;
      }
    }
    return false;
  }

  /** Per destination rule but the commute: does it pass some same-stage move, does it fail some (first mode). */
  blocking() {
    if (this.blockingParts) return this.blockingParts;
    const mode = this.modes[0]!;
    const sameStage = this.schools.filter((s) => passes(this.ctx, ruleOf(STAGE_RULE), moveTo(this.ctx, this.rep, s, mode)));
    const moves = sameStage.map((s) => moveTo(this.ctx, this.rep, s, mode));
    const pass = new Map<string, boolean>();
    const fail = new Map<string, boolean>();
    for (const r of DESTINATION_RULES) {
      if (r.id === COMMUTE_RULE) continue;
      pass.set(r.id, moves.some((m) => passes(this.ctx, r, m)));
      fail.set(r.id, moves.some((m) => !passes(this.ctx, r, m)));
    }
    return (this.blockingParts = { sameStage, pass, fail });
  }
}

/** Per county: its locks by teacher, and its kinds of teacher; a context is never changed once built, so both hold. */
const counties = new WeakMap<CountyContext, { locks: Map<string, Lock>; kinds: Map<string, Kind> }>();

function countyOf(ctx: CountyContext) {
  let county = counties.get(ctx);
  if (!county) {
    const locks = new Map<string, Lock>();
    for (const l of ctx.locks) if (!locks.has(l.teacher_id)) locks.set(l.teacher_id, l);
    counties.set(ctx, (county = { locks, kinds: new Map() }));
  }
  return county;
}

/** The teacher's lock, if any (the first, as the lock rule reads it). */
export function lockOf(ctx: CountyContext, t: Teacher): Lock | undefined {
  return countyOf(ctx).locks.get(t.id);
}

function kindOf(ctx: CountyContext, t: Teacher, modes: readonly Mode[]): Kind {
  const county = countyOf(ctx);
  const lock = county.locks.get(t.id);
  const target = lock?.action === 'move' ? ctx.schoolById.get(lock.to_school_id) : undefined;
  // The subject taught is read only by the 走教 rules (itinerant_*): without 走教, teachers of every subject are one kind.
  const subject = modes.includes('itinerant') ? t.subject : '';
  const key = [modes.join(','), t.school_id, t.stage, subject, ctx.eligibility.get(t.id)?.mayMove, isNamedShadow(ctx, t.id), lock?.action, target?.id].join('|');
  let kind = county.kinds.get(key);
  // The candidates: the lock target of a move lock, else every other school of the county.
  if (!kind) county.kinds.set(key, (kind = new Kind(ctx, t, target ? [target] : ctx.schools.filter((s) => s.id !== t.school_id), modes)));
  return kind;
}

/** True when some school takes the teacher in one of `modes` under every move rule. */
export function hasDestination(ctx: CountyContext, t: Teacher, modes: readonly Mode[]): boolean {
  return kindOf(ctx, t, modes).someOpen((s) => reachesFromHome(ctx, t, s));
}

/** For a teacher with no destination: the rules that leave none, judged in the first of `modes`. */
export function blockingRules(ctx: CountyContext, t: Teacher, modes: readonly Mode[]): Blocking {
  const { sameStage, pass, fail } = kindOf(ctx, t, modes).blocking();
  if (sameStage.length === 0) return { alone: [STAGE_RULE], together: [] };
  const reaches = (s: School) => reachesFromHome(ctx, t, s);
  const passesSome = (id: string) => (id === COMMUTE_RULE ? sameStage.some(reaches) : pass.get(id)!);
  const failsSome = (id: string) => (id === COMMUTE_RULE ? sameStage.some((s) => !reaches(s)) : fail.get(id)!);
  const alone = DESTINATION_RULES.filter((r) => !passesSome(r.id)).map((r) => r.id);
  const together = DESTINATION_RULES.filter((r) => failsSome(r.id)).map((r) => r.id);
  return { alone, together: alone.length > 0 ? [] : together };
}
