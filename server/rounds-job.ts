// The rounds of one appointment cycle (issue 12) as a task-pool job (run-job.ts 'rounds'): the
// dataset's stored files with the scenario's policy and locks, its applications.csv, optionally
// an edited rounds.csv to go on from, then solver/cycle/runCycle with HiGHS for round 3. Input
// errors come back as `file:line: column` rows and nothing is produced, like the CLI.
import type { Lock, Policy, Application } from '../solver/contract/schemas.ts';
import { type Dataset, loadDataset } from '../solver/contract/dataset.ts';
import { type InputError, inputError } from '../solver/contract/input-errors.ts';
import { APPLICATIONS } from '../solver/contract/columns.ts';
import { runCycle } from '../solver/cycle/cycle.ts';
import { cycleOutputs } from '../solver/cycle/cycle-outputs.ts';
import { parseApplications, parseRoundsFile } from '../solver/cycle/cycle-files.ts';
import type { RoundNo, RoundRow } from '../solver/cycle/round-rows.ts';
import { highsEngine } from './engine.ts';

interface File { name: string; content: Uint8Array }
export interface RoundsRequest { files: File[]; policy: Policy; locks: Lock[]; stopAfter: RoundNo; from: File | null }
/** `fromRound`: the last round of the table gone on from (0: none). */
export type RoundsReply = { ok: true; files: Record<string, string>; fromRound: number } | { ok: false; errors: InputError[] };

/** applications.csv or 竞聘志愿.csv, as the upload stores it (server/routes/datasets.ts). */
export const isApplicationsFile = (name: string): boolean => {
  const n = name.normalize('NFKC').trim().toLowerCase();
  return n === APPLICATIONS.file || n === `${APPLICATIONS.zhName}.csv`;
};

/** The applications among a dataset's files (none: round 2 places nobody), checked against the dataset. */
export function applicationsOf(ds: Dataset, files: readonly File[]): { ok: true; rows: Application[] } | { ok: false; errors: InputError[] } {
  const file = files.find((f) => isApplicationsFile(f.name));
  return file ? parseApplications(ds, file.name, file.content) : { ok: true, rows: [] };
}

export async function roundsTask(req: RoundsRequest): Promise<RoundsReply> {
  const loaded = await loadDataset(req.files);
  if (!loaded.ok) return loaded;
  const ds: Dataset = { ...loaded.dataset, policy: req.policy, locks: req.locks };
  const apps = applicationsOf(ds, req.files);
  const from = req.from ? parseRoundsFile(ds, req.from.name, req.from.content) : null;
  const errors = [...(apps.ok ? [] : apps.errors), ...(from && !from.ok ? from.errors : [])];
  if (!apps.ok || (from && !from.ok)) return { ok: false, errors };
  const rows: RoundRow[] | undefined = from?.ok ? from.rows : undefined;
  const fromRound = Math.max(0, ...(rows ?? []).map((r) => r.round));
  if (req.from && req.stopAfter <= fromRound) {
    return { ok: false, errors: [inputError(req.from.name, 0, 'round', `表中已有第${fromRound}轮：请选择在第${fromRound}轮之后停止`, `the table already has round ${fromRound}: stop after a later round`)] };
  }
  const cycle = await runCycle(ds, apps.rows, highsEngine(), { ...(rows ? { from: rows } : {}), stopAfter: req.stopAfter });
  return { ok: true, files: cycleOutputs(cycle), fromRound };
}
