// Eligibility engine (data-contract.md "Definitions"; domain.md R2–R5): who must rotate, who
// may rotate, and a short bilingual reason an auditor can check. Reasons never carry names
// (personal data), only the numbers the rule compares.
import type { Policy, Teacher } from '../contract/schemas.ts';
import { isLeader } from './leaders.ts';

export type EligibilityStatus = 'eligible' | 'exempt' | 'not_on_establishment' | 'too_old' | 'too_few_years';

export interface Eligibility {
  status: EligibilityStatus;
  /** 符合交流条件: counts in the denominator of the rotation rate. */
  eligible: boolean;
  /** Eligible, or a volunteer on establishment without exemption. */
  mayMove: boolean;
  reason: string;
  reasonEn: string;
}

const EXEMPTION_LABELS: Record<NonNullable<Teacher['exemption']>, [zh: string, en: string]> = {
  pregnancy: ['怀孕', 'pregnancy'],
  nursing: ['哺乳期', 'nursing'],
  illness: ['患病', 'illness'],
  program_lead: ['特色项目负责人', 'programme lead'],
  near_retirement: ['临近退休', 'near retirement'],
  service_obligation: ['服务期内', 'service obligation'],
  other: ['其他原因', 'other reason'],
};

const GENDER_LABELS: Record<Teacher['gender'], [zh: string, en: string]> = {
  M: ['男', 'male'],
  F: ['女', 'female'],
};

const LEADER_LABELS: Partial<Record<Teacher['role'], [zh: string, en: string]>> = {
  principal: ['校长', 'principal'],
  vice_principal: ['副校长', 'vice principal'],
  middle_manager: ['中层', 'middle manager'],
};

/** age = year − birth_year (contract definition; no birthday-in-year refinement). */
export function age(t: Pick<Teacher, 'birth_year'>, policy: Pick<Policy, 'year'>): number {
  return policy.year - t.birth_year;
}

export function assessEligibility(t: Teacher, policy: Policy): Eligibility {
  // Establishment and exemption are checked first: they also bar volunteers.
  if (!t.on_establishment) {
    return { status: 'not_on_establishment', eligible: false, mayMove: false, reason: '不在编', reasonEn: 'not on establishment' };
  }
  if (t.exemption) {
    const [zh, en] = EXEMPTION_LABELS[t.exemption];
    return { status: 'exempt', eligible: false, mayMove: false, reason: `暂缓：${zh}`, reasonEn: `deferred: ${en}` };
  }

  const rules = policy.eligibility;
  const a = age(t, policy);
  // Leaders (policy/leaders.ts) have their own age caps and tenure.
  const leader = isLeader(t, policy) ? LEADER_LABELS[t.role] : undefined;
  const cap = (leader ? policy.leaders.maxAge : rules.maxAge)[t.gender];
  const [gZh, gEn] = GENDER_LABELS[t.gender];
  const ageOk = a < cap;
  const ageZh = `${gZh}${a}岁${ageOk ? '<' : '≥'}${cap}`;
  const ageEn = `${gEn}, age ${a} ${ageOk ? '<' : '≥'} ${cap}`;

  const minYears = leader ? rules.leaderYearsAtSchool : rules.teacherYearsAtSchool;
  const y = t.years_at_school;
  const yearsOk = y >= minYears;
  const yearsZh = leader
    ? `本校任职${y}年${yearsOk ? '≥' : '<'}${minYears}（${leader[0]}）`
    : `本校任教${y}年${yearsOk ? '≥' : '<'}${minYears}`;
  const yearsEn = `${y} yrs at school ${yearsOk ? '≥' : '<'} ${minYears}${leader ? ` (${leader[1]})` : ''}`;

  if (ageOk && yearsOk) {
    return { status: 'eligible', eligible: true, mayMove: true, reason: `${yearsZh}；${ageZh}`, reasonEn: `${yearsEn}; ${ageEn}` };
  }

  // Status names the first failing rule (age before tenure); the reason lists every failing one.
  const zh: string[] = [];
  const en: string[] = [];
  if (!ageOk) { zh.push(ageZh); en.push(ageEn); }
  if (!yearsOk) { zh.push(yearsZh); en.push(yearsEn); }
  if (t.volunteer) { zh.push('自愿交流'); en.push('volunteer'); }
  return {
    status: ageOk ? 'too_few_years' : 'too_old',
    eligible: false,
    mayMove: t.volunteer,
    reason: zh.join('；'),
    reasonEn: en.join('; '),
  };
}

export function eligibilityTable(teachers: readonly Teacher[], policy: Policy): Map<string, Eligibility> {
  return new Map(teachers.map((t) => [t.id, assessEligibility(t, policy)]));
}

/**
 * eligibility.csv (an added output file): every teacher's status and reason, where the plan sends
 * them, and why (`plan_reason`: the plan.csv reason of a move, or why a teacher who may move stays).
 */
export const ELIGIBILITY_COLUMNS = ['teacher_id', 'school_id', 'stage', 'subject', 'backbone', 'status', 'eligible', 'may_move', 'to_school_id', 'reason', 'plan_reason'] as const;

export function eligibilityRows(teachers: readonly Teacher[], policy: Policy, moves: ReadonlyMap<string, string>, planReasons: ReadonlyMap<string, string>) {
  return teachers.map((t) => {
    const e = assessEligibility(t, policy);
    return {
      teacher_id: t.id, school_id: t.school_id, stage: t.stage, subject: t.subject, backbone: t.backbone, status: e.status,
      eligible: e.eligible ? 1 : 0, may_move: e.mayMove ? 1 : 0, to_school_id: moves.get(t.id) ?? '', reason: e.reason,
      plan_reason: planReasons.get(t.id) ?? '',
    };
  });
}
