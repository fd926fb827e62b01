// A generated county for the rounds (issue 12): history, assessment scores and 跨校竞聘
// applications, written as the contract CSVs a planner would upload.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { loadDataset } from '../../solver/contract/dataset.ts';
import { assessEligibility } from '../../solver/policy/eligibility.ts';

/** Writes the county into `dir` and returns its files by name. */
export function writeRoundsCounty(dir: string, teachers = 300, seed = 7): Record<string, string> {
  writeCountyCsv(dir, generateCounty({ teachers, seed, rounds: true, history: true }));
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

export interface Planted { id: string; home: string; other: string; returning: string }

/**
 * Plants on top of the generator's clean history (changing `files['history.csv']`): an eligible
 * teacher moved out in 2024 and straight back in 2025 (a paper rotation the history checks must
 * find), and another on a 2024–2026 支教 term, who returns home in the plan year 2026.
 */
export async function plantHistory(files: Record<string, string>): Promise<Planted> {
  const loaded = await loadDataset(Object.entries(files).map(([name, content]) => ({ name, content })));
  if (!loaded.ok) throw new Error('the generated county does not load');
  const { teachers, history, policy } = loaded.dataset;
  const inHistory = new Set((history ?? []).map((r) => r.teacher_id));
  const [t, u] = teachers.filter((x) => !inHistory.has(x.id) && assessEligibility(x, policy).eligible);
  const other = teachers.find((x) => x.school_id !== t!.school_id)!.school_id;
  const away = teachers.find((x) => x.school_id !== u!.school_id)!.school_id;
  files['history.csv'] = `${files['history.csv']!.trimEnd()}\n${[
    `${t!.id},${t!.school_id},${other},transfer,2024,,`, `${t!.id},${other},${t!.school_id},transfer,2025,,`, `${u!.id},${u!.school_id},${away},support,2024,2026,`,
  ].join('\n')}\n`;
  return { id: t!.id, home: t!.school_id, other, returning: u!.id };
}

/** The county as one workbook: a sheet per contract table, and `applications` (a CSV's text) on a sheet named 竞聘志愿. */
export async function roundsWorkbook(files: Record<string, string>, applications = files['applications.csv']!): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  for (const table of ['schools', 'teachers', 'preferences', 'locks', 'history']) wb.addWorksheet(table).addRows(parse(files[`${table}.csv`]!, { bom: true }) as string[][]);
  wb.addWorksheet('竞聘志愿').addRows(parse(applications, { bom: true }) as string[][]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
