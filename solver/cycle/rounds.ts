// The first two rounds of 县管校聘 appointment (domain.md §e item 4): 校内竞聘, then 跨校竞聘.
// Pure functions of one county's context; round 3 (组织调剂) is solver/cycle/organised.ts.
import type { Application, Teacher } from '../contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { type CountyContext, floorShare, quotaOf } from '../policy/county.ts';
import { isLeader } from '../policy/leaders.ts';
import { needKey } from '../policy/needs.ts';
import { moveAllowed } from '../policy/rules.ts';
import { type MatchingMarket, type Proposer, deferredAcceptance } from './deferred-acceptance.ts';
import type { Posts } from './round-posts.ts';
import { type RoundRow, byScore, roundRow, scoreText } from './round-rows.ts';

const postName = (t: Teacher) => `${STAGE_ZH[t.stage]}${SUBJECT_ZH[t.subject]}`;
const lockOf = (ctx: CountyContext, id: string) => ctx.locks.find((l) => l.teacher_id === id);

/**
 * Why a teacher keeps a post at home without competing, or null. 县管校聘 lets a teacher 落聘 only
 * where a move could follow: a teacher who may not move (data contract "may move": exemption, age,
 * tenure) or is locked to stay keeps the post, as do 校级领导, appointed by the bureau, not by 竞聘.
 */
export function keepsPost(ctx: CountyContext, t: Teacher): string | null {
  const lock = lockOf(ctx, t.id);
  // Not 人工锁定: the lock may be the history's minimum term (history.ts); the reason says which (as stay-reasons.ts words it).
  if (lock?.action === 'stay') return `锁定留任：${lock.reason}`;
  const e = ctx.eligibility.get(t.id)!;
  if (!e.mayMove) return `不参加竞聘：不可交流（${e.reason}），保留本校岗位`;
  if (isLeader(t, ctx.policy) && t.role !== 'middle_manager') return '校级领导由教育局聘任，不参加校内竞聘，保留本校岗位';
  return null;
}

/**
 * 校内竞聘 (round 1): per school × stage × subject, those who keep their post (above) take posts
 * first; the others compete by assessment score (ties by id) for the posts left; the rest are
 * unplaced (落聘). A move-locked teacher does not compete: the lock is carried out in round 3.
 */
