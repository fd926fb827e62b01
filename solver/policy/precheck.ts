// Conflicts that counting alone proves, before any model is built: said in policy language with
// numbers, naming every rule (and switch) involved and what would have to change. The same
// per-teacher analysis (why this teacher cannot move) also words the plan's stay reasons.
import { MODES, type Mode, type Policy, type Teacher } from '../contract/schemas.ts';
import { type CountyContext, ceilShare, floorShare } from './county.ts';
import type { EligibilityStatus } from './eligibility.ts';
import { isLeader } from './leaders.ts';
import { blockingRules, hasDestination, lockOf, moveTo } from './destinations.ts';
import { isNamedShadow, moveRules, mustRotateOf, rotationBudget } from './rules.ts';

export interface Conflict {
  rules: string[];
  message: string;
  /** How many teachers (or constraint units) the rule is short by. */
  shortBy: number;
}

/** Why one teacher cannot be moved by any plan, before outflow caps are counted. */
export type Obstacle =
  | { kind: 'may_not_move'; status: EligibilityStatus }
  | { kind: 'stay_lock'; reason: string }
  /** `alone`: rules that on their own (with the stage rule) leave no destination; empty = only together (`together`). */
  | { kind: 'no_destination'; alone: string[]; together: string[] };

/** The kinds of move the policy allows (transfer when none is: rule mode_allowed then names the gap). */
const allowedModes = (ctx: CountyContext): Mode[] => {
  const on = MODES.filter((m) => ctx.policy.modes[m].allowed);
  return on.length > 0 ? on : ['transfer'];
};

/** Why no plan can move this teacher (outflow caps aside), or null when some plan can. */
export function obstacleOf(ctx: CountyContext, t: Teacher): Obstacle | null {
  const e = ctx.eligibility.get(t.id)!;
  if (!e.mayMove) return { kind: 'may_not_move', status: e.status };
  const lock = lockOf(ctx, t);
  if (lock?.action === 'stay') return { kind: 'stay_lock', reason: lock.reason };
  const modes = allowedModes(ctx);
  return hasDestination(ctx, t, modes) ? null : { kind: 'no_destination', ...blockingRules(ctx, t, modes) };
}

export const pct = (share: number): string => `${Number((share * 100).toFixed(6))}%`;

/** n/d as a percentage rounded down to 0.1%, so that the share shown never asks for more than n. */
const shareText = (n: number, d: number): string =>
  `${(Math.floor(Number(((n * 1000) / d).toFixed(9))) / 10).toFixed(1)}%（${n}/${d}）`;

export const outflowCap = (ctx: CountyContext, school: string): number =>
  floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(school) ?? 0);

/** Words for each destination rule: the gap it leaves, its short name, and the policy setting behind it. */
const DESTINATION_WORDS: Record<string, { name: string; setting?: string; gap(p: Policy): string }> = {
  stage_match: { name: '学段', gap: () => '县内无其他同学段学校' },
  commute: { name: '通勤上限', setting: 'limits.maxCommuteKm', gap: (p) => `通勤上限${p.limits.maxCommuteKm}公里内无同学段学校` },
  toward_rural_or_weak: { name: '只向乡村或薄弱学校交流', setting: 'flows.towardRuralOrWeakOnly', gap: () => '只向乡村或薄弱学校交流，县内无同学段的乡村或薄弱学校' },
  same_cluster: { name: '只在学区/集团内交流', setting: 'flows.cluster', gap: () => '只在学区/集团内交流，本学区内无其他同学段学校（或本校未划入学区）' },
  mode_allowed: { name: '交流方式', setting: 'modes.*.allowed', gap: () => '政策未允许任何交流方式' },
};

function wordsOf(rule: string): { name: string; setting?: string; gap(p: Policy): string } {
  const name = moveRules.find((r) => r.id === rule)?.name ?? rule;
  return DESTINATION_WORDS[rule] ?? { name, gap: () => `受“${name}”限制无同学段学校` };
}

/** Rules that leave no destination only together, e.g. "通勤上限与只向乡村或薄弱学校交流合并后无同学段的可去学校". */
const jointGap = (rules: Iterable<string>): string => `${[...rules].map((id) => wordsOf(id).name).join('与')}合并后无同学段的可去学校`;

