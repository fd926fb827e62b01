// School layer of the synthetic county generator: the county's shape (how many schools of each
// kind), townships and villages on a ~60×60 km map, enrolment, classes, quota (编制) and how many
// teachers each school has per stage. Numbers follow domain.md §d; see data/generate.ts.
import type { Locale, School, SchoolStage, Stage } from '../solver/contract/schemas.ts';
import { PlaceNamer, cnNumber } from './generate-names.ts';
import { Rng, clamp } from './random.ts';

export type Profile = 'tiny' | 'small' | 'medium' | 'large';
export type SchoolKind = 'urbanPrimary' | 'central' | 'village' | 'tp' | 'urbanJunior' | 'townJunior' | 'nineYear';

/** How many schools of each kind a county has, and how many teachers to aim for. */
export interface Shape {
  urbanPrimary: number;
  townships: number; // one central primary each
  villagePrimary: number;
  teachingPoints: number;
  urbanJunior: number;
  townJunior: number;
  nineYear: number;
  /** Share of townships that are 镇 (town locale); the rest are 乡 (rural). */
  zhenShare: number;
  teachers: number;
}

interface ProfileCounts { primary: number; tp: number; junior: number; nine: number; teachers: number; urbanShare: number; townshipShare: number; urbanJuniorShare: number; zhenShare: number }
const PROFILES: Record<'small' | 'medium' | 'large', ProfileCounts> = {
  small: { primary: 20, tp: 5, junior: 10, nine: 2, teachers: 2300, urbanShare: 0.25, townshipShare: 0.3, urbanJuniorShare: 0.3, zhenShare: 0.5 },
  medium: { primary: 60, tp: 30, junior: 20, nine: 5, teachers: 5000, urbanShare: 0.17, townshipShare: 0.25, urbanJuniorShare: 0.3, zhenShare: 0.4 },
  large: { primary: 200, tp: 60, junior: 40, nine: 5, teachers: 9000, urbanShare: 0.06, townshipShare: 0.2, urbanJuniorShare: 0.2, zhenShare: 0.3 },
};

function shapeFromCounts(p: ProfileCounts): Shape {
  const urbanPrimary = Math.max(1, Math.round(p.primary * p.urbanShare));
  const townships = Math.max(1, Math.min(p.primary - urbanPrimary, Math.round(p.primary * p.townshipShare)));
  const urbanJunior = Math.max(1, Math.round(p.junior * p.urbanJuniorShare));
  return {
    urbanPrimary, townships, villagePrimary: Math.max(0, p.primary - urbanPrimary - townships),
    teachingPoints: p.tp, urbanJunior, townJunior: Math.max(0, p.junior - urbanJunior), nineYear: p.nine,
    zhenShare: p.zhenShare, teachers: p.teachers,
  };
}

/**
 * The shape for a profile, or the medium shape scaled to `teachers`. School counts scale
 * linearly above 5,000 teachers and as (N/5000)^0.75 below it, so small counties keep a
 * realistic number of (smaller) schools: 300 teachers → ~14 schools, 1,000 → ~34.
 */
export function shapeFor(profile: Profile, teachers: number | undefined, rng: Rng): Shape {
  if (teachers !== undefined) {
    const s = teachers / PROFILES.medium.teachers;
    const ss = s >= 1 ? s : Math.pow(s, 0.75);
    const m = PROFILES.medium;
    return shapeFromCounts({
      ...m, teachers,
      primary: Math.max(3, Math.round(m.primary * ss)), tp: Math.max(1, Math.round(m.tp * ss)),
      junior: Math.max(2, Math.round(m.junior * ss)), nine: Math.round(m.nine * ss),
    });
  }
  if (profile !== 'tiny') return shapeFromCounts(PROFILES[profile]);
  // tiny: 8–12 schools and 60–200 teachers, the mix varying with the seed.
  const total = rng.int(8, 12);
  const townships = rng.int(1, 2);
  const nineYear = rng.int(0, 1);
  const townJunior = rng.int(0, townships);
  const rest = total - (2 + townships + nineYear + townJunior);
  const villagePrimary = Math.max(1, Math.ceil(rest * rng.uniform(0.4, 0.7)));
  return {
    urbanPrimary: 1, townships, villagePrimary, teachingPoints: Math.max(0, rest - villagePrimary),
    urbanJunior: 1, townJunior, nineYear, zhenShare: 0.5, teachers: rng.int(60, 200),
  };
}

/** A school plus what the teacher layer needs to know about it. */
export interface SchoolDraft {
  school: School;
  kind: SchoolKind;
  township: number; // index into CountyMap.townships, −1 for the county seat
  /** Teachers in post per stage. */
  staff: Record<Stage, number>;
  /** Multiplier for backbone and degree quality ("good school" effect), log-normal around 1. */
  quality: number;
}