export function inSchoolRound(ctx: CountyContext, posts: Posts): RoundRow[] {
  const groups = new Map<string, Teacher[]>();
  for (const t of ctx.teachers) {
    const k = needKey(t.school_id, t.stage, t.subject);
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const rows: RoundRow[] = [];
  for (const [k, teachers] of groups) {
    const p = posts.get(k) ?? 0;
    const kept = teachers.filter((t) => keepsPost(ctx, t) !== null);
    for (const t of kept) rows.push(roundRow(1, t, 'placed', t.school_id, keepsPost(ctx, t)!));
    const competing = teachers.filter((t) => keepsPost(ctx, t) === null && lockOf(ctx, t.id)?.action !== 'move').sort(byScore);
    const open = Math.max(0, p - kept.length);
    const posted = `本校${postName(teachers[0]!)}岗位${p}个${kept.length > 0 ? `（${Math.min(p, kept.length)}个由保留岗位者占用）` : ''}，${competing.length}人竞聘`;
    competing.forEach((t, i) => {
      const rank = `${scoreText(t)}排第${i + 1}名`;
      rows.push(i < open
        ? roundRow(1, t, 'placed', t.school_id, `校内竞聘上岗：${posted}，${rank}`)
        : roundRow(1, t, 'unplaced', '', `校内竞聘落聘：${posted}，${rank}`));
    });
    for (const t of teachers.filter((x) => keepsPost(ctx, x) === null && lockOf(ctx, x.id)?.action === 'move')) {
      const lock = lockOf(ctx, t.id)!;
      rows.push(roundRow(1, t, 'unplaced', '', `人工锁定调往${lock.to_school_id}（${lock.reason}），不参加竞聘，第3轮执行`));
    }
  }
  return rows;
}

/** Posts still open after the rows given (placed rows take a post at to_school_id in their subject). */
export function openPosts(ctx: CountyContext, posts: Posts, rows: readonly RoundRow[]): Map<string, number> {
  const open = new Map(posts);
  for (const r of rows) {
    if (r.outcome !== 'placed') continue;
    const t = ctx.teacherById.get(r.teacher_id)!;
    const k = needKey(r.to_school_id, t.stage, t.subject);
    if (open.has(k)) open.set(k, Math.max(0, open.get(k)! - 1));
  }
  return open;
}

/**
 * 跨校竞聘 (round 2) as a matching market: a round-1 unplaced teacher applies (applications.csv, by
 * rank) to other schools with a post of their stage × subject still open, where the move keeps every
 * move rule; schools rank applicants by assessment score. Two caps keep the round within the county
 * rules that sum over moves: a school releases at most its outflow cap (⌊maxOutflowShareOfSchool ×
 * teachers⌋ less its move locks; highest scores apply first, R11) and takes at most its room under
 * the quota (max(quota, teachers) − teachers, less the move locks into it). `why`: those who do not apply.
 */
export function crossSchoolMarket(ctx: CountyContext, posts: Posts, round1: readonly RoundRow[], applications: readonly Application[]) {
  const unplaced = round1.filter((r) => r.outcome === 'unplaced').map((r) => ctx.teacherById.get(r.teacher_id)!).sort(byScore);
  const open = openPosts(ctx, posts, round1);
  const released = new Map<string, number>();
  const why = new Map<string, string>();
  const proposers: Proposer[] = [];
  for (const t of unplaced) {
    const lock = lockOf(ctx, t.id);
    if (lock?.action === 'move') { why.set(t.id, `人工锁定调往${lock.to_school_id}，不参加跨校竞聘，第3轮执行`); continue; }
    const staff = ctx.staffBefore.get(t.school_id) ?? 0;
    const cap = floorShare(ctx.policy.limits.maxOutflowShareOfSchool, staff) - ctx.locks.filter((l) => l.action === 'move' && ctx.teacherById.get(l.teacher_id)?.school_id === t.school_id).length;
    const n = released.get(t.school_id) ?? 0;
    if (n >= cap) { why.set(t.id, `本校流出已达上限（⌊${ctx.policy.limits.maxOutflowShareOfSchool * 100}% × ${staff}⌋，已有${n}人参加跨校竞聘），转入组织调剂`); continue; }
    const from = ctx.schoolById.get(t.school_id)!;
    const prefs = applications.filter((a) => a.teacher_id === t.id).sort((a, b) => a.rank - b.rank).map((a) => a.school_id)
      .filter((sid) => {
        const to = ctx.schoolById.get(sid);
        return to !== undefined && (open.get(needKey(sid, t.stage, t.subject)) ?? 0) > 0 && room(ctx, sid) > 0
          && moveAllowed(ctx, { teacher: t, from, to, mode: 'transfer' });
      });
    if (prefs.length === 0) { why.set(t.id, '未填报有本学科空岗且可交流的学校，转入组织调剂'); continue; }
    released.set(t.school_id, n + 1);
    proposers.push({ id: t.id, prefs });
  }
  const order = new Map(unplaced.map((t, i) => [t.id, i]));
  const market: MatchingMarket = {
    proposers,
    slotOf: (id, sid) => { const t = ctx.teacherById.get(id)!; return needKey(sid, t.stage, t.subject); },
    slotCapacity: (_sid, slot) => open.get(slot) ?? 0,
    schoolCapacity: (sid) => room(ctx, sid),
    before: (a, b) => order.get(a)! - order.get(b)!,
  };
  return { unplaced, market, why };
}

/** Round 2: deferred acceptance on the market above; the unmatched go on to round 3. */
export function crossSchoolRound(ctx: CountyContext, posts: Posts, round1: readonly RoundRow[], applications: readonly Application[]): RoundRow[] {
  const { unplaced, market, why } = crossSchoolMarket(ctx, posts, round1, applications);
  const match = deferredAcceptance(market);
  const rankOf = (t: Teacher, sid: string) => applications.find((a) => a.teacher_id === t.id && a.school_id === sid)!.rank;
  return unplaced.map((t) => {
    const to = match.get(t.id);
    if (to) return roundRow(2, t, 'placed', to, `跨校竞聘：第${rankOf(t, to)}志愿${to}的${postName(t)}空岗，${scoreText(t)}`);
    const listed = market.proposers.find((a) => a.id === t.id);
    return roundRow(2, t, 'unplaced', '', why.get(t.id) ?? `跨校竞聘未聘：所报${listed?.prefs.length ?? 0}所学校的空岗由分数更高者获得，转入组织调剂`);
  });
}

/** Teachers a school may take without passing its quota, less the move locks into it (a school over quota before takes none). */
function room(ctx: CountyContext, schoolId: string): number {
  const s = ctx.schoolById.get(schoolId)!;
  const before = ctx.staffBefore.get(schoolId) ?? 0;
  const locked = ctx.locks.filter((l) => l.action === 'move' && l.to_school_id === schoolId).length;
  return Math.max(0, Math.max(quotaOf(s, ctx.policy).quota, before) - before - locked);
}