/** One teacher's missing destination in words, e.g. "通勤上限25公里内无同学段学校". */
export function noDestinationText(p: Policy, o: { alone: string[]; together: string[] }): string {
  return o.alone.length === 0 ? jointGap(o.together) : o.alone.map((id) => wordsOf(id).gap(p)).join('；');
}

// ── Counting a group of teachers ────────────────────────────────────────────────────────────────

/** Who among a group can be moved by some plan, and why the others cannot, in counts. */
interface Tally {
  total: number;
  movable: number;
  mayNotMove: Map<EligibilityStatus, Teacher[]>;
  stayLocked: number;
  noDestination: number;
  /** Teachers each destination rule leaves with no destination on its own (they may overlap). */
  blockedBy: Map<string, number>;
  /** Teachers with no destination only when rules are taken together, and those rules. */
  blockedJointly: { count: number; rules: Set<string> };
  /** Teachers with a destination who still cannot all leave: the school's outflow cap is smaller. */
  overCap: number;
}

const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

function tally(ctx: CountyContext, group: readonly Teacher[]): Tally {
  const t: Tally = {
    total: group.length, movable: 0, mayNotMove: new Map(), stayLocked: 0, noDestination: 0,
    blockedBy: new Map(), blockedJointly: { count: 0, rules: new Set() }, overCap: 0,
  };
  const free = new Map<string, number>();
  for (const teacher of group) {
    const o = obstacleOf(ctx, teacher);
    if (o === null) bump(free, teacher.school_id);
    else if (o.kind === 'may_not_move') t.mayNotMove.set(o.status, t.mayNotMove.get(o.status) ?? []).get(o.status)!.push(teacher);
    else if (o.kind === 'stay_lock') t.stayLocked++;
    else {
      t.noDestination++;
      for (const id of o.alone) bump(t.blockedBy, id);
      if (o.alone.length === 0) t.blockedJointly.count++;
      for (const id of o.together) t.blockedJointly.rules.add(id);
    }
  }
  for (const [school, n] of free) {
    const cap = outflowCap(ctx, school);
    t.movable += Math.min(n, cap);
    t.overCap += Math.max(0, n - cap);
  }
  return t;
}

const STATUS_ZH: Record<EligibilityStatus, string> = {
  too_old: '超龄', too_few_years: '任教年限不足', exempt: '暂缓', not_on_establishment: '不在编', eligible: '符合条件',
};

/** "（怀孕1人、患病1人）": deferrals by their reason, as the eligibility engine words it. */
function exemptText(ctx: CountyContext, teachers: Teacher[]): string {
  const by = new Map<string, number>();
  for (const t of teachers) bump(by, ctx.eligibility.get(t.id)!.reason.replace(/^暂缓：/, ''));
  return `（${[...by].map(([why, n]) => `${why}${n}人`).join('、')}）`;
}

/** The obstacles of a tally in words, each with its count and, for switches, the policy setting. */
function obstacleParts(ctx: CountyContext, t: Tally): string[] {
  const p = ctx.policy;
  const parts: string[] = [];
  for (const status of ['too_old', 'too_few_years', 'exempt', 'not_on_establishment'] as const) {
    const ts = t.mayNotMove.get(status) ?? [];
    if (ts.length > 0) parts.push(`${ts.length}人${STATUS_ZH[status]}${status === 'exempt' ? exemptText(ctx, ts) : ''}`);
  }
  if (t.stayLocked > 0) parts.push(`${t.stayLocked}人锁定留任`);
  if (t.noDestination > 0) {
    const why = [...t.blockedBy].map(([id, n]) => {
      const w = wordsOf(id);
      return `${n}人${w.gap(p)}${w.setting ? `（${w.setting}）` : ''}`;
    });
    if (t.blockedJointly.count > 0) why.push(`${t.blockedJointly.count}人${jointGap(t.blockedJointly.rules)}`);
    parts.push(`${t.noDestination}人无可去学校（${why.join('；')}）`);
  }
  if (t.overCap > 0) parts.push(`${t.overCap}人受各校流出上限所限（⌊${pct(p.limits.maxOutflowShareOfSchool)} × 本校教师⌋，limits.maxOutflowShareOfSchool）`);
  return parts;
}

