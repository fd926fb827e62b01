// The two lists a bureau posts (公示) in the annual cycle (domain.md §e 5.2 摸底 and 公示; seed 003
// 公开交流名单): the teachers eligible for rotation, and the adopted plan — school, name, subject,
// destination, mode and term. One table per list, in Chinese or English; the XLSX and the printable
// page are both drawn from it, so the two never differ. Names come through `name`, which masks them
// for the auditor role; nothing else personal (age, gender, home) is listed.
import type { PlanRow, Policy, School, Teacher } from '../contract/schemas.ts';
import { MODE_LABELS, STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { assessEligibility } from '../policy/eligibility.ts';

export const NOTICE_LISTS = ['eligible', 'plan'] as const;
export type NoticeList = (typeof NOTICE_LISTS)[number];
export type NoticeLang = 'zh' | 'en';

export interface NoticeTable {
  title: string;
  /** What the list rests on, printed under the title. */
  note: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface NoticeInput {
  list: NoticeList;
  lang: NoticeLang;
  policy: Policy;
  schools: readonly School[];
  teachers: readonly Teacher[];
  plan: readonly PlanRow[];
  /** A teacher's name as the reader may see it (masked for auditors). */
  name: (t: Teacher) => string;
  /** The plan is not (yet) the adopted one: the title says so, so a draft is never posted as final. */
  draft: boolean;
}

/** Term of a move as posted: a transfer moves the post; 支教 and 顶岗培养 last their termYears; 走教 is a share of a post. */
function termOf(r: PlanRow, policy: Policy, t: (zh: string, en: string) => string): string {
  switch (r.mode) {
    case 'transfer': return t('人事关系随调', 'post moves with the teacher');
    case 'support': return t(`${policy.modes.support.termYears} 年`, `${policy.modes.support.termYears} yr`);
    case 'shadow': return t(`${policy.modes.shadow.termYears} 年`, `${policy.modes.shadow.termYears} yr`);
    case 'itinerant': {
      const share = Math.round(100 * (r.fte ?? policy.modes.itinerant.fte));
      return t(`每学年，${share}% 岗位`, `each school year, ${share}% of a post`);
    }
  }
}

export function noticeTable(input: NoticeInput): NoticeTable {
  const { lang, policy } = input;
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const schoolName = new Map(input.schools.map((s) => [s.id, s.name]));
  const teacherById = new Map(input.teachers.map((x) => [x.id, x]));
  const school = (id: string) => schoolName.get(id) ?? id;
  const stage = (s: Teacher['stage']) => t(STAGE_ZH[s], s);
  const subject = (s: Teacher['subject']) => t(SUBJECT_ZH[s], s);
  const year = policy.year;

  if (input.list === 'eligible') {
    const y = policy.eligibility;
    const eligible = input.teachers.filter((x) => assessEligibility(x, policy).eligible)
      .sort((a, b) => school(a.school_id).localeCompare(school(b.school_id), 'zh') || a.school_id.localeCompare(b.school_id) || a.subject.localeCompare(b.subject) || a.id.localeCompare(b.id));
    return {
      title: t(`${year} 年义务教育学校符合交流条件教师名单（公示）`, `${year}: teachers eligible for rotation (public notice)`),
      note: t(`在编、无暂缓情形、本校任教满 ${y.teacherYearsAtSchool} 年（校长、副校长任职满 ${y.leaderYearsAtSchool} 年）且未满交流年龄上限的教师；共 ${eligible.length} 人`,
        `On establishment, not deferred, ${y.teacherYearsAtSchool}+ years at the school (${y.leaderYearsAtSchool}+ for principals) and under the age limit; ${eligible.length} teachers`),
      columns: [t('序号', 'No.'), t('学校', 'School'), t('姓名', 'Name'), t('学段', 'Stage'), t('学科', 'Subject'), t('本校任教年限', 'Years at school')],
      rows: eligible.map((x, i) => [i + 1, school(x.school_id), input.name(x), stage(x.stage), subject(x.subject), x.years_at_school]),
    };
  }
  const rows = [...input.plan].sort((a, b) => school(a.from_school_id).localeCompare(school(b.from_school_id), 'zh') || a.teacher_id.localeCompare(b.teacher_id));
  return {
    title: input.draft
      ? t(`${year} 年义务教育学校教师交流轮岗名单（草案，未采纳）`, `${year}: teacher rotation list (draft, not adopted)`)
      : t(`${year} 年义务教育学校教师交流轮岗名单（公示）`, `${year}: teacher rotation list (public notice)`),
    note: t(`自 ${year} 年秋季学期起；共 ${new Set(rows.map((r) => r.teacher_id)).size} 人，${rows.length} 条`,
      `From the autumn term of ${year}; ${new Set(rows.map((r) => r.teacher_id)).size} teachers, ${rows.length} rows`),
    columns: [t('序号', 'No.'), t('学校', 'School'), t('姓名', 'Name'), t('学段', 'Stage'), t('学科', 'Subject'), t('交流去向', 'Destination'), t('交流方式', 'Mode'), t('期限', 'Term')],
    rows: rows.map((r, i) => {
      const x = teacherById.get(r.teacher_id);
      const st = r.stage ?? x?.stage;
      const sub = r.fills_subject ?? r.subject ?? x?.subject;
      return [i + 1, school(r.from_school_id), x ? input.name(x) : r.teacher_id, st ? stage(st) : '', sub ? subject(sub) : '', school(r.to_school_id),
        t(...MODE_LABELS[r.mode]), termOf(r, policy, t)];
    }),
  };
}
