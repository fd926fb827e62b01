// The English of a stay reason (stay-reasons.ts words them in Chinese, with their numbers).
// Derived from the stored Chinese text rather than stored beside it: report.json keeps
// `stay_reasons` in Chinese only, and an adopted run's report is hash-frozen, so the English
// of every run ever solved has to come from the text it already holds. Each pattern below
// mirrors one sentence of stay-reasons.ts or precheck.ts `noDestinationText`; the test
// (test/stay-reasons.test.ts) translates every reason a real plan gives, so a new sentence
// without its English fails there rather than showing Chinese in the English UI.
import type { Stage, Subject } from '../contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';

/** English names of the codes, from the caller (the web app's labels), so they are written once. */
export interface EnglishLabels { subject(code: Subject): string; stage(code: Stage): string }

const RULE_EN: Record<string, string> = { 学段: 'the stage rule', 通勤上限: 'the commute limit', 只向乡村或薄弱学校交流: 'rural-or-weak-only moves' };

/** One gap of `noDestinationText`, or null when it is not one this file knows. */
function gapEn(gap: string): string | null {
  if (gap === '县内无其他同学段学校') return 'no other school of the same stage in the county';
  if (gap === '只向乡村或薄弱学校交流，县内无同学段的乡村或薄弱学校') return 'moves go to rural or weak schools only, and the county has none of the same stage';
  let m = /^通勤上限(.+)公里内无同学段学校$/.exec(gap);
  if (m) return `no school of the same stage within the ${m[1]} km commute limit`;
  m = /^受“(.+)”限制无同学段学校$/.exec(gap);
  if (m) return `no school of the same stage under the rule “${m[1]}”`;
  m = /^(.+)合并后无同学段的可去学校$/.exec(gap);
  if (m) {
    const names = m[1]!.split('与').map((n) => RULE_EN[n] ?? n);
    return `${names.join(' and ')} together leave no school of the same stage`;
  }
  return null;
}

/** "初中数学" or "数学" (the stage only in nine-year schools) in English. */
function subjectEn(zh: string, labels: EnglishLabels): string | null {
  const stage = (Object.keys(STAGE_ZH) as Stage[]).find((s) => zh.startsWith(STAGE_ZH[s]) && zh !== STAGE_ZH[s]);
  const rest = stage ? zh.slice(STAGE_ZH[stage].length) : zh;
  const subject = (Object.keys(SUBJECT_ZH) as Subject[]).find((s) => SUBJECT_ZH[s] === rest);
  if (!subject) return null;
  return `${stage ? `${labels.stage(stage)} ` : ''}${labels.subject(subject)}`;
}

const SENTENCES: readonly { re: RegExp; en(m: RegExpExecArray, labels: EnglishLabels): string | null }[] = [
  // The planner's own reason stays as they wrote it.
  { re: /^锁定留任：([\s\S]*)$/, en: (m) => `Locked to stay: ${m[1]}` },
  {
    re: /^无可去学校：(.*)$/,
    en: (m) => {
      const gaps = m[1]!.split('；').map(gapEn);
      return gaps.every((g) => g !== null) ? `No school to go to: ${gaps.join('; ')}` : null;
    },
  },
  { re: /^本校流出上限为0人（(.+)），不能调出$/, en: (m) => `The school's outflow cap is 0 teachers (${m[1]}): nobody can leave it` },
  { re: /^本校流出已达上限（已调出(\d+)人 = (.+)）$/, en: (m) => `The school's outflow cap is reached (${m[1]} leaving = ${m[2]})` },
  {
    re: /^留任：本校(.+?)(缺口|教师刚好够用)，调出会新增缺口（需(\d+)人，交流后现有(\d+(?:\.\d+)?)人）$/,
    en: (m, labels) => {
      const subject = subjectEn(m[1]!, labels);
      if (subject === null) return null;
      const state = m[2] === '缺口' ? `is short of ${subject} teachers` : `has just enough ${subject} teachers`;
      return `Stays: the school ${state}; leaving would open a gap (needs ${m[3]}, has ${m[4]} after the plan)`;
    },
  },
  {
    re: /^名额已满：本次只需交流(\d+)人（交流预算(.+)）$/,
    en: (m) => {
      const locked = /^锁定交流(\d+)人$/.exec(m[2]!);
      return `The budget is full: this plan rotates only ${m[1]} teachers (budget ${locked ? `${locked[1]} locked moves` : m[2]})`;
    },
  },
  {
    re: /^未选中：再调出此人不能进一步改善均衡或补缺（预算内还可多交流(\d+)人）$/,
    en: (m) => `Not chosen: moving this teacher would not improve the balance or fill a need any further (the budget has room for ${m[1]} more)`,
  },
];

/** The English of a stay reason, or null for a sentence this file does not know (show the Chinese then). */
export function stayReasonEn(zh: string, labels: EnglishLabels): string | null {
  for (const s of SENTENCES) {
    const m = s.re.exec(zh);
    if (m) return s.en(m, labels);
  }
  return null;
}
