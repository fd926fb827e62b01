// Column specs of every contract table (data-contract.md): canonical name, the Chinese header
// aliases planners' spreadsheets use, and how a cell's text becomes a value. Range and
// required-ness live in the zod schemas of contract.ts; this module only turns text into
// typed values, so a schema never sees a string where it expects a number.
import type { z } from 'zod';
import {
  BACKBONE_LEVELS, DEGREES, EXEMPTIONS, GENDERS, LOCALES, MODES, ROLES, SCHOOL_STAGES, STAGES, SUBJECTS, TITLES,
  HISTORY_MODES, applicationSchema, historyRowSchema, lockSchema, needSchema, planRowSchema, postRowSchema, preferenceSchema, schoolSchema, teacherSchema,
} from './schemas.ts';
import { MODE_LABELS } from './labels.ts';

export type EnumKind = { kind: 'enum'; values: readonly string[]; aliases: Readonly<Record<string, string>> };
export type ValueKind =
  | { kind: 'string' }
  | { kind: 'int' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | EnumKind
  /** `;`-separated (also `；`), each item an enum value. */
  | { kind: 'list'; of: EnumKind };

export type ColumnSpec = {
  name: string;
  /** Chinese (and other) headers accepted for this column; the first one labels it in messages. */
  aliases: readonly string[];
  value: ValueKind;
  /** Header must be present and the cell filled (contract "req = yes"). */
  required: boolean;
  /** Personal data: the cell's text is never echoed in a message. */
  personal?: boolean;
  /** Why the value is needed, appended to "missing value" messages: [zh, en]. */
  missingHint?: readonly [string, string];
};

export type TableName = 'schools' | 'teachers' | 'needs' | 'posts' | 'preferences' | 'locks' | 'history' | 'plan' | 'applications' | 'rounds';

export type TableSpec<S extends z.ZodType = z.ZodType> = {
  table: TableName;
  /** Contract file name, e.g. `teachers.csv`; the sheet name is this without `.csv`. */
  file: string;
  /** Chinese table name: accepted as sheet name (and as file name `教师.csv`). */
  zhName: string;
  columns: readonly ColumnSpec[];
  schema: S;
};

const str = { kind: 'string' } as const;
const int = { kind: 'int' } as const;
const num = { kind: 'number' } as const;
const bool = { kind: 'bool' } as const;

export function enumOf(values: readonly string[], aliases: Record<string, readonly string[]>): EnumKind {
  const map: Record<string, string> = {};
  for (const v of values) map[v.toLowerCase()] = v;
  for (const [v, names] of Object.entries(aliases)) for (const n of names) map[n.toLowerCase()] = v;
  return { kind: 'enum', values, aliases: map };
}

export const SUBJECT_KIND = enumOf(SUBJECTS, {
  chinese: ['语文'], math: ['数学'], english: ['英语'],
  ethics_law: ['道德与法治', '道法', '思想品德', '思想政治', '思政'],
  science: ['科学'], physics: ['物理'], chemistry: ['化学'], biology: ['生物'], history: ['历史'],
  geography: ['地理'], info_tech: ['信息科技', '信息技术'], pe: ['体育与健康', '体育'], music: ['音乐'],
  art: ['美术'], labor: ['劳动'], practice: ['综合实践', '综合实践活动'],
  mental_health: ['心理健康', '心理健康教育', '心理'],
});
export const STAGE_KIND = enumOf(STAGES, { primary: ['小学'], junior: ['初中', '初级中学'] });
const SCHOOL_STAGE_KIND = enumOf(SCHOOL_STAGES, {
  primary: ['小学'], junior: ['初中', '初级中学'], nine_year: ['九年一贯制', '九年一贯制学校', '九年制'],
});
const LOCALE_KIND = enumOf(LOCALES, { urban: ['城区', '城市'], town: ['镇区', '乡镇'], rural: ['乡村', '农村'] });
const GENDER_KIND = enumOf(GENDERS, { M: ['男', 'male'], F: ['女', 'female'] });
const ROLE_KIND = enumOf(ROLES, {
  teacher: ['教师', '专任教师'], principal: ['校长'], vice_principal: ['副校长'], middle_manager: ['中层', '中层干部'],
});
export const BACKBONE_KIND = enumOf(BACKBONE_LEVELS, {
  none: ['无', '非骨干'], county: ['县级', '县级骨干'], city: ['市级', '市级骨干'],
  province: ['省级', '省级骨干'], national: ['国家级', '国家级骨干'],
});
const TITLE_KIND = enumOf(TITLES, {
  none: ['未定级', '无'], third: ['三级'], second: ['二级'], first: ['一级'], senior: ['高级'], full_senior: ['正高级'],
});
const DEGREE_KIND = enumOf(DEGREES, {
  secondary: ['中专', '中师', '高中'], associate: ['专科', '大专'], bachelor: ['本科'], master: ['硕士', '研究生'], doctor: ['博士'],
});
const EXEMPTION_KIND = enumOf(EXEMPTIONS, {
  pregnancy: ['怀孕', '孕期'], nursing: ['哺乳', '哺乳期'], illness: ['疾病', '患病', '病休'],
  program_lead: ['特色项目负责人', '项目负责人'], near_retirement: ['临近退休', '近退休'],
  service_obligation: ['服务期', '服务期未满'], other: ['其他'],
});
// Each kind by its labels in both languages; 顶岗培养 is also written 跟岗.
const MODE_KIND_ALIASES = { ...Object.fromEntries(MODES.map((m) => [m, MODE_LABELS[m]])), shadow: [...MODE_LABELS.shadow, '跟岗'] };
const MODE_KIND = enumOf(MODES, MODE_KIND_ALIASES);
const ACTION_KIND = enumOf(['stay', 'move'], { stay: ['留任', '不交流'], move: ['调动', '交流'] });

export const col = (name: string, aliases: readonly string[], value: ValueKind, required = false, personal = false): ColumnSpec =>
  ({ name, aliases, value, required, personal });

export const SCHOOLS: TableSpec<typeof schoolSchema> = {
  table: 'schools', file: 'schools.csv', zhName: '学校', schema: schoolSchema,
  columns: [
    col('id', ['学校代码', '学校标识码'], str, true),
    col('name', ['学校名称', '校名'], str, true),
    col('stage', ['学段', '学校类型'], SCHOOL_STAGE_KIND, true),
    col('locale', ['城乡类型', '城乡'], LOCALE_KIND, true),
    col('weak', ['薄弱学校', '是否薄弱学校'], bool),
    col('teaching_point', ['教学点', '是否教学点'], bool),
    col('parent_id', ['中心校代码'], str),
    col('cluster', ['学区/集团', '学区', '集团', '教育集团'], str),
    col('county', ['县区', '县（区）'], str),
    col('lat', ['纬度'], num),
    col('lon', ['经度'], num),
    col('students_primary', ['小学在校生', '小学在校生数'], int),
    col('students_junior', ['初中在校生', '初中在校生数'], int),
    col('classes_primary', ['小学班数'], int),
    col('classes_junior', ['初中班数'], int),
    col('quota', ['核定编制', '编制数'], int),
    col('boarding', ['寄宿制学校', '寄宿制'], bool),
  ],
};

export const TEACHERS: TableSpec<typeof teacherSchema> = {
  table: 'teachers', file: 'teachers.csv', zhName: '教师', schema: teacherSchema,
  columns: [
    col('id', ['教师编号', '工号'], str, true),
    col('name', ['姓名'], str, true, true),
    col('school_id', ['学校代码', '所在学校代码'], str, true),
    col('stage', ['任教学段', '学段'], STAGE_KIND, true),
    col('subject', ['任教学科', '学科'], SUBJECT_KIND, true),
    col('extra_subjects', ['兼任学科'], { kind: 'list', of: SUBJECT_KIND }),
    col('gender', ['性别'], GENDER_KIND, true),
    col('birth_year', ['出生年份'], int, true),
    col('role', ['岗位', '职务'], ROLE_KIND),
    col('on_establishment', ['在编', '是否在编'], bool),
    col('years_at_school', ['本校任教年限', '本校年限'], int, true),
    col('backbone', ['骨干级别', '骨干'], BACKBONE_KIND),
    col('title', ['职称'], TITLE_KIND),
    col('degree', ['学历'], DEGREE_KIND),
    col('rural_weak_years', ['农村薄弱校任教年限'], int),
    col('schools_worked', ['任职学校数'], int),
    col('exemption', ['暂缓原因'], EXEMPTION_KIND),
    col('volunteer', ['自愿交流', '是否自愿交流'], bool),
    col('home_lat', ['居住地纬度'], num),
    col('home_lon', ['居住地经度'], num),
    col('assessment_score', ['考核分数', '考核得分', '竞聘得分'], num),
  ],
};

export const NEEDS: TableSpec<typeof needSchema> = {
  table: 'needs', file: 'needs.csv', zhName: '学科需求', schema: needSchema,
  columns: [
    col('school_id', ['学校代码'], str, true),
    col('stage', ['学段'], STAGE_KIND, true),
    col('subject', ['学科'], SUBJECT_KIND, true),
    col('required', ['需求人数', '需求'], num, true),
  ],
};

/** posts.csv (`lungang posts`): read in place of needs.csv, `posts` being the need. */
export const POSTS: TableSpec<typeof postRowSchema> = {
  table: 'posts', file: 'posts.csv', zhName: '岗位设置', schema: postRowSchema,
  columns: [
    col('school_id', ['学校代码'], str, true),
    col('stage', ['学段'], STAGE_KIND, true),
    col('subject', ['学科'], SUBJECT_KIND, true),
    col('posts', ['岗位数', '编制数'], int, true),
    col('senior', ['高级岗位', '高级'], int),
    col('first', ['一级岗位', '一级'], int),
    col('second', ['二级岗位', '二级'], int),
    col('rule', ['依据', '分配依据'], str),
  ],
};

export const PREFERENCES: TableSpec<typeof preferenceSchema> = {
  table: 'preferences', file: 'preferences.csv', zhName: '意愿', schema: preferenceSchema,
  columns: [
    col('teacher_id', ['教师编号'], str, true),
    col('school_id', ['学校代码', '意向学校代码'], str, true),
    col('rank', ['志愿顺序', '志愿', '排序'], int, true),
  ],
};

/** Added (issue 12): applications.csv (跨校竞聘志愿), read by solver/cycle/cycle-files.ts, not by loadDataset. */
export const APPLICATIONS: TableSpec<typeof applicationSchema> = {
  table: 'applications', file: 'applications.csv', zhName: '竞聘志愿', schema: applicationSchema,
  columns: PREFERENCES.columns,
};

export const LOCKS: TableSpec<typeof lockSchema> = {
  table: 'locks', file: 'locks.csv', zhName: '人工锁定', schema: lockSchema,
  columns: [
    col('teacher_id', ['教师编号'], str, true),
    col('action', ['锁定类型', '操作'], ACTION_KIND, true),
    // Required only for `move`: the schema's discriminated union enforces it.
    { ...col('to_school_id', ['调入学校代码', '目标学校代码'], str), missingHint: ['action 为 move（调动）时必须填写调入学校', 'required when action is move'] },
    { ...col('reason', ['原因', '理由'], str, true), missingHint: ['人工锁定必须说明理由', 'a lock must say why the optimizer is overridden'] },
  ],
};

export const PLAN: TableSpec<typeof planRowSchema> = {
  table: 'plan', file: 'plan.csv', zhName: '交流方案', schema: planRowSchema,
  columns: [
    col('teacher_id', ['教师编号'], str, true),
    col('from_school_id', ['调出学校代码', '原学校代码'], str, true),
    col('to_school_id', ['调入学校代码'], str, true),
    col('mode', ['交流方式'], MODE_KIND),
    col('stage', ['任教学段'], STAGE_KIND),
    col('subject', ['任教学科'], SUBJECT_KIND),
    col('backbone', ['骨干级别'], BACKBONE_KIND),
    col('reason', ['理由', '原因'], str),
    col('fte', ['走教份额'], num),
    col('fills_subject', ['补缺学科', '兼教学科'], SUBJECT_KIND),
  ],
};

const HISTORY_MODE_KIND = enumOf(HISTORY_MODES, { ...MODE_KIND_ALIASES, deferral: ['暂缓', '暂缓交流'] });

/** history.csv (an addition to contract v1): past rotations and deferrals, solver/cycle/history.ts. */
export const HISTORY: TableSpec<typeof historyRowSchema> = {
  table: 'history', file: 'history.csv', zhName: '交流记录', schema: historyRowSchema,
  columns: [
    col('teacher_id', ['教师编号'], str, true),
    col('from_school_id', ['调出学校代码', '原学校代码'], str, true),
    col('to_school_id', ['调入学校代码'], str),
    col('mode', ['交流方式'], HISTORY_MODE_KIND, true),
    col('start_year', ['开始年份', '起始年份'], int, true),
    col('end_year', ['结束年份', '期满年份'], int),
    col('exemption', ['暂缓原因'], EXEMPTION_KIND),
  ],
};

/** The input tables, in the order errors are reported. */
export const INPUT_TABLES = [SCHOOLS, TEACHERS, NEEDS, POSTS, PREFERENCES, LOCKS, HISTORY] as const;

/** Header text → comparable key: trimmed, case-folded, full-width forms folded (`（`→`(`). */
export function headerKey(header: string): string {
  return header.normalize('NFKC').trim().toLowerCase();
}

/** Finds the column a header names, or undefined for an unknown (kept but ignored) column. */
export function columnForHeader(spec: TableSpec, header: string): ColumnSpec | undefined {
  const key = headerKey(header);
  if (!key) return undefined;
  return spec.columns.find((c) => headerKey(c.name) === key || c.aliases.some((a) => headerKey(a) === key));
}

export function columnLabel(c: ColumnSpec): string {
  return c.aliases[0] ?? c.name;
}

/** `primary（小学）、junior（初中）` — the allowed values, as a planner would type them. */
export function allowedValues(e: EnumKind): string {
  return e.values
    .map((v) => {
      const zh = Object.entries(e.aliases).find(([k, to]) => to === v && k !== v.toLowerCase() && !/^[a-z]/.test(k));
      return zh ? `${v}（${zh[0]}）` : v;
    })
    .join('、');
}

export type CellResult = { ok: true; value: unknown } | { ok: false; message: string; messageEn: string };

const TRUE = new Set(['1', 'true', '是', 'yes', 'y']);
const FALSE = new Set(['0', 'false', '否', 'no', 'n']);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One cell's text → value. `undefined` in, `undefined` out: empty means "not given", and the
 * schema decides whether that is allowed. Values are NFKC-folded first so full-width digits and
 * `；` typed on a Chinese keyboard work; strings (ids, names) are only trimmed.
 */
export function parseCell(c: ColumnSpec, text: string | undefined): CellResult {
  if (text === undefined) return { ok: true, value: undefined };
  const raw = text.trim();
  if (raw === '') return { ok: true, value: undefined };
  const shown = c.personal ? '' : `“${raw}”`;
  const shownEn = c.personal ? '' : ` "${raw}"`;
  const v = raw.normalize('NFKC').trim();
  switch (c.value.kind) {
    case 'string':
      return { ok: true, value: raw };
    case 'int':
    case 'number': {
      if (!NUMBER.test(v)) {
        return { ok: false, message: `${shown}不是数字`, messageEn: `${shownEn} is not a number`.trim() };
      }
      const n = Number(v);
      if (c.value.kind === 'int' && !Number.isInteger(n)) {
        return { ok: false, message: `${shown}不是整数`, messageEn: `${shownEn} is not a whole number`.trim() };
      }
      return { ok: true, value: n };
    }
    case 'bool': {
      const k = v.toLowerCase();
      if (TRUE.has(k)) return { ok: true, value: true };
      if (FALSE.has(k)) return { ok: true, value: false };
      return {
        ok: false,
        message: `${shown}不是有效的是/否值，可填：1/0、true/false、是/否`,
        messageEn: `${shownEn} is not a boolean; use 1/0, true/false or 是/否`.trim(),
      };
    }
    case 'enum':
      return parseEnum(c.value, v, shown, shownEn);
    case 'list': {
      const items = v.split(';').map((s) => s.trim()).filter((s) => s !== '');
      const out: string[] = [];
      for (const item of items) {
        const r = parseEnum(c.value.of, item, `“${item}”`, ` "${item}"`);
        if (!r.ok) return r;
        if (typeof r.value === 'string' && !out.includes(r.value)) out.push(r.value);
      }
      return { ok: true, value: out };
    }
  }
}

function parseEnum(e: EnumKind, v: string, shown: string, shownEn: string): CellResult {
  const hit = e.aliases[v.toLowerCase()];
  if (hit !== undefined) return { ok: true, value: hit };
  return {
    ok: false,
    message: `${shown}不是有效取值，可选：${allowedValues(e)}`,
    messageEn: `${shownEn} is not an allowed value; allowed: ${e.values.join(', ')}`.trim(),
  };
}
