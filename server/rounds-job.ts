// The rounds of one appointment cycle (issue 12) as a task-pool job (run-job.ts 'rounds'): the
// dataset's stored files with the scenario's policy and locks and its history.csv applied, its
// applications (applications.csv or the workbook's sheet), optionally an edited rounds.csv to go
// on from, then solver/cycle/runCycle with HiGHS for round 3. Input errors come back as
// `file:line: column` rows and nothing is produced, like the CLI.
import type { Lock, Policy } from '../solver/contract/schemas.ts';
import { loadDataset } from '../solver/contract/dataset.ts';
import { type InputError, inputError } from '../solver/contract/input-errors.ts';
import { applyHistory } from '../solver/cycle/history.ts';
import { runCycle } from '../solver/cycle/cycle.ts';
import { cycleOutputs } from '../solver/cycle/cycle-outputs.ts';
import { applicationsOf, parseRoundsFile } from '../solver/cycle/cycle-files.ts';
import type { RoundNo, RoundRow } from '../solver/cycle/round-rows.ts';
import { highsEngine } from './engine.ts';

interface File { name: string; content: Uint8Array }
export interface RoundsRequest { files: File[]; policy: Policy; locks: Lock[]; stopAfter: RoundNo; from: File | null }
/** `fromRound`: the last round of the table gone on from (0: none). */
export type RoundsReply = { ok: true; files: Record<string, string>; fromRound: number } | { ok: false; errors: InputError[] };

export async function roundsTask(req: RoundsRequest): Promise<RoundsReply> {
  const loaded = await loadDataset(req.files);
  if (!loaded.ok) return loaded;
  // history.csv as `lungang rounds` applies it: its stay locks keep posts at home in round 1 and bind the go-on checks.
  const { ds, returns } = applyHistory({ ...loaded.dataset, policy: req.policy, locks: req.locks });
  const apps = await applicationsOf(ds, req.files);
  const from = req.from ? parseRoundsFile(ds, req.from.name, req.from.content) : null;
  const errors = [...(apps.ok ? [] : apps.errors), ...(from && !from.ok ? from.errors : [])];
  if (!apps.ok || (from && !from.ok)) return { ok: false, errors };
  const rows: RoundRow[] | undefined = from?.ok ? from.rows : undefined;
  const fromRound = Math.max(0, ...(rows ?? []).map((r) => r.round));
  if (req.from && req.stopAfter <= fromRound) {
    return { ok: false, errors: [inputError(req.from.name, 0, 'round', `表中已有第${fromRound}轮：请选择在第${fromRound}轮之后停止`, `the table already has round ${fromRound}: stop after a later round`)] };
  }
  const cycle = await runCycle(ds, apps.rows, highsEngine(), { ...(rows ? { from: rows } : {}), stopAfter: req.stopAfter });
  return { ok: true, files: cycleOutputs(cycle, returns), fromRound };
}
