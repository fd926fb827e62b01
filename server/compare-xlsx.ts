// The comparison as one XLSX workbook, in Chinese, for the bureau's own papers: 比较概览 (every
// figure before rotation and per run: its own requirement, the value, the change against no
// rotation), 假设对比 (the parameters and locks that differ), 学校对比 (each school's staff per
// run), 学校指标 (each school and stage against the per-100 thresholds, per run) and 规则检查.
// Numbers are written as numbers (shares with a % format), so they can be re-computed in Excel.
// Built in the task worker (exceljs is CPU-bound).
import ExcelJS from 'exceljs';
import { STAGE_ZH } from '../solver/contract/labels.ts';
import { policyLabel, policyValueText } from '../web/src/policy-fields.ts';
import type { Comparison } from './compare.ts';

const INDICATOR_ZH: Record<string, string> = { aboveDegree: '高于规定学历教师', backbone: '县级以上骨干教师', peArt: '体育艺术专任教师', all: '三项全部达标' };
const PLAN_STATUS_ZH: Record<string, string> = { optimal: '最优', feasible: '可行（未证最优）', infeasible: '无可行方案' };
const PER100: Record<string, 'above_degree' | 'backbone' | 'pe_art'> = { aboveDegree: 'above_degree', backbone: 'backbone', peArt: 'pe_art' };

type Value = string | number | null;
/** One figure: its value before rotation, and per run the requirement, the value and the change. */
interface Figure { label: string; format?: string; before: Value; runs: { required: string; value: Value; delta: Value }[] }

const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? '—' : v ? '是' : '否');
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const round = (x: number | null, digits: number) => (x === null ? null : Number(x.toFixed(digits)));
const diff = (a: number | null, b: number | null, digits = 4) => (a === null || b === null ? null : round(a - b, digits));

function sheet(wb: ExcelJS.Workbook, name: string, columns: [string, number][], rows: Value[][]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  ws.addRows(rows);
  return ws;
}

function figures(c: Comparison): Figure[] {
  const runs = c.runs;
  const out: Figure[] = [];
  const add = (label: string, before: Value, value: (r: Comparison['runs'][number]) => { required?: string; value: Value; delta?: Value }, format?: string) =>
    out.push({ label, before, format, runs: runs.map((r) => { const v = value(r); return { required: v.required ?? '', value: v.value, delta: v.delta ?? null }; }) });
  add('方案状态', null, (r) => ({ value: PLAN_STATUS_ZH[r.plan_status] ?? r.plan_status }));
  add('规则审核', null, (r) => ({ required: '全部通过', value: r.audit_ok ? '通过' : '未通过' }));
  add('符合交流条件教师', runs[0]?.eligible ?? null, (r) => ({ value: r.eligible }));
  add('交流人数', 0, (r) => ({ required: `${r.requirements.min_rotated}–${r.requirements.max_rotated} 人`, value: r.rotated, delta: r.rotated }));
  add('交流比例（占符合条件）', 0, (r) => ({
    required: `≥ ${pct(r.requirements.min_rotated_share)}${r.requirements.max_rotated_share === null ? '（上限空 = 最低人数）' : `，≤ ${pct(r.requirements.max_rotated_share)}`}`,
    value: r.rotation_rate, delta: r.rotation_rate,
  }), '0.0%');
  add('交流骨干教师', 0, (r) => ({ value: r.backbone_rotated, delta: r.backbone_rotated }));
  add('骨干占交流人数', null, (r) => ({ required: `≥ ${pct(r.requirements.min_backbone_share)}`, value: r.backbone_share }), '0.0%');
  add('流向乡村/薄弱学校', 0, (r) => ({ value: r.toward_rural_or_weak, delta: r.toward_rural_or_weak }));
  add('学科缺口（人）', runs[0]?.needs.shortfall_before ?? null, (r) => ({ value: r.needs.shortfall_after, delta: round(r.needs.shortfall_after - r.needs.shortfall_before, 2) }));
  add('交流教师通勤合计（公里）', null, (r) => ({ value: r.commute.total_km_after, delta: round(r.commute.total_km_after - r.commute.total_km_before, 1) }));
  const counties = new Set(c.cv.map((x) => x.county));
  for (const x of c.cv) {
    const label = `${counties.size > 1 ? `${x.county} · ` : ''}${STAGE_ZH[x.stage]}${INDICATOR_ZH[x.indicator]}差异系数`;
    const first = x.runs.find((v) => v !== null);
    out.push({
      label, format: '0.000', before: round(first?.before ?? null, 4),
      runs: x.runs.map((v) => (v ? { required: `≤ ${v.max.toFixed(2)}`, value: round(v.after, 4), delta: diff(v.after, v.before) } : { required: '', value: null, delta: null })),
    });
    if (x.runs.some((v) => v?.share_of_achievable !== null && v?.share_of_achievable !== undefined)) {
      out.push({
        label: `${label}：达到可实现降幅`, format: '0%', before: null,
        runs: x.runs.map((v) => ({ required: v?.best_achievable === null || v?.best_achievable === undefined ? '' : `最低可达 ${v.best_achievable.toFixed(3)}`, value: v?.share_of_achievable ?? null, delta: null })),
      });
    }
  }
  for (const t of c.thresholds) {
    const first = t.runs.find((v) => v !== null);
    out.push({
      label: `${STAGE_ZH[t.stage]}达标学校：${INDICATOR_ZH[t.indicator]}（共 ${first?.schools ?? '—'} 所）`, before: first?.before ?? null,
      runs: t.runs.map((v) => (v ? { required: v.min === null ? '三项同时达标' : `≥ ${v.min} 人/百生`, value: v.after, delta: v.after - v.before } : { required: '', value: null, delta: null })),
    });
  }
  return out;
}