/** Rule ids a tally's obstacles point at (switches by their policy rule ids). */
const obstacleRules = (t: Tally): string[] => [
  ...(t.stayLocked > 0 ? ['locks'] : []),
  ...new Set([...t.blockedBy.keys(), ...(t.blockedJointly.count > 0 ? t.blockedJointly.rules : [])]),
  ...(t.overCap > 0 ? ['outflow_cap'] : []),
];

// ── The conflicts ─────────────────────────────────────────────────────────────────────────────

/** Move locks that break a move rule, and schools whose locked departures exceed the outflow cap. */
function lockConflicts(ctx: CountyContext): Conflict[] {
  const p = ctx.policy;
  const conflicts: Conflict[] = [];
  const moveLocks = ctx.locks.filter((l) => l.action === 'move');
  for (const lock of moveLocks) {
    const to = ctx.schoolById.get(lock.to_school_id);
    if (!to) continue;
    // A teacher on the 顶岗培养 list goes as 顶岗培养 (rule shadow_named), so the lock is judged so.
    const m = moveTo(ctx, ctx.teacherById.get(lock.teacher_id)!, to, isNamedShadow(ctx, lock.teacher_id) ? 'shadow' : allowedModes(ctx)[0]!);
    for (const rule of moveRules.filter((r) => r.id !== 'locks')) {
      const why = rule.violation(ctx, m);
      if (why) conflicts.push({ rules: ['locked_moves', rule.id], message: `人工锁定与“${rule.name}”冲突：${why}`, shortBy: 1 });
    }
  }
  for (const s of ctx.schools) {
    const lockedOut = moveLocks.filter((l) => ctx.teacherById.get(l.teacher_id)?.school_id === s.id).length;
    const cap = outflowCap(ctx, s.id);
    if (lockedOut > cap)
      conflicts.push({ rules: ['locked_moves', 'outflow_cap'], message: `${s.name}（${s.id}）锁定调出${lockedOut}人，超过流出上限${cap}人（⌊${p.limits.maxOutflowShareOfSchool} × ${ctx.staffBefore.get(s.id)}⌋）`, shortBy: lockedOut - cap });
  }
  return conflicts;
}

/** Teachers on the 顶岗培养 list no plan can place (a stay lock, no host the move rules allow), and schools naming more than their outflow cap. */
function shadowConflicts(ctx: CountyContext): Conflict[] {
  const named = ctx.teachers.filter((t) => isNamedShadow(ctx, t.id));
  const conflicts: Conflict[] = [];
  for (const t of named) {
    const lock = lockOf(ctx, t);
    const stay = lock?.action === 'stay' ? lock : undefined;
    if (stay) conflicts.push({ rules: ['shadow_named', 'locks'], message: `顶岗培养名单上的教师${t.id}已锁定留任（${stay.reason}）：须从名单中删去或解除锁定`, shortBy: 1 });
    else if (!hasDestination(ctx, t, ['shadow'])) {
      const o = blockingRules(ctx, t, ['shadow']);
      conflicts.push({ rules: ['shadow_named', ...o.alone, ...o.together], message: `顶岗培养名单上的教师${t.id}无可去学校：${noDestinationText(ctx.policy, o)}`, shortBy: 1 });
    }
  }
  for (const s of ctx.schools) {
    const listed = named.filter((t) => t.school_id === s.id);
    const cap = outflowCap(ctx, s.id);
    if (listed.length > cap) conflicts.push({ rules: ['shadow_named', 'outflow_cap'], message: `${s.name}（${s.id}）顶岗培养名单${listed.length}人，超过流出上限${cap}人（⌊${ctx.policy.limits.maxOutflowShareOfSchool} × ${ctx.staffBefore.get(s.id)}⌋）`, shortBy: listed.length - cap });
    const leaders = listed.filter((t) => isLeader(t, ctx.policy)).length;
    const most = ctx.policy.leaders.maxLeavingPerSchool;
    if (leaders > most) conflicts.push({ rules: ['shadow_named', 'leaders_per_school'], message: `${s.name}（${s.id}）顶岗培养名单上有学校领导${leaders}人，超过每校每年调出学校领导上限${most}人`, shortBy: leaders - most });
  }
  return conflicts;
}

