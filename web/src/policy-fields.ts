// The policy parameters a planner may change on the scenario form, each with its contract
// default and the clause it comes from (domain.md §b/§c, data-contract.md policy.json), so a
// leader sees which numbers are law and which are local choices; the objective weights carry
// their one-line meaning instead (README "The model"). Defaults must equal
// solver/contract/schemas.ts defaultPolicy(): test/e2e/policy-fields.test.ts checks it.

/** `nullableShare` / `nullableNumber`: an empty box means null, shown as the field's `empty` text. */
export type FieldKind = 'int' | 'share' | 'number' | 'bool' | 'nullableNumber' | 'nullableShare' | 'choice';

export interface PolicyField {
  path: readonly string[];
  zh: string;
  en: string;
  kind: FieldKind;
  def: number | boolean | string | null;
  /** `choice`: the values offered, each with its words. */
  options?: { value: string; zh: string; en: string }[];
  /** The source clause (a citation, shown as is in both languages), or the field's one-line meaning. */
  clause: string;
  /** The meaning in English, for fields whose `clause` explains rather than cites. */
  clauseEn?: string;
  unit?: { zh: string; en: string };
  /** What null (an empty box) means, shown as the default. */
  empty?: { zh: string; en: string };
  min?: number;
  max?: number;
  step?: number;
}

export interface FieldGroup { id: string; zh: string; en: string; fields: PolicyField[] }

const years = { zh: '年', en: 'yrs' };
const per100 = { zh: '人/百生', en: 'per 100' };
const perTeacher = { zh: '分/人', en: 'pts/teacher' };
const times = { zh: '倍', en: '×' };
const multiplier = (path: string, zh: string, en: string, enNoun: string): PolicyField => ({
  path: ['weights', 'cvIndicator', path], zh: `${zh}差异系数倍数`, en: `${en} CV multiplier`, kind: 'number', def: 1, min: 0, max: 100, step: 0.1, unit: times,
  clause: `只调整${zh}这一项的重视程度（1 = 与其他指标相同，0 = 不考虑）`,
  clauseEn: `Weighs the ${enNoun} CV alone (1 = like the others, 0 = ignored)`,
});

/** Whether one kind of move counts toward the rotation and backbone shares (counties differ, R10). */
const modeSwitch = (mode: string, zh: string, en: string, what: string): PolicyField => ({
  path: ['modes', mode, 'countsTowardRotation'], zh: `${zh}计入交流比例`, en: `${en} count toward the shares`, kind: 'bool', def: true,
  clause: `R10 各地规定哪些交流方式计入交流比例与骨干比例：${what}`,
  clauseEn: `R10: counties decide which kinds of move count toward the rotation and backbone shares — ${en.toLowerCase()}`,
});