function overview(wb: ExcelJS.Workbook, c: Comparison): void {
  const head = (r: Comparison['runs'][number]) => `#${r.run_id} ${r.scenario_name}`;
  const rows = figures(c);
  const ws = sheet(wb, '比较概览', [['指标', 40], ['交流前（不交流）', 16], ...c.runs.flatMap((r): [string, number][] => [[`${head(r)} 要求`, 22], [`${head(r)} 交流后`, 16], [`${head(r)} 较交流前`, 14]])],
    [
      ['方案', '', ...c.runs.flatMap((r) => ['', head(r), ''])],
      ['备注', '', ...c.runs.flatMap((r) => ['', r.notes, ''])],
      ...rows.map((f) => [f.label, f.before, ...f.runs.flatMap((x) => [x.required, x.value, x.delta])]),
    ]);
  rows.forEach((f, i) => {
    if (!f.format) return;
    const row = ws.getRow(i + 4);
    row.getCell(2).numFmt = f.format;
    c.runs.forEach((_, j) => { row.getCell(4 + 3 * j).numFmt = f.format!; row.getCell(5 + 3 * j).numFmt = f.format!; });
  });
}

function assumptions(wb: ExcelJS.Workbook, c: Comparison, names: Names): void {
  const a = c.assumptions;
  const school = (id: string) => `${id} ${names.schools[id] ?? ''}`.trim();
  const lock = (l: Comparison['assumptions']['locks'][number]['runs'][number]) => (l === null ? '无锁定'
    : l.action === 'stay' ? `留任：${l.reason}` : `调往 ${school(l.to_school_id ?? '')}：${l.reason}`);
  const rows: Value[][] = [
    ...a.policy.map((p) => ['政策参数', policyLabel(p.path, 'zh'), ...p.values.map((v) => policyValueText(p.path, v, 'zh'))]),
    ...a.locks.map((l) => ['人工锁定', `${l.teacher_id} ${names.teachers[l.teacher_id] ?? ''}`.trim(), ...l.runs.map(lock)]),
    ...(a.baseline ? [['基准方案', '以上次结果为基准', ...a.baseline.map((b) => (b === null ? '无' : `运行 #${b}`))]] : []),
    ...(a.dataset ? [['数据集', '数据集编号', ...a.dataset.map((d) => `#${d}`)]] : []),
  ];
  sheet(wb, '假设对比', [['类别', 10], ['参数 / 教师', 36], ...c.runs.map((r): [string, number] => [`#${r.run_id} ${r.scenario_name}`, 30])],
    rows.length > 0 ? rows : [['—', '所比较运行的政策参数与锁定完全相同']]);
}

