// Reads a contract directory (or single files) from disk into the in-memory file list the
// solver's parser takes. Only known contract file names are read; nothing is written.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { PlanRow } from '../solver/contract/schemas.ts';
import { PLAN } from '../solver/contract/columns.ts';
import { type Dataset, loadDataset } from '../solver/contract/dataset.ts';
import type { InputError } from '../solver/contract/input-errors.ts';
import { parseTable } from '../solver/contract/parse-table.ts';
import { readCsv } from '../solver/contract/read-csv.ts';

const CONTRACT_FILES = new Set(['schools.csv', 'teachers.csv', 'needs.csv', 'posts.csv', 'preferences.csv', 'locks.csv', 'history.csv', 'policy.json']);

export interface ContractFile {
  name: string;
  content: Uint8Array;
}

/** The contract files of a directory: the CSVs and policy.json by name, and any .xlsx workbook. */
export async function readContractDir(dir: string): Promise<ContractFile[]> {
  const names = (await readdir(dir)).filter((n) => CONTRACT_FILES.has(n.toLowerCase()) || extname(n).toLowerCase() === '.xlsx');
  return Promise.all(names.sort().map(async (name) => ({ name: name.toLowerCase().endsWith('.xlsx') ? name : name.toLowerCase(), content: await readFile(join(dir, name)) })));
}

/** Loads a dataset from a directory or a single .xlsx file, with an optional policy.json override. */
export async function loadDatasetFrom(path: string, policyPath?: string): Promise<{ ok: true; dataset: Dataset } | { ok: false; errors: InputError[] }> {
  const files = (await stat(path)).isDirectory() ? await readContractDir(path) : [{ name: basename(path), content: await readFile(path) }];
  if (policyPath) {
    const rest = files.filter((f) => f.name !== 'policy.json');
    rest.push({ name: 'policy.json', content: await readFile(policyPath) });
    return loadDataset(rest);
  }
  return loadDataset(files);
}

/** plan.csv (any origin) → rows with their file line numbers, or the rows' errors. */
export function parsePlanCsv(name: string, content: Uint8Array | string): { ok: true; rows: (PlanRow & { line: number })[] } | { ok: false; errors: InputError[] } {
  const read = readCsv(name, content);
  if (!read.table) return { ok: false, errors: read.errors };
  const parsed = parseTable(PLAN, read.table, name);
  const errors = [...read.errors, ...parsed.errors];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rows: parsed.rows.map((r) => ({ ...r.value!, line: r.line })) };
}