export interface Township { name: string; zhen: boolean; lat: number; lon: number }
export interface CountyMap { seat: { lat: number; lon: number }; townships: Township[]; kmLat: number; kmLon: number }

/** `perTeacher`: students per teacher in post (urban schools tighter, rural ones looser; the
 * county comes out near the national 16 primary / 12.5 junior). Small rural schools are staffed
 * by classes instead (see realise). */
interface EnrolSpec { median: number; sigma: number; lo: number; hi: number; elastic: number; perTeacher: number }
const ENROL = {
  urbanPrimary: { median: 1600, sigma: 0.25, lo: 1000, hi: 2600, elastic: 1, perTeacher: 18 },
  centralZhen: { median: 850, sigma: 0.35, lo: 300, hi: 1500, elastic: 1, perTeacher: 16.5 },
  centralXiang: { median: 480, sigma: 0.35, lo: 300, hi: 1200, elastic: 1, perTeacher: 14.5 },
  village: { median: 130, sigma: 0.45, lo: 50, hi: 300, elastic: 0.5, perTeacher: 13 },
  tp: { median: 38, sigma: 0.5, lo: 10, hi: 100, elastic: 0, perTeacher: 13 },
  urbanJunior: { median: 1500, sigma: 0.3, lo: 800, hi: 2500, elastic: 1, perTeacher: 13 },
  juniorZhen: { median: 850, sigma: 0.35, lo: 300, hi: 1800, elastic: 1, perTeacher: 12 },
  juniorXiang: { median: 420, sigma: 0.4, lo: 150, hi: 1000, elastic: 1, perTeacher: 10.5 },
  ninePrimary: { median: 350, sigma: 0.4, lo: 100, hi: 900, elastic: 1, perTeacher: 14 },
  nineJunior: { median: 250, sigma: 0.4, lo: 80, hi: 700, elastic: 1, perTeacher: 10.5 },
} satisfies Record<string, EnrolSpec>;

/** Random draws fixed before calibration, so the enrolment scale can be searched deterministically. */
interface Draw {
  kind: SchoolKind; stage: SchoolStage; locale: Locale; township: number; name: string;
  lat: number; lon: number; weak: boolean; quality: number;
  enrol: Partial<Record<Stage, { spec: EnrolSpec; z: number; classSize: number }>>;
  /** Staffing noise around perTeacher, and quota status: 'over' (staff > quota), 'full', 'room'. */
  noise: number; status: 'over' | 'full' | 'room'; slack: number;
}

interface Realised { students: Record<Stage, number>; classes: Record<Stage, number>; quota: number; staff: Record<Stage, number> }

function realise(d: Draw, f: number): Realised {
  const students = { primary: 0, junior: 0 };
  const classes = { primary: 0, junior: 0 };
  const staff = { primary: 0, junior: 0 };
  let ratioQuota = 0;
  const small = d.kind === 'tp' || d.kind === 'village';
  for (const stage of ['primary', 'junior'] as const) {
    const e = d.enrol[stage];
    if (!e) continue;
    const g = Math.pow(f, e.spec.elastic);
    const n = Math.round(clamp(e.spec.median * g * Math.exp(e.spec.sigma * e.z), e.spec.lo * g, e.spec.hi * g));
    students[stage] = Math.max(d.kind === 'tp' ? 5 : 20, n);
    let c = Math.max(1, Math.round(students[stage] / e.classSize));
    if (d.kind === 'tp') c = Math.min(c, 4);
    else if (d.kind === 'village') c = clamp(c, 3, 12);
    classes[stage] = c;
    // Q1: 1:19 / 1:13.5; Q2: rural and small schools get max(ratio, class-based) (班师比 1.5 / 2.8; 教学点 1.2).
    const ratio = students[stage] / (stage === 'primary' ? 19 : 13.5);
    const perClass = stage === 'primary' ? (d.kind === 'tp' ? 1.2 : 1.5) : 2.8;
    const byClass = d.locale === 'rural' || small ? c * perClass : 0;
    ratioQuota += Math.max(ratio, byClass);
    const min = d.kind === 'tp' ? 2 : d.kind === 'village' ? 3 : d.stage === 'nine_year' ? 3 : 5;
    staff[stage] = Math.max(min, Math.round(Math.max(students[stage] / e.spec.perTeacher, byClass * 0.9) * d.noise));
  }
  // Approved quota: never below the ratio/class quota, and around the staff in post: a few schools
  // slightly over (1–7%), many about full, the rest with 5–20% room.
  const inPost = staff.primary + staff.junior;
  const quota = d.status === 'over' && inPost >= 5
    ? inPost - Math.max(1, Math.round(inPost * d.slack))
    : Math.max(Math.ceil(ratioQuota), inPost + Math.round(inPost * d.slack));
  return { students, classes, quota, staff };
}

