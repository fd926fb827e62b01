// Chinese first, English on request. Text lives next to the code that shows it as L('中文', 'English')
// pairs, so a page reads in both languages at a glance; the contract's codes (subjects, locales,
// modes…) get their labels here, the Chinese ones shared with the solver (solver/contract/labels.ts).
import { LOCALE_ZH, MODE_LABELS, STAGE_ZH, SUBJECT_EN, SUBJECT_ZH } from '../../solver/contract/labels.ts';

export type Lang = 'zh' | 'en';
const KEY = 'lungang.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export const lang = (): Lang => current;

export function setLang(l: Lang): void {
  current = l;
  try { localStorage.setItem(KEY, l); } catch { /* private mode: the choice lasts this page only */ }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.add(f);
}

/** The text in the current language. */
export const L = (zh: string, en: string): string => (current === 'zh' ? zh : en);

const pick = (zh: Record<string, string>, en: Record<string, string>) => (code: string | null | undefined): string =>
  code === null || code === undefined || code === '' ? '—' : (current === 'zh' ? zh[code] : en[code]) ?? code;

export const subjectLabel = pick(SUBJECT_ZH, SUBJECT_EN);
export const SUBJECT_CODES = Object.keys(SUBJECT_EN);

export const localeLabel = pick(LOCALE_ZH, { urban: 'Urban', town: 'Town', rural: 'Rural' });
export const stageLabel = pick({ ...STAGE_ZH, nine_year: '九年一贯制' }, { primary: 'Primary', junior: 'Junior', nine_year: 'Nine-year' });
const modeNames = (at: 0 | 1) => Object.fromEntries(Object.entries(MODE_LABELS).map(([m, l]) => [m, l[at]]));
export const modeLabel = pick(modeNames(0), modeNames(1));
export const backboneLabel = pick(
  { none: '非骨干', county: '县级骨干', city: '市级骨干', province: '省级骨干', national: '国家级骨干' },
  { none: 'Not backbone', county: 'County', city: 'City', province: 'Province', national: 'National' },
);
export const titleLabel = pick(
  { none: '未定级', third: '三级', second: '二级', first: '一级', senior: '高级', full_senior: '正高级' },
  { none: 'None', third: 'Third', second: 'Second', first: 'First', senior: 'Senior', full_senior: 'Full senior' },
);
export const degreeLabel = pick(
  { secondary: '中专', associate: '专科', bachelor: '本科', master: '硕士', doctor: '博士' },
  { secondary: 'Secondary', associate: 'Associate', bachelor: 'Bachelor', master: 'Master', doctor: 'Doctor' },
);
export const roleLabel = pick(
  { teacher: '教师', principal: '校长', vice_principal: '副校长', middle_manager: '中层', admin: '管理员', planner: '规划员', leader: '领导', auditor: '审核员' },
  { teacher: 'Teacher', principal: 'Principal', vice_principal: 'Vice principal', middle_manager: 'Middle manager', admin: 'Admin', planner: 'Planner', leader: 'Leader', auditor: 'Auditor' },
);
export const indicatorLabel = pick(
  { aboveDegree: '高于规定学历教师', backbone: '县级以上骨干教师', peArt: '体育艺术专任教师', all: '三项全部达标' },
  { aboveDegree: 'Above-degree teachers', backbone: 'Backbone teachers', peArt: 'PE & art teachers', all: 'All three met' },
);
export const indicatorShort = pick(
  { aboveDegree: '高学历', backbone: '骨干', peArt: '体艺', all: '全部' },
  { aboveDegree: 'Degree', backbone: 'Backbone', peArt: 'PE/art', all: 'All' },
);
export const runStatusLabel = pick(
  { queued: '排队中', running: '求解中', done: '已完成', infeasible: '无可行方案', failed: '失败', cancelled: '已取消' },
  { queued: 'Queued', running: 'Running', done: 'Done', infeasible: 'Infeasible', failed: 'Failed', cancelled: 'Cancelled' },
);
export const phaseLabel = pick(
  { queued: '排队等待', parsing: '读取数据', building: '构建模型', solving: '优化求解', reporting: '生成报告' },
  { queued: 'Queued', parsing: 'Reading data', building: 'Building model', solving: 'Solving', reporting: 'Writing report' },
);
export const planStatusLabel = pick(
  { optimal: '最优', feasible: '可行（未证最优）', infeasible: '无可行方案' },
  { optimal: 'Optimal', feasible: 'Feasible (not proven optimal)', infeasible: 'Infeasible' },
);
export const eligibilityLabel = pick(
  { eligible: '符合交流条件', exempt: '暂缓交流', not_on_establishment: '不在编', too_old: '超龄', too_few_years: '任教年限不足', volunteer: '自愿交流' },
  { eligible: 'Eligible', exempt: 'Deferred', not_on_establishment: 'Not on establishment', too_old: 'Over age limit', too_few_years: 'Too few years', volunteer: 'Volunteer' },
);
export const genderLabel = pick({ M: '男', F: '女' }, { M: 'Male', F: 'Female' });
export const changeLabel = pick(
  { only_a: '仅在 A 中交流', only_b: '仅在 B 中交流', different_destination: '调入学校不同' },
  { only_a: 'Moves in A only', only_b: 'Moves in B only', different_destination: 'Different destination' },
);
/** A re-plan against its baseline: what changed for one teacher. */
export const replanChangeLabel = pick(
  { added: '新增交流', dropped: '改为留任', redirected: '改派其他学校' },
  { added: 'Now moves', dropped: 'Now stays', redirected: 'Other destination' },
);