function schools(wb: ExcelJS.Workbook, c: Comparison): void {
  sheet(wb, '学校对比', [['县区', 10], ['学校代码', 10], ['学校', 24], ['编制', 8], ['交流前教师', 10],
    ...c.runs.flatMap((r): [string, number][] => [[`#${r.run_id} 调出`, 9], [`#${r.run_id} 调入`, 9], [`#${r.run_id} 交流后`, 10], [`#${r.run_id} 调出上限`, 10]])],
  c.schools.map((s) => {
    const first = s.runs.find((x) => x !== null);
    return [s.county, s.school_id, s.school_name, first?.quota ?? null, first?.teachers_before ?? null,
      ...s.runs.flatMap((x) => (x ? [x.outflow, x.inflow, x.teachers_after, x.outflow_cap] : [null, null, null, null]))];
  }));
}

function schoolIndicators(wb: ExcelJS.Workbook, c: Comparison): void {
  const rows: Value[][] = [];
  for (const s of c.school_stages) {
    if (s.students <= 0) continue;
    for (const ind of ['aboveDegree', 'backbone', 'peArt'] as const) {
      const k = PER100[ind]!;
      const first = s.runs.find((x) => x !== null);
      const min = c.thresholds.find((t) => t.stage === s.stage && t.indicator === ind)?.runs.find((v) => v !== null)?.min ?? null;
      rows.push([s.county, s.school_id, s.school_name, STAGE_ZH[s.stage], s.students, INDICATOR_ZH[ind]!, min,
        round(first?.before[`${k}_per100`] ?? null, 3), yesNo(first?.before[`${k}_ok`]),
        ...s.runs.flatMap((x) => [round(x?.after[`${k}_per100`] ?? null, 3), yesNo(x?.after[`${k}_ok`])])]);
    }
  }
  sheet(wb, '学校指标', [['县区', 10], ['学校代码', 10], ['学校', 24], ['学段', 6], ['学生数', 8], ['指标（每百名学生）', 18], ['标准', 6], ['交流前', 8], ['交流前达标', 10],
    ...c.runs.flatMap((r): [string, number][] => [[`#${r.run_id} 交流后`, 10], [`#${r.run_id} 达标`, 8]])], rows);
}

function rules(wb: ExcelJS.Workbook, c: Comparison): void {
  sheet(wb, '规则检查', [['县区', 10], ['规则', 44], ...c.runs.flatMap((r): [string, number][] => [[`#${r.run_id} 要求`, 22], [`#${r.run_id} 实际`, 18], [`#${r.run_id} 满足`, 8]])],
    c.rules.map((r) => [r.county ?? '（全部）', r.name, ...r.runs.flatMap((x) => (x ? [x.required, x.actual, yesNo(x.ok)] : ['', '', '—']))]));
}

/** School names, and the names of locked teachers (masked for roles that see masked names). */
export interface Names { schools: Record<string, string>; teachers: Record<string, string> }

export async function buildComparisonWorkbook(c: Comparison, names: Names): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lungang 轮岗';
  wb.title = `方案比较：${c.runs.map((r) => `#${r.run_id}`).join('、')}`;
  overview(wb, c);
  assumptions(wb, c, names);
  schools(wb, c);
  schoolIndicators(wb, c);
  rules(wb, c);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
