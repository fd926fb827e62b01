// One XLSX workbook per run for leaders and planners who live in Excel: the plan, the rule
// checks, the school indicators before/after and the 差异系数, with Chinese sheet and column
// names. Built in the task worker (jobs.ts): exceljs is CPU-bound and must not stall requests.
// Teacher names arrive already masked for the auditor role.
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { STAGES, type PlanRow } from '../solver/contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../solver/contract/labels.ts';

const MODE_ZH: Record<string, string> = { transfer: '调动', support: '支教', itinerant: '走教' };
const BACKBONE_ZH: Record<string, string> = { none: '非骨干', county: '县级', city: '市级', province: '省级', national: '国家级' };
const INDICATOR_ZH: Record<string, string> = { aboveDegree: '高于规定学历教师', backbone: '县级以上骨干教师', peArt: '体育、艺术专任教师' };

// Only the parts of report.json the workbook shows; parsing (not casting) the stored JSON means a
// report of another shape fails loudly here instead of producing a silently wrong sheet.
export const sideSchema = z.object({
  teachers: z.number(), above_degree_per100: z.number().nullable(), backbone_per100: z.number().nullable(), pe_art_per100: z.number().nullable(),
  above_degree_ok: z.boolean().nullable(), backbone_ok: z.boolean().nullable(), pe_art_ok: z.boolean().nullable(),
});
const cvSideSchema = z.object({ cv: z.number().nullable(), ok: z.boolean().nullable(), mean_per100: z.number() });
export const workbookReportSchema = z.object({
  status: z.string(),
  rules: z.array(z.object({
    id: z.string(), county: z.string().nullable(), name: z.string(), clause: z.string(), required: z.string(), actual: z.string(), ok: z.boolean(),
  })),
  indicators: z.object({
    schools: z.array(z.object({
      county: z.string(), school_id: z.string(), school_name: z.string().optional(), stage: z.enum(STAGES), students: z.number(),
      in_cv_scope: z.boolean(), before: sideSchema, after: sideSchema,
    })),
    cv: z.array(z.object({
      county: z.string(), stage: z.enum(STAGES), indicator: z.string(), max: z.number(), schools: z.number(), students: z.number(),
      before: cvSideSchema, after: cvSideSchema,
      // Present once the run's best-achievable job is done (bounds.ts).
      best_achievable: z.number().nullable().optional(),
      share_of_achievable: z.number().nullable().optional(),
      best_achievable_note: z.string().nullable().optional(),
    })),
  }),
});
export type WorkbookReport = z.infer<typeof workbookReportSchema>;

export interface WorkbookInput {
  runId: number;
  scenarioName: string;
  rows: PlanRow[];
  report: WorkbookReport;
  teacherNames: Record<string, string>;
  schoolNames: Record<string, string>;
}

const yesNo = (v: boolean | null) => (v === null ? '—' : v ? '是' : '否');
const num = (v: number | null, digits = 2) => (v === null ? null : Number(v.toFixed(digits)));

function addSheet(wb: ExcelJS.Workbook, name: string, columns: [string, number][], rows: (string | number | null)[][]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  ws.addRows(rows);
}

export async function buildWorkbook(input: WorkbookInput): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lungang 轮岗';
  wb.title = `运行 ${input.runId}：${input.scenarioName}`;
  const school = (id: string) => input.schoolNames[id] ?? '';

  addSheet(wb, '交流方案', [
    ['教师编号', 12], ['姓名', 10], ['调出学校代码', 12], ['调出学校', 24], ['调入学校代码', 12], ['调入学校', 24],
    ['交流方式', 10], ['学段', 8], ['学科', 12], ['骨干级别', 10], ['理由', 60],
  ], input.rows.map((r) => [
    r.teacher_id, input.teacherNames[r.teacher_id] ?? '', r.from_school_id, school(r.from_school_id), r.to_school_id, school(r.to_school_id),
    MODE_ZH[r.mode] ?? r.mode, r.stage ? STAGE_ZH[r.stage] : '', r.subject ? SUBJECT_ZH[r.subject] : '',
    r.backbone ? (BACKBONE_ZH[r.backbone] ?? r.backbone) : '', r.reason,
  ]));

  addSheet(wb, '规则检查', [['县区', 12], ['规则编号', 22], ['规则', 50], ['依据', 50], ['要求', 24], ['实际', 24], ['是否满足', 10]],
    input.report.rules.map((r) => [r.county ?? '（全部）', r.id, r.name, r.clause, r.required, r.actual, yesNo(r.ok)]));

  addSheet(wb, '学校指标', [
    ['县区', 12], ['学校代码', 12], ['学校名称', 24], ['学段', 8], ['在校生数', 10], ['纳入差异系数', 12],
    ['教师数（前）', 12], ['教师数（后）', 12],
    ['每百名学生高于规定学历教师（前）', 16], ['每百名学生高于规定学历教师（后）', 16],
    ['每百名学生骨干教师（前）', 14], ['每百名学生骨干教师（后）', 14],
    ['每百名学生体育艺术教师（前）', 14], ['每百名学生体育艺术教师（后）', 14],
    ['三项均达标（前）', 12], ['三项均达标（后）', 12],
  ], input.report.indicators.schools.map((s) => {
    const all = (x: z.infer<typeof sideSchema>) =>
      s.students > 0 ? yesNo(x.above_degree_ok === true && x.backbone_ok === true && x.pe_art_ok === true) : '—';
    return [
      s.county, s.school_id, s.school_name ?? school(s.school_id), STAGE_ZH[s.stage], s.students, yesNo(s.in_cv_scope),
      s.before.teachers, s.after.teachers,
      num(s.before.above_degree_per100), num(s.after.above_degree_per100),
      num(s.before.backbone_per100), num(s.after.backbone_per100),
      num(s.before.pe_art_per100), num(s.after.pe_art_per100),
      all(s.before), all(s.after),
    ];
  }));

  addSheet(wb, '差异系数', [
    ['县区', 12], ['学段', 8], ['指标', 20], ['上限', 8], ['学校数', 8], ['学生数', 10],
    ['县域每百名学生（前）', 14], ['县域每百名学生（后）', 14], ['差异系数（前）', 12], ['差异系数（后）', 12], ['达标（前）', 10], ['达标（后）', 10],
    ['可实现最低差异系数', 14], ['达到可实现降幅', 14], ['说明', 36],
  ], input.report.indicators.cv.map((c) => [
    c.county, STAGE_ZH[c.stage], INDICATOR_ZH[c.indicator] ?? c.indicator, c.max, c.schools, c.students,
    num(c.before.mean_per100), num(c.after.mean_per100), num(c.before.cv, 4), num(c.after.cv, 4), yesNo(c.before.ok), yesNo(c.after.ok),
    num(c.best_achievable ?? null, 4), c.share_of_achievable == null ? null : `${Math.round(100 * c.share_of_achievable)}%`, c.best_achievable_note ?? null,
  ]));

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
