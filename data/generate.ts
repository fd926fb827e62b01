// Synthetic county data for Lungang: a seeded, deterministic generator of the input tables of
// data-contract.md (schools, teachers, preferences, locks) at the scales of domain.md §d.
//
//   npm run gen -- --profile medium --seed 1 --out data/sample-county
//   npm run gen -- --teachers 300 --seed 7 --out data/small-county
//   npm run gen -- --counties 4 --teachers 3000 --seed 3 --out /tmp/city
//   npm run gen -- --teachers 300 --seed 7 --rounds --out /tmp/rounds   (+ scores, applications.csv)
//   npm run gen -- --teachers 300 --seed 7 --history 1 --out /tmp/with-history   (adds history.csv)
//
// Same options → byte-identical files. Randomness: data/random.ts (mulberry32, documented there).
// Layers: data/generate-schools.ts (shape, map, enrolment, quota, staff per stage),
// data/generate-teachers.ts (teacher attributes), data/generate-choices.ts (preferences, locks).
// All personal data is fake: names are drawn from surname and given-name character lists.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { type Application, defaultPolicy, type HistoryRow, type Lock, type Preference, type School, type Stage, type Teacher } from '../solver/contract/schemas.ts';
import { buildLocks, buildPreferences } from './generate-choices.ts';
import { buildHistory } from './generate-history.ts';
import { buildApplications, withScores } from './generate-rounds.ts';
import { assessEligibility } from '../solver/policy/eligibility.ts';
import { cvTable, schoolIndicators } from '../solver/policy/indicators.ts';
import { countyName as makeCountyName } from './generate-names.ts';
import { buildSchools, shapeFor, type Profile } from './generate-schools.ts';
import { buildTeachers } from './generate-teachers.ts';
import { Rng, derive } from './random.ts';

export type { Profile } from './generate-schools.ts';

export interface CountyTables {
  schools: School[];
  teachers: Teacher[];
  preferences: Preference[];
  locks: Lock[];
  /** With `rounds`: applications.csv of 跨校竞聘 (the teachers then carry assessment_score). */
  applications?: Application[];
  /** Only when asked for (`history: true`): a clean past, data/generate-history.ts. */
  history?: HistoryRow[];
}

export interface CountyOptions {
  /** Shape from domain.md §d (default medium). Ignored when `teachers` is given. */
  profile?: Profile;
  /** Scale the medium shape to about this many teachers. */
  teachers?: number;
  seed: number;
  countyName?: string;
  /** Prepended to every school and teacher id (S001 → <prefix>S001). */
  idPrefix?: string;
  /** Plan year: ages and birth years are relative to it (default 2026). */
  year?: number;
  /** Centre of the county's 60×60 km box (default: somewhere in central China, from the seed). */
  center?: { lat: number; lon: number };
  /** Also assessment scores and cross-school applications, for `lungang rounds` (issue 12). */
  rounds?: boolean;
  /** Also a history.csv (past transfers, 支教 terms, deferrals); the other tables stay the same. */
  history?: boolean;
}

export const DEFAULT_YEAR = 2026;

/** One county. Deterministic in its options. */
export function generateCounty(opts: CountyOptions): CountyTables {
  const year = opts.year ?? DEFAULT_YEAR;
  const prefix = opts.idPrefix ?? '';
  const county = opts.countyName ?? makeCountyName(opts.seed, 0);
  const shape = shapeFor(opts.profile ?? 'medium', opts.teachers, new Rng(derive(opts.seed, 'shape')));
  const where = new Rng(derive(opts.seed, 'center'));
  const center = opts.center ?? { lat: 26 + where.uniform(0, 6), lon: 106 + where.uniform(0, 8) };
  const { drafts, map } = buildSchools(shape, new Rng(derive(opts.seed, 'schools', county)), county, prefix, center);
  const teachers = buildTeachers(drafts, map, new Rng(derive(opts.seed, 'teachers', county)), year, prefix);
  const schools = drafts.map((d) => d.school);
  const preferences = buildPreferences(schools, teachers, new Rng(derive(opts.seed, 'preferences', county)), year);
  const locks = buildLocks(drafts, teachers, new Rng(derive(opts.seed, 'locks', county)), year);
  const history = opts.history ? { history: buildHistory(schools, teachers, new Rng(derive(opts.seed, 'history', county)), year) } : {};
  if (!opts.rounds) return { schools, teachers, preferences, locks, ...history };
  const scored = withScores(teachers, new Rng(derive(opts.seed, 'scores', county)));
  return { schools, teachers: scored, preferences, locks, ...history, applications: buildApplications(schools, scored, new Rng(derive(opts.seed, 'applications', county)), year) };
}

