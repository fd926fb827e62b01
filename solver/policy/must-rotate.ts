// The year's must-rotate list (issue 12: "every eligible teacher rotates within the cycle"): named
// teachers this year's plan must rotate, to any school and by any kind of move the rules allow that
// counts toward rotation. `lungang cycle` lists the cycle's teachers who would otherwise leave it
// unrotated — those about to pass the age cap, and in the last year everyone left; a county may name
// teachers too. Like the 顶岗培养 list (shadow.ts): one row Σ moves of the listed ≥ their number, each
// listed teacher a class of their own (county-model.ts teacherClasses), so each moves once.
// No seed says "every eligible teacher within a cycle" in those words; the rule rests on rotation
// being due for every teacher who meets the conditions (R2 years at the school, R4 the age up to
// which it is mandatory) and on SEED1 §13's 常态化制度化 rotation.
import { MODE_ZH } from '../contract/labels.ts';
import type { CountyContext } from './county.ts';
import { type CountyRule, countsTowardRotation, isMustRotate, mustRotateOf } from './rule-kit.ts';

const CLAUSE = '青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）第13条：实现教师交流轮岗常态化制度化；在校任教满规定年限、未超龄的教师须交流；政策参数“本年须交流教师名单”';
const CLAUSE_EN = 'Qinghai plan (SEED1) §13: rotation made regular and institutional; domain.md R2, R4: teachers with the years at the school and under the age cap are due to rotate; policy cycle.mustRotate';

export const mustRotateRule: CountyRule = {
  id: 'must_rotate',
  name: '每名须本年交流的教师均已交流',
  name_en: 'Every teacher who must rotate this year is rotated',
  clause: CLAUSE,
  clause_en: CLAUSE_EN,
  constraints: (ctx) => {
    const listed = mustRotateOf(ctx);
    return listed.length === 0 ? [] : [{ key: 'must_rotate', coef: (m) => (isMustRotate(ctx, m.teacher.id) ? countsTowardRotation(ctx, m) : 0), min: listed.length }];
  },
  result: (ctx: CountyContext, _sums, moves) => {
    const listed = mustRotateOf(ctx);
    const byId = new Map(moves.map((m) => [m.teacher.id, m]));
    // A move that does not count toward rotation (顶岗培养 by default) is not the rotation asked for.
    const missing = listed.filter((id) => { const m = byId.get(id); return !m || countsTowardRotation(ctx, m) === 0; });
    const placed = listed.length - missing.length;
    return {
      required: listed.length === 0 ? '名单为空' : `名单${listed.length}人全部交流`, required_en: listed.length === 0 ? 'the list is empty' : `all ${listed.length} on the list rotated`,
      actual: `${placed}/${listed.length}人已交流`, actual_en: `${placed} of ${listed.length} rotated`,
      ok: missing.length === 0, numerator: placed, denominator: listed.length,
      details: missing.map((id) => `教师${id}未交流${byId.has(id) ? `（方案为${MODE_ZH[byId.get(id)!.mode]}，不计入交流）` : ''}`),
      details_en: missing.map((id) => `teacher ${id} is not rotated${byId.has(id) ? ` (the plan says ${byId.get(id)!.mode}, which does not count toward rotation)` : ''}`),
    };
  },
};