/** Teachers on the must-rotate list no plan can move (may not move, a stay lock, no destination), and a list longer than the budget. */
function mustRotateConflicts(ctx: CountyContext): Conflict[] {
  const listed = mustRotateOf(ctx);
  const conflicts: Conflict[] = [];
  for (const id of listed) {
    const o = obstacleOf(ctx, ctx.teacherById.get(id)!);
    if (o === null) continue;
    const [why, rules] = o.kind === 'may_not_move' ? [`不可交流（${STATUS_ZH[o.status]}）`, ['may_move']]
      : o.kind === 'stay_lock' ? [`已锁定留任（${o.reason}）`, ['locks']]
      : [`无可去学校：${noDestinationText(ctx.policy, o)}`, [...o.alone, ...o.together]];
    conflicts.push({ rules: ['must_rotate', ...rules], message: `本年须交流名单上的教师${id}${why}：须从名单中删去${o.kind === 'stay_lock' ? '或解除锁定' : ''}`, shortBy: 1 });
  }
  const budget = rotationBudget(ctx);
  if (listed.length > budget.max) conflicts.push({ rules: ['must_rotate', 'rotation_budget'], message: `本年须交流名单${listed.length}人，超过交流预算${budget.max}人`, shortBy: listed.length - budget.max });
  return conflicts;
}

function rotationConflict(ctx: CountyContext, need: number): Conflict | null {
  const share = ctx.policy.ratios.minRotatedShareOfEligible;
  const t = tally(ctx, ctx.teachers.filter((x) => ctx.eligibility.get(x.id)!.mayMove));
  if (t.movable >= need) return null;
  const parts = obstacleParts(ctx, t);
  return {
    rules: ['rotation_share', 'may_move', ...obstacleRules(t)],
    message: `轮岗比例要求至少${need}名教师交流（⌈${share} × ${ctx.eligibleCount}⌉），但只有${t.movable}名教师可交流；`
      + `交流比例需降到 ≤ ${shareText(t.movable, ctx.eligibleCount)}`
      + `${parts.length > 0 ? `，或放宽以下规则：可交流（符合条件或自愿）的${t.total}人中${parts.join('、')}` : ''}`,
    shortBy: need - t.movable,
  };
}

/** The most teachers the county may rotate while the backbone teachers who can move still make the share. */
function largestRotation(share: number, backbone: number): number {
  let r = Math.floor(Number((backbone / share).toFixed(9)));
  while (ceilShare(share, r + 1) <= backbone) r++;
  while (r > 0 && ceilShare(share, r) > backbone) r--;
  return r;
}

function backboneConflict(ctx: CountyContext, rotated: number): Conflict | null {
  const share = ctx.policy.ratios.minBackboneShareOfRotated;
  const need = ceilShare(share, rotated);
  const t = tally(ctx, ctx.teachers.filter((x) => x.backbone !== 'none'));
  if (t.movable >= need) return null;
  const fewer = largestRotation(share, t.movable);
  const budget = rotationBudget(ctx);
  const orFewer = fewer > 0 && fewer >= budget.lockedMoves
    ? `，或交流比例降到 ≤ ${shareText(fewer, ctx.eligibleCount)}：交流${fewer}人时只需${ceilShare(share, fewer)}名骨干`
    : '';
  const parts = obstacleParts(ctx, t);
  return {
    rules: ['backbone_share', 'rotation_share', 'may_move', ...obstacleRules(t)],
    message: `骨干比例要求至少${need}名骨干教师交流（⌈${share} × ${rotated}⌉），但只有${t.movable}名骨干教师可交流；`
      + `骨干比例需降到 ≤ ${shareText(t.movable, rotated)}${orFewer}`
      + `；全县骨干教师${t.total}名中${[...parts, `可交流${t.movable}人`].join('、')}`,
    shortBy: need - t.movable,
  };
}

/** Conflicts that counting alone proves, before the model is built. */
export function precheck(ctx: CountyContext): Conflict[] {
  const budget = rotationBudget(ctx);
  // Every locked move must happen, so at least that many teachers rotate even above the minimum.
  const rotated = Math.max(budget.min, budget.lockedMoves);
  return [
    ...lockConflicts(ctx),
    ...shadowConflicts(ctx),
    ...mustRotateConflicts(ctx),
    ...[rotationConflict(ctx, budget.min), backboneConflict(ctx, rotated)].filter((c): c is Conflict => c !== null),
  ];
}