/**
 * A prefecture-level city: `counties` counties side by side (each ~60×60 km), each shaped like
 * a medium county scaled to `teachersPerCounty`. Ids are prefixed `C01-`, `C02-`, … so they are
 * unique across counties; school.county names the county.
 */
export function generateCity(opts: { counties: number; teachersPerCounty: number; seed: number; year?: number }): CountyTables {
  const out: CountyTables = { schools: [], teachers: [], preferences: [], locks: [] };
  const cols = Math.ceil(Math.sqrt(opts.counties));
  const where = new Rng(derive(opts.seed, 'city'));
  const origin = { lat: 26 + where.uniform(0, 4), lon: 106 + where.uniform(0, 6) };
  const width = Math.max(2, String(opts.counties).length);
  for (let k = 0; k < opts.counties; k++) {
    const lat = origin.lat + Math.floor(k / cols) * 0.6;
    const t = generateCounty({
      teachers: opts.teachersPerCounty, seed: derive(opts.seed, 'county', k), year: opts.year,
      countyName: makeCountyName(opts.seed, k), idPrefix: `C${String(k + 1).padStart(width, '0')}-`,
      center: { lat, lon: origin.lon + (k % cols) * (0.62 / Math.cos((lat * Math.PI) / 180)) },
    });
    out.schools.push(...t.schools);
    out.teachers.push(...t.teachers);
    out.preferences.push(...t.preferences);
    out.locks.push(...t.locks);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV output (data-contract.md column names, in contract order).

export const SCHOOL_COLUMNS = [
  'id', 'name', 'stage', 'locale', 'weak', 'teaching_point', 'parent_id', 'cluster', 'county', 'lat', 'lon',
  'students_primary', 'students_junior', 'classes_primary', 'classes_junior', 'quota',
] as const satisfies readonly (keyof School)[];
export const TEACHER_COLUMNS = [
  'id', 'name', 'school_id', 'stage', 'subject', 'extra_subjects', 'gender', 'birth_year', 'role',
  'on_establishment', 'years_at_school', 'backbone', 'title', 'degree', 'rural_weak_years', 'schools_worked',
  'exemption', 'volunteer', 'home_lat', 'home_lon',
] as const satisfies readonly (keyof Teacher)[];
export const PREFERENCE_COLUMNS = ['teacher_id', 'school_id', 'rank'] as const satisfies readonly (keyof Preference)[];
export const LOCK_COLUMNS = ['teacher_id', 'action', 'to_school_id', 'reason'] as const;
export const HISTORY_COLUMNS = ['teacher_id', 'from_school_id', 'to_school_id', 'mode', 'start_year', 'end_year', 'exemption'] as const satisfies readonly (keyof HistoryRow)[];

/** Cell text: booleans 1/0, lists `;`-joined, missing values empty. */
function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v)) return v.map(String).join(';');
  return String(v);
}

function toCsv<R extends object>(rows: readonly R[], columns: readonly string[]): string {
  const records = rows.map((r) => {
    const rec = new Map<string, unknown>(Object.entries(r));
    return columns.map((c) => cell(rec.get(c)));
  });
  return stringify([columns.slice(), ...records], { record_delimiter: '\n' });
}

/** Writes schools.csv, teachers.csv, preferences.csv, locks.csv, policy.json (and applications.csv, history.csv when generated) into `dir`. */
export function writeCountyCsv(dir: string, tables: CountyTables, year: number = DEFAULT_YEAR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schools.csv'), toCsv(tables.schools, SCHOOL_COLUMNS));
  writeFileSync(join(dir, 'teachers.csv'), toCsv(tables.teachers, TEACHER_COLUMNS));
  writeFileSync(join(dir, 'preferences.csv'), toCsv(tables.preferences, PREFERENCE_COLUMNS));
  writeFileSync(join(dir, 'locks.csv'), toCsv(tables.locks, LOCK_COLUMNS));
  if (tables.applications) {
    // The score column only with --rounds: counties without it keep their files unchanged.
    writeFileSync(join(dir, 'teachers.csv'), toCsv(tables.teachers, [...TEACHER_COLUMNS, 'assessment_score']));
    writeFileSync(join(dir, 'applications.csv'), toCsv(tables.applications, PREFERENCE_COLUMNS));
  }
  if (tables.history) writeFileSync(join(dir, 'history.csv'), toCsv(tables.history, HISTORY_COLUMNS));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ year }, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Summary (printed by the CLI; handy for checking a data set at a glance).

