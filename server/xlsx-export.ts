// One XLSX workbook per audit — a run's or a hand-made plan's — for leaders, planners and
// auditors who live in Excel: the plan (always with 走教份额 and 补缺学科, plan.csv's fte and
// fills_subject, empty on rows without them so the columns never shift), the auditor's sheets
// (xlsx-audit.ts), with a history.csv the returns and history checks, the school indicators
// before/after and the 差异系数; Chinese sheet and column names, or English on request. Built in
// the task worker (task-pool.ts): exceljs is CPU-bound and must not stall requests. Teacher names
// arrive already masked for the auditor role.
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { PlanRow, Subject } from '../solver/contract/schemas.ts';
import { MODE_LABELS, SUBJECT_ZH } from '../solver/contract/labels.ts';
import type { AuditDocument } from './audit-document.ts';
import { type AddSheet, type Lang, auditSheets } from './xlsx-audit.ts';

const STAGE: Record<string, [string, string]> = { primary: ['小学', 'primary'], junior: ['初中', 'junior'] };
const BACKBONE: Record<string, [string, string]> = { none: ['非骨干', 'none'], county: ['县级', 'county'], city: ['市级', 'city'], province: ['省级', 'province'], national: ['国家级', 'national'] };
const INDICATOR: Record<string, [string, string]> = { aboveDegree: ['高于规定学历教师', 'above-degree teachers'], backbone: ['县级以上骨干教师', 'backbone teachers'], peArt: ['体育、艺术专任教师', 'PE & art teachers'] };

// One side (before/after) of a school's indicator row as report.json stores it; the comparison
// parses stored reports with it too (compare-schools.ts).
export const sideSchema = z.object({
  teachers: z.number(), above_degree_per100: z.number().nullable(), backbone_per100: z.number().nullable(), pe_art_per100: z.number().nullable(),
  above_degree_ok: z.boolean().nullable(), backbone_ok: z.boolean().nullable(), pe_art_ok: z.boolean().nullable(),
});
/** A CV row, with the best-achievable columns a run has once its bounds job is done (bounds.ts). */
type CvRow = AuditDocument['indicators']['cv'][number] & {
  best_achievable?: number | null; share_of_achievable?: number | null; best_achievable_note?: string | null;
};

export interface WorkbookInput {
  doc: AuditDocument;
  rows: PlanRow[];
  teacherNames: Record<string, string>;
  schoolNames: Record<string, string>;
  lang: Lang;
}

const num = (v: number | null, digits = 2) => (v === null ? null : Number(v.toFixed(digits)));
type Side = z.infer<typeof sideSchema>;

