// Move rules: each judges one move on its own (who may move, where to, in which kind of move);
// the model only creates moves that pass every one, and the audit checks each planned move again.
import { MODE_ZH, STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import type { School, Teacher } from '../contract/schemas.ts';
import { shareOf } from './indicators.ts';
import { countyOf, distanceKm, homeDistanceKm, isRuralOrWeak, offersStage, sameCluster } from './county.ts';
import type { CountyContext } from './county.ts';
import { fillsOwnSubjectRule } from './extra-subjects.ts';
import { needKey, shortBefore } from './needs.ts';
import { shadowDirectionRule } from './shadow.ts';
import { type Finding, type Move, type MoveRule, STAGE_EN, isNamedShadow, modeAllowed, moveRule, servedSchools } from './rule-kit.ts';

const lockOf = (ctx: CountyContext, id: string) => ctx.locks.find((l) => l.teacher_id === id);

/** The commute rule's test without its words (destinations.ts asks it of every school per teacher): within the limit, or not judged (no limit, a coordinate missing). */
export const reachesFromHome = (ctx: CountyContext, t: Teacher, s: School): boolean => {
  const max = ctx.policy.limits.maxCommuteKm;
  const km = max === null ? null : homeDistanceKm(t, s);
  return km === null || max === null || km <= max;
};

const itinerant = (m: Move, why: () => Finding): Finding => (m.mode === 'itinerant' ? why() : null);

export const moveRules: MoveRule[] = [
  moveRule({
    id: 'may_move',
    name: '只交流符合条件或自愿的在编教师',
    name_en: 'Only eligible or volunteering teachers on establishment move',
    clause: '教师〔2014〕4号；数据约定“符合交流条件”“可交流”（政策参数：本校任教年限、年龄上限）；顶岗培养名单上的教师以顶岗培养交流（政策参数“顶岗培养教师名单”）',
    clause_en: 'MoE Teachers [2014] No. 4; data contract "eligible" / "may move" (policy: years at school, age limits); teachers on the training list move as 顶岗培养 (modes.shadow.teachers)',
    check: (ctx, m) => {
      const e = ctx.eligibility.get(m.teacher.id);
      // The training list is the county's own choice of who trains, made apart from rotation eligibility.
      return e?.mayMove || (m.mode === 'shadow' && isNamedShadow(ctx, m.teacher.id)) ? null : { zh: `教师${m.teacher.id}不可交流：${e?.reason ?? '未知'}`, en: `teacher ${m.teacher.id} may not move: ${e?.reasonEn ?? 'unknown'}` };
    },
  }),
  moveRule({
    id: 'stage_match',
    anyMode: true,
    name: '只到任教学段的学校（九年一贯制收两个学段）',
    name_en: 'Only to schools of the stage taught (nine-year schools take both)',
    clause: '数据约定：教师只调往开设其任教学段的学校（九年一贯制学校两个学段均可）',
    clause_en: 'Data contract: a teacher moves only to a school of the stage they teach (nine-year schools take both stages)',
    check: (_ctx, m) => (offersStage(m.to, m.teacher.stage) ? null : {
      zh: `教师${m.teacher.id}任教${STAGE_ZH[m.teacher.stage]}，${m.to.id}无此学段`,
      en: `teacher ${m.teacher.id} teaches ${STAGE_EN[m.teacher.stage]}; ${m.to.id} has no such stage`,
    }),
  }),
  moveRule({
    id: 'other_school',
    anyMode: true,
    name: '不得“交流”回原校',
    name_en: 'Never back to the own school',
    clause: '数据约定：不得调往本校',
    clause_en: 'Data contract: never to the school the teacher is at',
    check: (_ctx, m) => (m.to.id !== m.from.id ? null : { zh: `教师${m.teacher.id}调往原校${m.to.id}`, en: `teacher ${m.teacher.id} sent to own school ${m.to.id}` }),
  }),
  moveRule({
    id: 'same_county',
    anyMode: true,
    name: '不跨县交流',
    name_en: 'No moves across counties',
    clause: '数据约定“县区”：不跨县区交流',
    clause_en: 'Data contract "county": no moves across counties',
    check: (ctx, m) => (countyOf(m.to) === ctx.county ? null : { zh: `教师${m.teacher.id}调往外县学校${m.to.id}`, en: `teacher ${m.teacher.id} sent to ${m.to.id} in another county` }),
  }),
  moveRule({
    id: 'commute',
    anyMode: true,
    name: '通勤距离不超过上限',
    name_en: 'Commute within the limit',
    clause: '政策参数“通勤距离上限”',
    clause_en: 'Policy "commute limit"',
    check: (ctx, m) => {
      if (reachesFromHome(ctx, m.teacher, m.to)) return null;
      const [km, max] = [homeDistanceKm(m.teacher, m.to)!, ctx.policy.limits.maxCommuteKm];
      return {
        zh: `教师${m.teacher.id}到${m.to.id}通勤${km.toFixed(1)}公里>${max}`,
        en: `teacher ${m.teacher.id} to ${m.to.id}: ${km.toFixed(1)} km > ${max} km`,
      };
    },
  }),
  moveRule({
    id: 'toward_rural_or_weak',
    name: '只流向乡村或薄弱学校（开启时；顶岗培养除外）',
    name_en: 'Only toward rural or weak schools (when on; training placements apart)',
    clause: '政策参数“只向乡村或薄弱学校交流”；教师〔2014〕4号 城镇→乡村、优质→薄弱',
    clause_en: 'Policy "only toward rural or weak schools"; MoE Teachers [2014] No. 4: town → rural, strong → weak',
    // 顶岗培养 is training in the other direction by design (shadow_direction), never a rotation move.
    check: (ctx, m) => (!ctx.policy.flows.towardRuralOrWeakOnly || isRuralOrWeak(m.to) || m.mode === 'shadow' ? null : {
      zh: `教师${m.teacher.id}流向非乡村非薄弱学校${m.to.id}`, en: `teacher ${m.teacher.id} sent to ${m.to.id}, neither rural nor weak`,
    }),
  }),
  moveRule({
    id: 'mode_allowed',
    name: '只采用政策允许的交流方式',
    name_en: 'Only the kinds of move the policy allows',
    clause: '政策参数“允许带编调动”“允许支教”“允许走教”“允许顶岗培养”（R17：调动、支教、走教；裕政〔2024〕53号 第17条 顶岗培养）',
    clause_en: 'Policy modes.*.allowed (R17: transfer, support posting 支教, itinerant teaching 走教; Yuzheng [2024] No. 53 §17 training placement 顶岗培养)',
    check: (ctx, m) => (modeAllowed(ctx, m.mode) ? null : {
      zh: `教师${m.teacher.id}以${MODE_ZH[m.mode]}方式交流，政策未允许`, en: `teacher ${m.teacher.id} moves as ${m.mode}, which the policy does not allow`,
    }),
  }),
  moveRule({
    id: 'same_cluster',
    anyMode: true,
    name: '只在学区/集团内交流（“以学区/集团为载体”选“只在学区内”时）',
    name_en: 'Only within the school district or group (when flows.cluster = only)',
    clause: '政策参数“以学区/集团为载体”；青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：以学区或集团化办学为载体促进交流轮岗；海盐县 学区教育发展联合体',
    clause_en: 'Policy flows.cluster; Qinghai, Implementation plan for a high-quality balanced basic public education service system (2024): clusters and school groups as the carrier of rotation; Haiyan county cluster alliances',
    check: (ctx, m) => (ctx.policy.flows.cluster !== 'only' || sameCluster(m.from, m.to) ? null : {
      zh: `教师${m.teacher.id}从${m.from.id}（学区${m.from.cluster ?? '未划分'}）到${m.to.id}（学区${m.to.cluster ?? '未划分'}），跨出学区`,
      en: `teacher ${m.teacher.id} from ${m.from.id} (cluster ${m.from.cluster ?? 'none'}) to ${m.to.id} (cluster ${m.to.cluster ?? 'none'}) leaves the cluster`,
    }),
  }),
  moveRule({
    id: 'itinerant_subject',
    name: '走教只限紧缺学科（思政、科学、体育、艺术、心理健康）',
    name_en: 'Itinerant teaching only in shortage subjects (ethics, science, PE, arts, mental health)',
    clause: '青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：紧缺学科教师巡回教学（思政、科学、体育、艺术、心理健康）；政策参数“走教学科”',
    clause_en: 'Qinghai, Implementation plan for a high-quality balanced basic public education service system (2024): itinerant teaching of shortage subjects; policy modes.itinerant.subjects',
    check: (ctx, m) => itinerant(m, () => {
      const subjects = ctx.policy.modes.itinerant.subjects;
      return subjects.includes(m.teacher.subject) ? null : {
        zh: `教师${m.teacher.id}任教${SUBJECT_ZH[m.teacher.subject]}，不在走教学科（${subjects.map((x) => SUBJECT_ZH[x]).join('、')}）之内`,
        en: `teacher ${m.teacher.id} teaches ${m.teacher.subject}, not an itinerant subject (${subjects.join(', ')})`,
      };
    }),
  }),
  moveRule({
    id: 'itinerant_shortage',
    name: '走教只到该学科缺员的学校（开启时）',
    name_en: 'Itinerant teaching only where the school lacks teachers of the subject (when on)',
    clause: '政策参数“走教只到缺员学校”；青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：紧缺学科教师巡回教学；数据约定“学科需求”（交流前需求−在岗>0）',
    clause_en: 'Policy modes.itinerant.onlyWhereShort; Qinghai, Implementation plan for a high-quality balanced basic public education service system (2024): itinerant teaching for shortage subjects; data contract needs (required − teachers before the plan > 0)',
    check: (ctx, m) => itinerant(m, () => (!ctx.policy.modes.itinerant.onlyWhereShort || shortBefore(ctx).has(needKey(m.to.id, m.teacher.stage, m.teacher.subject)) ? null : {
      zh: `教师${m.teacher.id}走教到${m.to.id}，该校${STAGE_ZH[m.teacher.stage]}${SUBJECT_ZH[m.teacher.subject]}交流前不缺员`,
      en: `teacher ${m.teacher.id} serves ${m.to.id}, which lacks no ${STAGE_EN[m.teacher.stage]} ${m.teacher.subject} teacher before the plan`,
    })),
  }),
  moveRule({
    id: 'itinerant_distance',
    name: '走教学校与本校距离不超过上限',
    name_en: 'Itinerant school within the distance limit of the home school',
    clause: '政策参数“走教学校间距离上限”（按两校坐标的直线距离；缺坐标时不判）',
    clause_en: 'Policy modes.itinerant.maxKm (school lat/lon; not judged when a coordinate is missing)',
    check: (ctx, m) => itinerant(m, () => {
      const km = distanceKm(m.from, m.to);
      const max = ctx.policy.modes.itinerant.maxKm;
      return km === null || km <= max ? null : {
        zh: `教师${m.teacher.id}从${m.from.id}走教到${m.to.id}相距${km.toFixed(1)}公里>${max}`,
        en: `teacher ${m.teacher.id} from ${m.from.id} to ${m.to.id}: ${km.toFixed(1)} km > ${max} km`,
      };
    }),
  }),
  moveRule({
    id: 'itinerant_cluster',
    name: '走教限本学区/集团内（开启时）',
    name_en: 'Itinerant teaching within the cluster (when on)',
    clause: '政策参数“走教限本学区/集团内”；裕安区实施方案：乡镇学区内教师走教',
    clause_en: 'Policy modes.itinerant.withinCluster; Yu\'an district plan: itinerant teaching within the township cluster',
    check: (ctx, m) => itinerant(m, () => (!ctx.policy.modes.itinerant.withinCluster || sameCluster(m.from, m.to) ? null : {
      zh: `教师${m.teacher.id}从${m.from.id}（学区${m.from.cluster ?? '未划分'}）走教到学区外的${m.to.id}`,
      en: `teacher ${m.teacher.id} from ${m.from.id} (cluster ${m.from.cluster ?? 'none'}) serves ${m.to.id} outside the cluster`,
    })),
  }),
  moveRule({
    id: 'itinerant_share',
    name: '走教份额为政策规定的份额',
    name_en: 'Itinerant share as the policy sets it',
    clause: '政策参数“走教份额”（方案的走教份额列）',
    clause_en: 'Policy modes.itinerant.fte (plan.csv column fte)',
    check: (ctx, m) => itinerant(m, () => (Math.abs(shareOf(m) - ctx.policy.modes.itinerant.fte) < 1e-9 ? null : {
      zh: `教师${m.teacher.id}走教份额${shareOf(m)}，政策为${ctx.policy.modes.itinerant.fte}`,
      en: `teacher ${m.teacher.id} serves a share of ${shareOf(m)}; the policy's is ${ctx.policy.modes.itinerant.fte}`,
    })),
  }),
  moveRule({
    id: 'itinerant_schools',
    name: '每名走教教师至多服务政策规定数量的学校，各校不重复',
    name_en: 'Each itinerant teacher serves at most the policy\'s number of schools, each once',
    clause: '政策参数“走教学校数上限”（紧缺学科教师到一所或多所邻近学校兼课；方案中每所服务学校一行走教）',
    clause_en: 'Policy modes.itinerant.maxSchools (a shortage-subject teacher serves one or more nearby schools; plan.csv has one itinerant row per school served)',
    whole: true,
    check: (ctx, m) => {
      const ids = servedSchools(m).map((s) => s.id);
      const max = ctx.policy.modes.itinerant.maxSchools;
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (m.mode !== 'itinerant' && ids.length > 1) return { zh: `教师${m.teacher.id}以${MODE_ZH[m.mode]}方式到${ids.join('、')}多所学校，只有走教可服务多校`, en: `teacher ${m.teacher.id} moves as ${m.mode} to several schools (${ids.join(', ')}); only itinerant teaching serves several` };
      if (ids.length > max) return { zh: `教师${m.teacher.id}走教${ids.length}所学校（${ids.join('、')}），上限${max}所`, en: `teacher ${m.teacher.id} serves ${ids.length} schools (${ids.join(', ')}); the limit is ${max}` };
      return repeated.length === 0 ? null : { zh: `教师${m.teacher.id}走教学校${repeated.join('、')}重复`, en: `teacher ${m.teacher.id} serves ${repeated.join(', ')} more than once` };
    },
  }),
  moveRule({
    id: 'locks',
    anyMode: true,
    name: '人工锁定必须执行',
    name_en: 'Manual locks are kept',
    clause: '人工锁定（规划员锁定，须注明理由）',
    clause_en: 'Manual locks (set by planners, each with a reason)',
    check: (ctx, m) => {
      const lock = lockOf(ctx, m.teacher.id);
      if (lock?.action === 'stay') return { zh: `教师${m.teacher.id}已锁定留任（${lock.reason}）`, en: `teacher ${m.teacher.id} is locked to stay (${lock.reason})` };
      if (lock?.action === 'move' && lock.to_school_id !== m.to.id) {
        return { zh: `教师${m.teacher.id}锁定调往${lock.to_school_id}，方案为${m.to.id}`, en: `teacher ${m.teacher.id} is locked to ${lock.to_school_id}, the plan says ${m.to.id}` };
      }
      return null;
    },
  }),
  fillsOwnSubjectRule,
  shadowDirectionRule,
];

