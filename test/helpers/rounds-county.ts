// A generated county for the rounds (issue 12): history, assessment scores and 跨校竞聘
// applications, written as the contract CSVs a planner would upload.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';

/** Writes the county into `dir` and returns its files by name. */
export function writeRoundsCounty(dir: string, teachers = 300, seed = 7): Record<string, string> {
  writeCountyCsv(dir, generateCounty({ teachers, seed, rounds: true, history: true }));
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}