export async function buildWorkbook(input: WorkbookInput): Promise<Uint8Array> {
  const { doc, lang } = input;
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const yesNo = (v: boolean | null) => (v === null ? '—' : v ? t('是', 'yes') : t('否', 'no'));
  const label = (map: Record<string, [string, string]>, code: string) => (map[code] ? t(map[code][0], map[code][1]) : code);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lungang 轮岗';
  wb.title = doc.trace.subject === 'run' ? t(`运行 ${doc.trace.run_id}：${doc.trace.scenario_name ?? ''}`, `Run ${doc.trace.run_id}: ${doc.trace.scenario_name ?? ''}`)
    : t(`手工方案审核：${doc.trace.plan_file}`, `Audit of a hand-made plan: ${doc.trace.plan_file}`);
  const school = (id: string) => input.schoolNames[id] ?? '';
  const subject = (code: Subject | undefined) => (code ? (lang === 'zh' ? SUBJECT_ZH[code] : code) : '');
  const add: AddSheet = (name, columns, rows) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    ws.addRows(rows);
    return ws;
  };

  add(t('交流方案', 'Plan'), [
    [t('教师编号', 'Teacher id'), 12], [t('姓名', 'Name'), 10], [t('调出学校代码', 'From id'), 12], [t('调出学校', 'From'), 24], [t('调入学校代码', 'To id'), 12], [t('调入学校', 'To'), 24],
    [t('交流方式', 'Kind'), 10], [t('走教份额', 'Itinerant share (fte)'), 10], [t('学段', 'Stage'), 8], [t('学科', 'Subject'), 12], [t('补缺学科', 'Fills subject'), 12],
    [t('骨干级别', 'Backbone'), 10], [t('理由', 'Reason'), 60],
  ], input.rows.map((r) => [
    r.teacher_id, input.teacherNames[r.teacher_id] ?? '', r.from_school_id, school(r.from_school_id), r.to_school_id, school(r.to_school_id),
    t(...MODE_LABELS[r.mode]), r.fte ?? null, r.stage ? label(STAGE, r.stage) : '', subject(r.subject), subject(r.fills_subject),
    r.backbone ? label(BACKBONE, r.backbone) : '', r.reason,
  ]));

  auditSheets(doc, lang, add);

  // With a history.csv only: the returns (a run's) and the history checks, one row per finding. By
  // teacher id: the names looked up (workbookNames) are the plan's teachers'.
  if (doc.returns) {
    add(t('期满返回', 'Returns'), [
      [t('教师编号', 'Teacher id'), 12], [t('任教学校代码', 'Host id'), 12], [t('任教学校', 'Host'), 24], [t('原学校代码', 'Home id'), 12], [t('原学校', 'Home'), 24],
      [t('交流方式', 'Kind'), 10], [t('开始学年', 'Start year'), 10], [t('期满学年', 'End year'), 10], [t('原因', 'Reason'), 40],
    ], doc.returns.map((r) => [
      r.teacher_id, r.from_school_id, school(r.from_school_id), r.to_school_id, school(r.to_school_id),
      t(...MODE_LABELS[r.mode]), r.start_year, r.end_year, t(r.reason, `${MODE_LABELS[r.mode][1]} term ${r.start_year}–${r.end_year} ended: back to the home school`),
    ]));
  }
  if (doc.history_checks) {
    add(t('交流记录核查', 'History checks'), [
      [t('核查', 'Check'), 18], [t('名称', 'Name'), 28], [t('结果', 'Result'), 10], [t('教师编号', 'Teacher id'), 12], [t('年份与经过', 'Years and what happened'), 50], [t('依据', 'Clause'), 60],
    ], doc.history_checks.flatMap((c) => {
      const head = [c.id, t(c.name, c.name_en), c.ok ? t('未发现', 'none found') : t(`${c.teachers.length} 项`, `${c.teachers.length} found`)];
      const clause = t(c.clause, c.clause_en);
      return c.ok ? [[...head, '', '', clause]] : c.teachers.map((f) => [...head, f.teacher_id, t(f.detail, f.detail_en), clause]);
    }));
  }

  add(t('学校指标', 'School indicators'), [
    [t('县区', 'County'), 12], [t('学校代码', 'School id'), 12], [t('学校名称', 'School'), 24], [t('学段', 'Stage'), 8], [t('在校生数', 'Students'), 10], [t('纳入差异系数', 'In the CV'), 12],
    [t('教师数（前）', 'Teachers (before)'), 12], [t('教师数（后）', 'Teachers (after)'), 12],
    [t('每百名学生高于规定学历教师（前）', 'Above-degree per 100 (before)'), 16], [t('每百名学生高于规定学历教师（后）', 'Above-degree per 100 (after)'), 16],
    [t('每百名学生骨干教师（前）', 'Backbone per 100 (before)'), 14], [t('每百名学生骨干教师（后）', 'Backbone per 100 (after)'), 14],
    [t('每百名学生体育艺术教师（前）', 'PE & art per 100 (before)'), 14], [t('每百名学生体育艺术教师（后）', 'PE & art per 100 (after)'), 14],
    [t('三项均达标（前）', 'All three met (before)'), 12], [t('三项均达标（后）', 'All three met (after)'), 12],
  ], doc.indicators.schools.map((s) => {
    const all = (x: Side) => (s.students > 0 ? yesNo(x.above_degree_ok === true && x.backbone_ok === true && x.pe_art_ok === true) : '—');
    return [
      s.county, s.school_id, s.school_name ?? school(s.school_id), label(STAGE, s.stage), s.students, yesNo(s.in_cv_scope),
      s.before.teachers, s.after.teachers,
      num(s.before.above_degree_per100), num(s.after.above_degree_per100),
      num(s.before.backbone_per100), num(s.after.backbone_per100),
      num(s.before.pe_art_per100), num(s.after.pe_art_per100),
      all(s.before), all(s.after),
    ];
  }));

  const cvRows: CvRow[] = doc.indicators.cv;
  add(t('差异系数', 'CV'), [
    [t('县区', 'County'), 12], [t('学段', 'Stage'), 8], [t('指标', 'Indicator'), 20], [t('上限', 'Limit'), 8], [t('学校数', 'Schools'), 8], [t('学生数', 'Students'), 10],
    [t('县域每百名学生（前）', 'County per 100 (before)'), 14], [t('县域每百名学生（后）', 'County per 100 (after)'), 14], [t('差异系数（前）', 'CV (before)'), 12], [t('差异系数（后）', 'CV (after)'), 12],
    [t('达标（前）', 'Met (before)'), 10], [t('达标（后）', 'Met (after)'), 10],
    [t('可实现最低差异系数', 'Best achievable CV'), 14], [t('达到可实现降幅', 'Share of the achievable reduction'), 14], [t('说明', 'Note'), 36],
  ], cvRows.map((c) => [
    c.county, label(STAGE, c.stage), label(INDICATOR, c.indicator), c.max, c.schools, c.students,
    num(c.before.mean_per100), num(c.after.mean_per100), num(c.before.cv, 4), num(c.after.cv, 4), yesNo(c.before.ok), yesNo(c.after.ok),
    num(c.best_achievable ?? null, 4), c.share_of_achievable == null ? null : `${Math.round(100 * c.share_of_achievable)}%`, c.best_achievable_note ?? null,
  ]));

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
