// The policy parameters a planner may change on the scenario form, each with its contract
// default and the clause it comes from (domain.md §b/§c, data-contract.md policy.json), so a
// leader sees which numbers are law and which are local choices. Defaults must equal
// solver/contract/schemas.ts defaultPolicy(): test/e2e/policy-fields.test.ts checks it.

export type FieldKind = 'int' | 'share' | 'number' | 'bool' | 'nullableNumber';

export interface PolicyField {
  path: readonly string[];
  zh: string;
  en: string;
  kind: FieldKind;
  def: number | boolean | null;
  clause: string;
  unit?: { zh: string; en: string };
  min?: number;
  max?: number;
  step?: number;
}

export interface FieldGroup { zh: string; en: string; fields: PolicyField[] }

const years = { zh: '年', en: 'yrs' };
const per100 = { zh: '人/百生', en: 'per 100' };

export const POLICY_GROUPS: FieldGroup[] = [
  {
    zh: '交流资格', en: 'Eligibility',
    fields: [
      { path: ['year'], zh: '规划年度', en: 'Plan year', kind: 'int', def: 2026, min: 1990, max: 2100, clause: '数据约定：年龄 = 年度 − 出生年份' },
      { path: ['eligibility', 'teacherYearsAtSchool'], zh: '教师本校任教满', en: 'Teacher years at school', kind: 'int', def: 6, min: 0, max: 30, unit: years, clause: '教师〔2014〕4号 R2（各地 6/9/10 年）' },
      { path: ['eligibility', 'leaderYearsAtSchool'], zh: '校长、副校长任职满', en: 'Principal years at school', kind: 'int', def: 6, min: 0, max: 30, unit: years, clause: '教师〔2014〕4号 R3（两届或 6–10 年）' },
      { path: ['eligibility', 'maxAge', 'M'], zh: '男教师年龄低于', en: 'Male age below', kind: 'int', def: 50, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津、蒲城 男50/女45' },
      { path: ['eligibility', 'maxAge', 'F'], zh: '女教师年龄低于', en: 'Female age below', kind: 'int', def: 45, min: 20, max: 70, unit: { zh: '岁', en: 'yrs' }, clause: 'R4 天津、蒲城 男50/女45' },
    ],
  },
  {
    zh: '比例要求', en: 'Ratios',
    fields: [
      { path: ['ratios', 'minRotatedShareOfEligible'], zh: '交流人数不低于符合条件教师的', en: 'Rotated ≥ share of eligible', kind: 'share', def: 0.1, min: 0, max: 100, clause: '教师〔2014〕4号；教督〔2017〕6号 R6' },
      { path: ['ratios', 'minBackboneShareOfRotated'], zh: '骨干教师不低于交流人数的', en: 'Backbone ≥ share of rotated', kind: 'share', def: 0.2, min: 0, max: 100, clause: '教师〔2014〕4号；教督〔2017〕6号 R7' },
    ],
  },
  {
    zh: '交流限制', en: 'Limits',
    fields: [
      { path: ['limits', 'maxOutflowShareOfSchool'], zh: '每校流出不超过本校教师的', en: 'School outflow ≤ share of its teachers', kind: 'share', def: 0.2, min: 0, max: 100, clause: '数据约定 limits.maxOutflowShareOfSchool（保持学校稳定）' },
      { path: ['limits', 'maxCommuteKm'], zh: '通勤距离上限（空 = 不限）', en: 'Commute limit (empty = none)', kind: 'nullableNumber', def: null, min: 1, max: 500, unit: { zh: '公里', en: 'km' }, clause: '数据约定 limits.maxCommuteKm（本地选择）' },
      { path: ['flows', 'towardRuralOrWeakOnly'], zh: '只向乡村或薄弱学校交流', en: 'Only toward rural or weak schools', kind: 'bool', def: false, clause: '教师〔2014〕4号 R8 城镇→乡村、优质→薄弱' },
    ],
  },
  {
    zh: '指标阈值（优质均衡）', en: 'Indicator thresholds',
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
    zh: '求解', en: 'Solver',
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