export const POLICY_GROUPS: FieldGroup[] = [
  {
    id: 'eligibility', zh: '交流资格', en: 'Eligibility',
    fields: [
      { path: ['year'], zh: '规划年度', en: 'Plan year', kind: 'int', def: 2026, min: 1990, max: 2100, clause: '数据约定：年龄 = 年度 − 出生年份' },
      { path: ['eligibility', 'teacherYearsAtSchool'], zh: '教师本校任教满', en: 'Teacher years at school', kind: 'int', def: 6, min: 0, max: 30, unit: years, clause: '教师〔2014〕4号 R2（各地 6/9/10 年）' },
      { path: ['eligibility', 'leaderYearsAtSchool'], zh: '校长、副校长任职满', en: 'Principal years at school', kind: 'int', def: 6, min: 0, max: 30, unit: years, clause: '教师〔2014〕4号 R3（两届或 6–10 年）' },
      { path: ['eligibility', 'maxAge', 'M'], zh: '男教师年龄低于', en: 'Male age below', kind: 'int', def: 50, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津、蒲城 男50/女45' },
      { path: ['eligibility', 'maxAge', 'F'], zh: '女教师年龄低于', en: 'Female age below', kind: 'int', def: 45, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津、蒲城 男50/女45' },
    ],
  },
  {
    id: 'ratios', zh: '比例要求', en: 'Ratios',
    fields: [
      { path: ['ratios', 'minRotatedShareOfEligible'], zh: '交流人数不低于符合条件教师的', en: 'Rotated ≥ share of eligible', kind: 'share', def: 0.1, min: 0, max: 100, clause: '教师〔2014〕4号；教督〔2017〕6号 R6' },
      { path: ['ratios', 'maxRotatedShareOfEligible'], zh: '交流人数上限（空 = 只交流最低人数）', en: 'Rotated ≤ share of eligible (empty = the minimum)', kind: 'nullableShare', def: null, min: 0, max: 100, empty: { zh: '最低人数', en: 'minimum' }, clause: '本地选择：“不低于10%”，多数县按最低人数交流；锁定交流的人数可突破上限', clauseEn: 'Local choice: policy says “at least 10%”, most counties rotate the minimum; move locks may exceed the upper share' },
      { path: ['ratios', 'minBackboneShareOfRotated'], zh: '骨干教师不低于交流人数的', en: 'Backbone ≥ share of rotated', kind: 'share', def: 0.2, min: 0, max: 100, clause: '教师〔2014〕4号；教督〔2017〕6号 R7' },
      modeSwitch('transfer', '调动', 'Transfers', '调动（人事关系随人走）'),
      modeSwitch('support', '支教', 'Support moves', '支教（保留原校编制）'),
      modeSwitch('itinerant', '走教', 'Itinerant moves', '走教（在多校任教）'),
      { ...modeSwitch('shadow', '顶岗培养', 'Training placements', '顶岗培养（乡村教师到城区学校培养，默认不计入）'), def: false },
    ],
  },
  {
    id: 'limits', zh: '交流限制', en: 'Limits',
    fields: [
      { path: ['limits', 'maxOutflowShareOfSchool'], zh: '每校流出不超过本校教师的', en: 'School outflow ≤ share of its teachers', kind: 'share', def: 0.2, min: 0, max: 100, clause: '数据约定：每校一次流出不超过本校教师的规定比例（保持学校稳定）', clauseEn: 'Data contract: a school loses at most this share of its teachers in one plan (keeps schools stable)' },
      { path: ['limits', 'maxCommuteKm'], zh: '通勤距离上限（空 = 不限）', en: 'Commute limit (empty = none)', kind: 'nullableNumber', def: null, min: 1, max: 500, unit: { zh: '公里', en: 'km' }, empty: { zh: '不限', en: 'None' }, clause: '数据约定：设定后，交流学校距居住地不超过此距离（本地选择）', clauseEn: 'Data contract: when set, no move takes a teacher further than this from home (local choice)' },
      { path: ['flows', 'towardRuralOrWeakOnly'], zh: '只向乡村或薄弱学校交流', en: 'Only toward rural or weak schools', kind: 'bool', def: false, clause: '教师〔2014〕4号 R8 城镇→乡村、优质→薄弱' },
      {
        path: ['flows', 'cluster'], zh: '以学区/集团为载体', en: 'Cluster (学区/集团) as the carrier', kind: 'choice', def: 'off',
        options: [{ value: 'off', zh: '不考虑', en: 'Off' }, { value: 'prefer', zh: '优先学区内', en: 'Prefer within' }, { value: 'only', zh: '只在学区内', en: 'Only within' }],
        clause: '青海省优质均衡实施方案（2024）以学区或集团化办学为载体；优先 = 跨出学区每人计“跨出学区”分',
      },
      { path: ['modes', 'transfer', 'allowed'], zh: '允许带编调动', en: 'Transfers allowed', kind: 'bool', def: true, clause: 'R17 交流方式：调动（编制随人走）' },
      { path: ['modes', 'support', 'allowed'], zh: '允许支教（编制留在原校）', en: 'Support postings (支教) allowed', kind: 'bool', def: false, clause: 'R17；裕安区实施方案 城区教师到农村学校支教；两种都允许时由优化器逐人选择' },
      { path: ['modes', 'itinerant', 'allowed'], zh: '允许走教（编制和主要课时留在原校）', en: 'Itinerant teaching (走教) allowed', kind: 'bool', def: false, clause: '青海省优质均衡实施方案（2024）紧缺学科教师巡回教学；裕安区 乡镇学区内教师走教' },
      { path: ['modes', 'itinerant', 'fte'], zh: '走教份额（每人在受援校的岗位份额）', en: 'Itinerant share of a post', kind: 'number', def: 0.5, min: 0.05, max: 0.5, step: 0.05, clause: '政策参数 modes.itinerant.fte（须为 1/k：0.5、0.25、0.2…）；plan.csv fte 列' },
      { path: ['modes', 'itinerant', 'maxSchools'], zh: '每名走教教师服务学校数上限', en: 'Schools one itinerant teacher serves at most', kind: 'int', def: 1, min: 1, max: 9, clause: '政策参数 modes.itinerant.maxSchools（走教学校数×份额须小于1，本校仍任教）；plan.csv 每所服务学校一行' },
      { path: ['modes', 'itinerant', 'maxKm'], zh: '走教学校间距离上限', en: 'Itinerant distance limit', kind: 'number', def: 15, min: 1, max: 200, unit: { zh: '公里', en: 'km' }, clause: '政策参数 modes.itinerant.maxKm（两校坐标直线距离）' },
      { path: ['modes', 'itinerant', 'withinCluster'], zh: '走教限本学区/集团内', en: 'Itinerant within the cluster only', kind: 'bool', def: true, clause: '裕安区实施方案 乡镇学区内教师走教' },
      { path: ['modes', 'shadow', 'allowed'], zh: '允许顶岗培养（乡村、薄弱学校教师到城镇学校）', en: 'Training placements (顶岗培养) allowed', kind: 'bool', def: false, clause: '裕政〔2024〕53号 第17条 开展农村教师到城区学校顶岗培养；编制留在原校，不占交流预算' },
      { path: ['modes', 'shadow', 'maxShareOfRuralTeachers'], zh: '名单外顶岗培养不超过乡村和薄弱学校教师的', en: 'Placements beyond the list ≤ share of rural and weak schools\' teachers', kind: 'share', def: 0.05, min: 0, max: 100, clause: '本地选择：名单（modes.shadow.teachers）另计，优化器只在接收学校需要时安排' },
      { path: ['modes', 'shadow', 'termYears'], zh: '顶岗培养期限', en: 'Training placement term', kind: 'int', def: 1, min: 1, max: 6, unit: years, clause: '裕政〔2024〕53号 第17条（写入每人理由）' },
      { path: ['modes', 'support', 'termYears'], zh: '支教期限', en: 'Support term', kind: 'int', def: 1, min: 1, max: 6, unit: years, clause: '海盐县 名师三年一轮短期支教（写入每人理由）' },
    ],
  },
  {
    id: 'leaders', zh: '学校领导交流', en: 'Leaders',
    fields: [
      { path: ['leaders', 'maxAge', 'M'], zh: '男校长、副校长年龄低于', en: 'Male leader age below', kind: 'int', def: 50, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津 校长男55/女50（默认同教师）' },
      { path: ['leaders', 'maxAge', 'F'], zh: '女校长、副校长年龄低于', en: 'Female leader age below', kind: 'int', def: 45, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津 校长男55/女50（默认同教师）' },
      { path: ['leaders', 'maxLeavingPerSchool'], zh: '每校每年调出学校领导不超过', en: 'Leaders leaving one school a year ≤', kind: 'int', def: 1, min: 0, max: 10, unit: { zh: '人', en: '' }, clause: '本地选择：保持学校领导班子稳定' },
      { path: ['leaders', 'middleManagersAsLeaders'], zh: '中层干部按学校领导交流', en: 'Middle managers rotate as leaders', kind: 'bool', def: false, clause: '海盐县 教育基本公共服务均等化改革试点实施方案：中层轮岗交流' },
    ],
  },
  {
    id: 'careers', zh: '职称与任职经历', en: 'Careers',
    fields: [
      { path: ['careers', 'seniorTitleRuralYears'], zh: '申报高级职称须在乡村或薄弱学校任教满', en: 'Rural/weak years for the senior title', kind: 'int', def: 1, min: 1, max: 10, unit: years, clause: '青海 构建优质均衡的基本公共教育服务体系实施方案 第15条 R11（1年以上）' },
      { path: ['careers', 'minSchoolsWorked'], zh: '校长、高级职称、名师人选须有工作经历的学校数', en: 'Schools worked for principal, senior title, 名师', kind: 'int', def: 2, min: 2, max: 10, unit: { zh: '所', en: 'schools' }, clause: '安政办〔2019〕46号 R13（至少两所学校）' },
    ],
  },
  {
    id: 'indicators', zh: '指标阈值（优质均衡）', en: 'Indicator thresholds',
    fields: [
      { path: ['indicators', 'cvMax', 'primary'], zh: '小学差异系数不高于', en: 'Primary CV ≤', kind: 'number', def: 0.5, min: 0.01, max: 2, step: 0.01, clause: '教督〔2017〕6号 第六条' },
      { path: ['indicators', 'cvMax', 'junior'], zh: '初中差异系数不高于', en: 'Junior CV ≤', kind: 'number', def: 0.45, min: 0.01, max: 2, step: 0.01, clause: '教督〔2017〕6号 第六条' },
      { path: ['indicators', 'aboveDegreeMin', 'primary'], zh: '小学高于规定学历教师', en: 'Primary above-degree teachers', kind: 'number', def: 4.2, min: 0, max: 20, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-1' },
      { path: ['indicators', 'aboveDegreeMin', 'junior'], zh: '初中高于规定学历教师', en: 'Junior above-degree teachers', kind: 'number', def: 5.3, min: 0, max: 20, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-1' },
      { path: ['indicators', 'backboneMin', 'primary'], zh: '小学县级以上骨干教师', en: 'Primary backbone teachers', kind: 'number', def: 1, min: 0, max: 10, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-2' },
      { path: ['indicators', 'backboneMin', 'junior'], zh: '初中县级以上骨干教师', en: 'Junior backbone teachers', kind: 'number', def: 1, min: 0, max: 10, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-2' },
      { path: ['indicators', 'peArtMin', 'primary'], zh: '小学体育艺术专任教师', en: 'Primary PE & art teachers', kind: 'number', def: 0.9, min: 0, max: 10, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-3' },
      { path: ['indicators', 'peArtMin', 'junior'], zh: '初中体育艺术专任教师', en: 'Junior PE & art teachers', kind: 'number', def: 0.9, min: 0, max: 10, step: 0.1, unit: per100, clause: '教督〔2017〕6号 C1-3' },
    ],
  },
  {
    id: 'weights', zh: '目标权重', en: 'Objective weights',
    fields: [
      { path: ['indicators', 'neverWorse'], zh: '任何差异系数不得比交流前变差', en: 'No CV may end worse than before', kind: 'bool', def: true, clause: '开关：六项差异系数（学段 × 指标）交流后都不高于交流前', clauseEn: 'Switch: none of the six CVs (stage × indicator) may end higher than it started' },
      { path: ['weights', 'cvBalance'], zh: '差异系数均衡', en: 'CV balance', kind: 'number', def: 100, min: 0, max: 1e6, unit: { zh: '分', en: 'pts' }, clause: '每个学段 × 指标计 权重 × 交流后CV² ÷ 交流前CV²：差异系数降为0即省下该分值', clauseEn: 'Per stage × indicator: weight × CV² after ÷ CV² before; a CV brought to 0 saves the whole weight' },
      { path: ['weights', 'cvOverThreshold'], zh: '超标差异系数加重倍数', en: 'Over-threshold CV multiplier', kind: 'number', def: 3, min: 1, max: 100, step: 0.1, unit: times, clause: '交流前已高于上限（0.50 / 0.45）的差异系数按此倍数加重', clauseEn: 'A CV above its limit (0.50 / 0.45) before the plan weighs this many times more' },
      multiplier('aboveDegree', '高学历教师', 'Above-degree', 'above-degree'),
      multiplier('backbone', '骨干教师', 'Backbone', 'backbone'),
      multiplier('peArt', '体育艺术教师', 'PE & art', 'PE & art'),
      { path: ['weights', 'unfilledNeed'], zh: '学科缺口（每缺1人）', en: 'Unfilled subject need', kind: 'number', def: 0.5, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '每个未补上的学科缺口计此分；低于“每交流1人”，单为补缺不多交流', clauseEn: 'Per subject post left unfilled; below “per teacher moved”, so a gap alone does not buy a move' },
      { path: ['weights', 'extraSubjectFill'], zh: '以兼教学科补缺（每人扣减）', en: 'Need filled in an extra subject', kind: 'number', def: 0.2, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '教师调往他校补其兼教学科的缺口时计此分：兼教补缺的价值 = 学科缺口分 − 此分', clauseEn: 'Per teacher sent to fill a need in one of their extra subjects: such a fill is worth the unfilled-need weight minus this' },
      { path: ['weights', 'schoolLine'], zh: '学校教师指标达标（每校每项）', en: 'School brought over a teacher threshold', kind: 'number', def: 0, min: 0, max: 1e6, step: 0.1, unit: { zh: '分/项', en: 'pts/line' }, clause: '默认0（关闭：大县求解明显变慢）。某校某学段的高学历（4.2/5.3）、骨干（1.0）、体艺（0.9）每百生指标因交流由不达标变为达标，每项减去此分；由达标变为不达标，每项加此分', clauseEn: 'Default 0 (off: large counties solve much slower). Subtracted per school × stage × indicator (above-degree 4.2/5.3, backbone 1.0, PE & art 0.9 per 100 students) the plan brings over its line; added per one it drops below' },
      { path: ['weights', 'move'], zh: '每交流1人', en: 'Per teacher moved', kind: 'number', def: 1, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '上限高于最低人数时，多交流的每个人都要带来更多好处', clauseEn: 'With an upper share above the minimum, every extra move must pay for itself' },
      { path: ['weights', 'supportMove'], zh: '支教（每人，另加）', en: 'Per support posting (on top)', kind: 'number', def: 0.5, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '支教编制不随人走、期满回原校，受援校只在支教期内受益：两种方式都合规时优先带编调动', clauseEn: 'A support posting keeps the post at home and ends after its term, so the receiving school gains for the term only: a transfer is preferred where both keep every rule' },
      { path: ['weights', 'shadowMove'], zh: '顶岗培养（每人，另加）', en: 'Per training placement (on top)', kind: 'number', def: 0.5, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '顶岗培养期满回原校，接收学校只在期内受益：名单外的顶岗培养只在值得时安排', clauseEn: 'A training placement ends after its term, so the host gains for the term only: beyond the list one is made only where it pays' },
      { path: ['weights', 'leaveCluster'], zh: '跨出学区/集团（每人）', en: 'Per move leaving the cluster', kind: 'number', def: 0.3, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '“以学区/集团为载体”选“优先学区内”时，跨出本学区的每次交流计此分', clauseEn: 'With the cluster set to “prefer within”: per move that leaves the origin school\'s cluster' },
      { path: ['weights', 'ruralOrWeakBonus'], zh: '流向乡村或薄弱学校奖励', en: 'Bonus toward rural or weak', kind: 'number', def: 0.3, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '城镇学校教师到乡村学校、或到薄弱学校，每人减去此分', clauseEn: 'Subtracted per move from a town/urban school to a rural one, or to a weak school' },
      { path: ['weights', 'ruralYearBonus'], zh: '一级教师取得乡村/薄弱学校任教经历奖励', en: 'Bonus: rural year for the senior title', kind: 'number', def: 0.3, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '乡村或薄弱学校任教年限不足的一级教师调往乡村或薄弱学校，每人减去此分（申报高级职称的必要条件）', clauseEn: 'Subtracted per 一级 teacher short of rural/weak years sent to a rural or weak school (needed to apply for the senior title)' },
      { path: ['weights', 'secondSchoolBonus'], zh: '校长、高级职称、名师人选取得第二所学校经历奖励', en: 'Bonus: second school for future leaders', kind: 'number', def: 0.2, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '只在一所学校工作过的一级/高级职称、市级以上骨干、副校长或中层交流，每人减去此分', clauseEn: 'Subtracted per 一级/高级 teacher, city-level-or-above backbone, vice-principal or middle manager who has worked at one school only and moves' },
      { path: ['weights', 'commutePerKm'], zh: '通勤每增加1公里', en: 'Per km of added commute', kind: 'number', def: 0.02, min: 0, max: 1e6, step: 0.01, unit: { zh: '分/公里', en: 'pts/km' }, clause: '交流使居住地到学校的距离每增加1公里计此分（缩短则减分）', clauseEn: 'Per km the move adds to the commute from home (a shorter commute subtracts)' },
      { path: ['weights', 'preferenceBonus'], zh: '符合本人意愿奖励', en: 'Preference bonus', kind: 'number', def: 0.5, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '调往本人填报的学校减去 此分 ÷ 志愿顺位', clauseEn: 'Subtracted, divided by the rank, for a move to a school the teacher asked for' },
      { path: ['weights', 'changeFromBaseline'], zh: '改动基准方案（每人）', en: 'Change from the baseline', kind: 'number', def: 3, min: 0, max: 1e6, step: 0.1, unit: perTeacher, clause: '以上次结果为基准再求解时，安排与基准不同的每位教师计此分', clauseEn: 'When re-planning against the last result: per teacher whose assignment differs from it' },
    ],
  },
  {
    id: 'solver', zh: '求解', en: 'Solver',
    fields: [
      { path: ['solver', 'timeLimitSeconds'], zh: '每县求解时间上限', en: 'Time limit per county', kind: 'int', def: 60, min: 1, max: 3600, unit: { zh: '秒', en: 's' }, clause: '本地选择（超时返回当前最好方案或说明原因）' },
    ],
  },
];

export const ALL_FIELDS: PolicyField[] = POLICY_GROUPS.flatMap((g) => g.fields);

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** A merge patch (the server's PATCH format) setting `path` to `value`. */
export function setPath(patch: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = patch;
  path.forEach((k, i) => {
    if (i === path.length - 1) { cur[k] = value; return; }
    const next = cur[k];
    cur = (typeof next === 'object' && next !== null ? next : (cur[k] = {})) as Record<string, unknown>;
  });
}

const FIELD_BY_KEY = new Map(ALL_FIELDS.map((f) => [f.path.join('.'), f]));

/** A policy parameter's name in `lang`; a parameter the form does not show is named by its key path. */
export function policyLabel(path: readonly string[], lang: 'zh' | 'en'): string {
  const f = FIELD_BY_KEY.get(path.join('.'));
  return f ? (lang === 'zh' ? f.zh : f.en) : path.join('.');
}

/** A policy value as the form shows it: shares in %, units, the meaning of an empty box, 是/否. */
export function policyValueText(path: readonly string[], value: unknown, lang: 'zh' | 'en'): string {
  const f = FIELD_BY_KEY.get(path.join('.'));
  if (value === null || value === undefined) return f?.empty ? (lang === 'zh' ? f.empty.zh : f.empty.en) : '—';
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
  const option = f?.options?.find((o) => o.value === value);
  if (option) return lang === 'zh' ? option.zh : option.en;
  if (typeof value !== 'number' || !f) return String(value);
  if (f.kind === 'share' || f.kind === 'nullableShare') return `${Math.round(value * 1000) / 10}%`;
  return `${value}${f.unit ? ` ${lang === 'zh' ? f.unit.zh : f.unit.en}` : ''}`;
}