/** Student-weighted CV (domain.md §C3) of backbone teachers per 100 students, by the stage they teach. */
export function backboneCv(tables: CountyTables, stage: Stage): number {
  const policy = defaultPolicy();
  const row = cvTable(schoolIndicators(tables.schools, tables.teachers, policy), policy).find((r) => r.stage === stage && r.indicator === 'backbone');
  return row?.cv ?? 0;
}

export function summarize(tables: CountyTables, year: number = DEFAULT_YEAR) {
  const policy = { ...defaultPolicy(), year };
  const eligible = tables.teachers.filter((t) => assessEligibility(t, policy).eligible);
  const students = (k: 'students_primary' | 'students_junior') => tables.schools.reduce((a, s) => a + (s[k] ?? 0), 0);
  const ruralStudents = tables.schools.filter((s) => s.locale === 'rural').reduce((a, s) => a + (s.students_primary ?? 0) + (s.students_junior ?? 0), 0);
  return {
    counties: new Set(tables.schools.map((s) => s.county)).size,
    schools: tables.schools.length,
    teachingPoints: tables.schools.filter((s) => s.teaching_point).length,
    ruralSchoolShare: round3(tables.schools.filter((s) => s.locale === 'rural').length / tables.schools.length),
    studentsPrimary: students('students_primary'),
    studentsJunior: students('students_junior'),
    ruralStudentShare: round3(ruralStudents / (students('students_primary') + students('students_junior'))),
    teachers: tables.teachers.length,
    backbone: tables.teachers.filter((t) => t.backbone !== 'none').length,
    eligible: eligible.length,
    eligibleBackbone: eligible.filter((t) => t.backbone !== 'none').length,
    exempt: tables.teachers.filter((t) => t.exemption !== undefined).length,
    volunteers: tables.teachers.filter((t) => t.volunteer).length,
    overQuotaSchools: tables.schools.filter((s) => s.quota !== undefined && tables.teachers.filter((t) => t.school_id === s.id).length > s.quota).length,
    backboneCvPrimary: round3(backboneCv(tables, 'primary')),
    backboneCvJunior: round3(backboneCv(tables, 'junior')),
    preferences: tables.preferences.length,
    locks: tables.locks.length,
  };
}
const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    // A flag followed by another flag (or nothing) is a switch (`--rounds`).
    const bare = argv[i + 1] === undefined || argv[i + 1]!.startsWith('--');
    const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), bare ? '' : argv[++i]!];
    args.set(k, v);
  }
  return args;
}

function main(argv: string[]): void {
  const args = parseArgs(argv);
  const int = (k: string): number | undefined => {
    const v = args.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a non-negative integer, got "${v}"`);
    return n;
  };
  const profile = args.get('profile') ?? 'medium';
  if (profile !== 'tiny' && profile !== 'small' && profile !== 'medium' && profile !== 'large') throw new Error(`--profile must be tiny|small|medium|large`);
  const seed = int('seed') ?? 1;
  const year = int('year') ?? DEFAULT_YEAR;
  const out = args.get('out') ?? `data/generated-${profile}-${seed}`;
  const counties = int('counties');
  const teachers = int('teachers');
  const t0 = Date.now();
  const tables = counties !== undefined && counties > 1
    ? generateCity({ counties, teachersPerCounty: teachers ?? 5000, seed, year })
    : generateCounty({ profile, teachers, seed, year, countyName: args.get('county-name'), rounds: args.has('rounds'), history: args.get('history') === '1' });
  writeCountyCsv(out, tables, year);
  console.log(JSON.stringify({ out, ms: Date.now() - t0, ...summarize(tables, year) }, null, 2));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`gen: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}