const total = (ds: Draw[], f: number): number => ds.reduce((s, d) => { const r = realise(d, f); return s + r.staff.primary + r.staff.junior; }, 0);

export interface SchoolLayer { drafts: SchoolDraft[]; map: CountyMap; enrolmentScale: number }

/** Builds the schools of one county. `center` is the middle of its 60×60 km box. */
export function buildSchools(shape: Shape, rng: Rng, county: string, idPrefix: string, center: { lat: number; lon: number }): SchoolLayer {
  const kmLat = 1 / 111.0;
  const kmLon = 1 / (111.32 * Math.cos((center.lat * Math.PI) / 180));
  const HALF = 30; // km
  const at = (x: number, y: number) => ({ lat: center.lat + clamp(y, -HALF, HALF) * kmLat, lon: center.lon + clamp(x, -HALF, HALF) * kmLon });
  const seatXY = { x: rng.normal(0, 3), y: rng.normal(0, 3) };
  const seat = at(seatXY.x, seatXY.y);
  const names = new PlaceNamer(rng, ['城关']);

  // Townships: spread over the box, ≥7 km from the seat and ≥4 km from each other where possible.
  const tXY: { x: number; y: number }[] = [];
  const townships: Township[] = [];
  const zhenCount = Math.round(shape.townships * shape.zhenShare);
  for (let k = 0; k < shape.townships; k++) {
    let best = { x: 0, y: 0 };
    for (let attempt = 0; attempt < 60; attempt++) {
      const p = { x: rng.uniform(-27, 27), y: rng.uniform(-27, 27) };
      best = p;
      const far = Math.hypot(p.x - seatXY.x, p.y - seatXY.y) >= 7 && tXY.every((q) => Math.hypot(p.x - q.x, p.y - q.y) >= 4);
      if (far) break;
    }
    tXY.push(best);
    townships.push({ name: names.township(), zhen: k < zhenCount, ...at(best.x, best.y) });
  }
  const weight = townships.map(() => rng.uniform(0.5, 1.5));
  const pickTownship = (): number => {
    const w: Record<string, number> = {};
    weight.forEach((v, i) => { w[String(i)] = v; });
    return Number(rng.weighted(w));
  };

  const draws: Draw[] = [];
  const enrol = (spec: EnrolSpec, lo: number, mode: number, hi: number) => ({ spec, z: rng.normal(), classSize: rng.triangular(lo, mode, hi) });
  const add = (d: Omit<Draw, 'weak' | 'quality' | 'noise' | 'status' | 'slack'>) => {
    const weakP = d.locale === 'rural' ? 0.2 : d.locale === 'town' ? 0.1 : 0.04;
    const weak = rng.chance(weakP);
    const quality = rng.logNormal(d.locale === 'urban' ? 1.3 : 1, 0.45) * (weak ? 0.5 : 1);
    const r = rng.float();
    const status = r < 0.12 ? 'over' : r < 0.55 ? 'full' : 'room';
    const slack = status === 'over' ? rng.uniform(0.01, 0.07) : status === 'full' ? rng.uniform(0, 0.03) : rng.uniform(0.05, 0.2);
    draws.push({ ...d, weak, quality, noise: rng.uniform(0.92, 1.08), status, slack });
  };
  const near = (t: number, sd: number) => { const q = tXY[t] ?? { x: 0, y: 0 }; return at(q.x + rng.normal(0, sd), q.y + rng.normal(0, sd)); };
  const around = (t: number) => {
    const q = tXY[t] ?? { x: 0, y: 0 };
    const a = rng.uniform(0, 2 * Math.PI), r = rng.uniform(2, 9);
    return at(q.x + r * Math.cos(a), q.y + r * Math.sin(a));
  };
  const inSeat = () => at(seatXY.x + rng.normal(0, 1.5), seatXY.y + rng.normal(0, 1.5));

  for (let j = 1; j <= shape.urbanPrimary; j++) {
    const name = j === 1 ? `${county}实验小学` : `城关第${cnNumber(j - 1)}小学`;
    add({ kind: 'urbanPrimary', stage: 'primary', locale: 'urban', township: -1, name, ...inSeat(), enrol: { primary: enrol(ENROL.urbanPrimary, 38, 46, 56) } });
  }
  for (let j = 1; j <= shape.urbanJunior; j++) {
    const name = j === 1 ? `${county}实验中学` : `城关第${cnNumber(j - 1)}初级中学`;
    add({ kind: 'urbanJunior', stage: 'junior', locale: 'urban', township: -1, name, ...inSeat(), enrol: { junior: enrol(ENROL.urbanJunior, 40, 48, 58) } });
  }
  // Township juniors: one per township (镇 first), extras as 第二初级中学; nine-year schools
  // preferably in 乡 without a junior school.
  const juniorsIn = townships.map(() => 0);
  for (let j = 0; j < shape.townJunior; j++) juniorsIn[j % Math.max(1, shape.townships)]! += 1;
  const noJunior = townships.map((_, k) => k).filter((k) => juniorsIn[k] === 0).reverse();
  const nineIn = townships.map(() => 0);
  for (let j = 0; j < shape.nineYear; j++) {
    const k = noJunior[j] ?? rng.int(0, shape.townships - 1);
    nineIn[k]! += 1;
  }
  const villagesIn = townships.map(() => 0);
  for (let j = 0; j < shape.villagePrimary; j++) villagesIn[pickTownship()]! += 1;
  const tpsIn = townships.map(() => 0);
  for (let j = 0; j < shape.teachingPoints; j++) tpsIn[pickTownship()]! += 1;

  townships.forEach((t, k) => {
    const locale: Locale = t.zhen ? 'town' : 'rural';
    const suffix = t.zhen ? '镇' : '乡';
    add({
      kind: 'central', stage: 'primary', locale, township: k, name: `${t.name}${suffix}中心小学`, ...near(k, 0.6),
      enrol: { primary: t.zhen ? enrol(ENROL.centralZhen, 32, 42, 52) : enrol(ENROL.centralXiang, 22, 32, 45) },
    });
    for (let j = 1; j <= (juniorsIn[k] ?? 0); j++) {
      const name = `${t.name}${suffix}${j === 1 ? '' : `第${cnNumber(j)}`}初级中学`;
      add({
        kind: 'townJunior', stage: 'junior', locale, township: k, name, ...near(k, 0.8),
        enrol: { junior: t.zhen ? enrol(ENROL.juniorZhen, 36, 45, 55) : enrol(ENROL.juniorXiang, 25, 36, 48) },
      });
    }
    for (let j = 1; j <= (nineIn[k] ?? 0); j++) {
      const name = `${t.name}${j === 1 ? '' : cnNumber(j)}九年一贯制学校`;
      add({
        kind: 'nineYear', stage: 'nine_year', locale, township: k, name, ...near(k, 1.5),
        enrol: { primary: enrol(ENROL.ninePrimary, 18, 28, 40), junior: enrol(ENROL.nineJunior, 25, 35, 48) },
      });
    }
    for (let j = 0; j < (villagesIn[k] ?? 0); j++) {
      add({ kind: 'village', stage: 'primary', locale: 'rural', township: k, name: `${names.village()}村小学`, ...around(k), enrol: { primary: enrol(ENROL.village, 10, 22, 35) } });
    }
    for (let j = 0; j < (tpsIn[k] ?? 0); j++) {
      add({ kind: 'tp', stage: 'primary', locale: 'rural', township: k, name: `${names.village()}教学点`, ...around(k), enrol: { primary: enrol(ENROL.tp, 6, 12, 25) } });
    }
  });

  // Calibrate the enrolment scale f so that the teacher total hits the target (bisection on log f).
  let lo = Math.log(0.05), hi = Math.log(5);
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (total(draws, Math.exp(mid)) < shape.teachers) lo = mid; else hi = mid;
  }
  const f = Math.exp((lo + hi) / 2);

  const width = Math.max(3, String(draws.length).length);
  const ids = draws.map((_, i) => `${idPrefix}S${String(i + 1).padStart(width, '0')}`);
  const centralId = new Map<number, string>();
  draws.forEach((d, i) => { if (d.kind === 'central') centralId.set(d.township, ids[i] ?? ''); });
  const urbanSplit = shape.urbanPrimary + shape.urbanJunior >= 6;
  const drafts = draws.map((d, i): SchoolDraft => {
    const r = realise(d, f);
    const cluster = d.township >= 0 ? `${townships[d.township]?.name ?? ''}学区`
      : urbanSplit ? (d.lon >= seat.lon ? '城东学区' : '城西学区') : '城关学区';
    const school: School = {
      id: ids[i] ?? '', name: d.name, stage: d.stage, locale: d.locale, weak: d.weak,
      teaching_point: d.kind === 'tp',
      parent_id: d.kind === 'tp' || d.kind === 'village' ? centralId.get(d.township) : undefined,
      cluster, county, lat: round6(d.lat), lon: round6(d.lon),
      students_primary: d.enrol.primary ? r.students.primary : undefined,
      students_junior: d.enrol.junior ? r.students.junior : undefined,
      classes_primary: d.enrol.primary ? r.classes.primary : undefined,
      classes_junior: d.enrol.junior ? r.classes.junior : undefined,
      quota: r.quota,
    };
    return { school, kind: d.kind, township: d.township, staff: r.staff, quality: d.quality };
  });
  return { drafts, map: { seat, townships, kmLat, kmLon }, enrolmentScale: f };
}

export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