/** Rule names for reports stored before rules carried their own English texts (name_en…). */
const RULE_EN: Record<string, string> = {
  plan_integrity: 'Every plan row names a rostered teacher, their school and an existing school, once',
  may_move: 'Only eligible or volunteering teachers on establishment move',
  stage_match: 'Only to schools of the stage taught',
  other_school: 'Never back to the own school',
  same_county: 'No moves across counties',
  commute: 'Commute within the limit',
  toward_rural_or_weak: 'Only toward rural or weak schools (when on)',
  locks: 'Manual locks are kept',
  rotation_share: 'Rotated teachers at least the required share of the eligible',
  backbone_share: 'Backbone teachers at least the required share of the rotated',
  outflow_cap: 'No school loses more than the allowed share of its teachers',
  quota: 'Within staffing quota after the plan',
  locked_moves: 'Locked moves go where the lock says',
};

interface RuleTexts {
  id: string; name: string; clause: string; required: string; actual: string; details?: string[];
  name_en?: string; clause_en?: string; required_en?: string; actual_en?: string; details_en?: string[];
}
/** A rule's texts in the current language: the rule's own English twins, written from the run's numbers. */
export function ruleText(r: RuleTexts): { name: string; clause: string; required: string; actual: string; details: string[] } {
  if (current === 'zh') return { name: r.name, clause: r.clause, required: r.required, actual: r.actual, details: r.details ?? [] };
  return {
    name: r.name_en ?? RULE_EN[r.id] ?? r.name, clause: r.clause_en ?? r.clause, required: r.required_en ?? r.required,
    actual: r.actual_en ?? r.actual, details: r.details_en ?? r.details ?? [],
  };
}

// ── Best achievable 差异系数 (report indicators.cv[] best_achievable, share_of_achievable) ────
const percent = (x: number) => `${Math.round(100 * x)}%`;

/** “本方案达到可实现降幅的 87%”; null share: no plan keeping every rule lowers this CV. */
export const achievedShareText = (share: number | null): string =>
  share === null ? L('交流无法降低此差异系数', 'Rotation cannot lower this CV')
    : L(`本方案达到可实现降幅的 ${percent(share)}`, `This plan achieves ${percent(share)} of the achievable reduction`);

/** “仅靠交流无法降到0.50：最低可达0.67” when the lowest reachable CV is above the threshold. */
export const outOfReachText = (max: number, best: number): string =>
  L(`仅靠交流无法降到${max.toFixed(2)}：最低可达${best.toFixed(2)}`, `Rotation alone cannot bring it down to ${max.toFixed(2)}: the lowest reachable is ${best.toFixed(2)}`);

export const boundsStatusLabel = pick(
  { queued: '排队等待计算', running: '正在计算', done: '已算出', failed: '计算失败' },
  { queued: 'Waiting to compute', running: 'Computing', done: 'Computed', failed: 'Failed' },
);
