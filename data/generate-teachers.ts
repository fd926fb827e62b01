// Teacher layer of the synthetic county generator (domain.md §d): subjects by curriculum share,
// gender, age, roles, backbone concentrated in urban/town schools, years at school, degree,
// title, career history, exemptions, volunteers and home locations.
import { type Degree, type Stage, type Subject, type Teacher } from '../solver/contract/schemas.ts';
import { personName } from './generate-names.ts';
import type { CountyMap, SchoolDraft } from './generate-schools.ts';
import { Rng, clamp } from './random.ts';
import { round6 } from './generate-schools.ts';

type Title = Teacher['title'];
type Role = Teacher['role'];
type Backbone = Teacher['backbone'];

/** Shares of teachers by main subject (N2022c period shares, adjusted for who actually holds posts). */
const SHARES: Record<Stage, Partial<Record<Subject, number>>> = {
  primary: {
    chinese: 0.28, math: 0.22, english: 0.09, ethics_law: 0.05, science: 0.07, info_tech: 0.03,
    pe: 0.08, music: 0.06, art: 0.06, labor: 0.02, practice: 0.02, mental_health: 0.02,
  },
  junior: {
    chinese: 0.16, math: 0.16, english: 0.14, ethics_law: 0.07, physics: 0.06, chemistry: 0.04,
    biology: 0.05, history: 0.06, geography: 0.05, info_tech: 0.03, pe: 0.07, music: 0.04, art: 0.04,
    labor: 0.01, practice: 0.01, mental_health: 0.01,
  },
};
const SCARCE: ReadonlySet<Subject> = new Set(['pe', 'music', 'art']);

/** Hamilton (largest remainder) apportionment of n seats by weight; ties keep list order. */
function apportion<K extends string>(n: number, weights: [K, number][]): K[] {
  const W = weights.reduce((s, [, w]) => s + w, 0);
  const rows = weights.map(([k, w], i) => ({ k, i, exact: (n * w) / W, seats: Math.floor((n * w) / W) }));
  let left = n - rows.reduce((s, r) => s + r.seats, 0);
  for (const r of rows.slice().sort((a, b) => b.exact - b.seats - (a.exact - a.seats) || a.i - b.i)) {
    if (left-- <= 0) break;
    r.seats += 1;
  }
  return rows.flatMap((r) => Array.from({ length: r.seats }, () => r.k));
}

function subjectsFor(rng: Rng, d: SchoolDraft, stage: Stage, n: number): Subject[] {
  const loc = d.school.locale;
  const scarcity = loc === 'urban' ? rng.uniform(0.85, 1.15) : loc === 'town' ? rng.uniform(0.45, 0.95) : rng.uniform(0.05, 0.6);
  const weights = (Object.entries(SHARES[stage]) as [Subject, number][]).map(([s, w]): [Subject, number] => {
    let x = w * rng.uniform(0.8, 1.2);
    if (SCARCE.has(s)) x *= scarcity;
    if (loc === 'rural' && (s === 'english' || s === 'info_tech' || s === 'mental_health')) x *= 0.6;
    return [s, x];
  });
  // The first two teachers of any school are Chinese and maths; the rest are apportioned.
  const core: Subject[] = n >= 2 ? ['chinese', 'math'] : ['chinese'];
  return [...core, ...apportion(Math.max(0, n - core.length), weights)];
}

const DEGREE_BASE: Record<string, Partial<Record<Degree, number>>> = {
  'primary.urban': { doctor: 0.001, master: 0.08, bachelor: 0.8, associate: 0.11, secondary: 0.01 },
  'primary.town': { master: 0.03, bachelor: 0.75, associate: 0.21, secondary: 0.01 },
  'primary.rural': { master: 0.01, bachelor: 0.56, associate: 0.39, secondary: 0.04 },
  'junior.urban': { doctor: 0.003, master: 0.15, bachelor: 0.83, associate: 0.02 },
  'junior.town': { master: 0.05, bachelor: 0.88, associate: 0.07 },
  'junior.rural': { master: 0.02, bachelor: 0.8, associate: 0.16, secondary: 0.02 },
};
const DEGREE_ORDER: Degree[] = ['secondary', 'associate', 'bachelor', 'master', 'doctor'];
const shiftDegree = (d: Degree, by: number): Degree => DEGREE_ORDER[clamp(DEGREE_ORDER.indexOf(d) + by, 0, 3)] ?? d;

function titleFor(rng: Rng, age: number, stage: Stage, backbone: Backbone): Title {
  const j = stage === 'junior' ? 1 : 0;
  let t: Title;
  if (age < 25) t = rng.weighted({ none: 0.7, third: 0.3 });
  else if (age < 30) t = rng.weighted({ none: 0.1, third: 0.25, second: 0.62, first: 0.03 });
  else if (age < 40) t = rng.weighted({ none: 0.02, second: 0.5, first: 0.45, senior: 0.03 + 0.05 * j });
  else if (age < 50) t = rng.weighted({ second: 0.24, first: 0.63, senior: 0.13 + 0.17 * j });
  else t = rng.weighted({ second: 0.18, first: 0.6, senior: 0.22 + 0.2 * j });
  if (backbone === 'national') return rng.chance(0.3) ? 'full_senior' : 'senior';
  if (backbone === 'province') return rng.chance(0.05) ? 'full_senior' : 'senior';
  if (backbone !== 'none' && (t === 'none' || t === 'third' || t === 'second')) return age >= 40 ? 'senior' : 'first';
  return t;
}

interface Proto {
  d: SchoolDraft; stage: Stage; subject: Subject; gender: 'M' | 'F'; age: number; career: number;
  role: Role; onEst: boolean; backbone: Backbone;
}

export function buildTeachers(drafts: SchoolDraft[], map: CountyMap, rng: Rng, year: number, idPrefix: string): Teacher[] {
  // Pass 1: who teaches what where, gender, age, role, establishment.
  const protos: Proto[] = [];
  for (const d of drafts) {
    const school: Proto[] = [];
    for (const stage of ['primary', 'junior'] as const) {
      const n = d.staff[stage];
      if (n <= 0) continue;
      for (const subject of rng.shuffle(subjectsFor(rng, d, stage, n))) {
        const loc = d.school.locale;
        let pF = stage === 'primary' ? (loc === 'urban' ? 0.78 : loc === 'town' ? 0.7 : 0.62) : loc === 'rural' ? 0.48 : 0.57;
        if (subject === 'pe') pF *= 0.45;
        if (subject === 'music' || subject === 'art') pF = Math.min(0.95, pF * 1.2);
        const gender = rng.chance(pF) ? 'F' : 'M';
        const rawAge = loc === 'rural'
          ? (rng.chance(0.35) ? rng.uniform(22, 33) : rng.normal(47, 7))
          : rng.normal(loc === 'urban' ? 39 : 41, 9.5);
        const age = Math.round(clamp(rawAge, 22, gender === 'F' ? 55 : 60));
        const career = Math.max(0, age - Math.min(age, rng.int(21, 24)));
        const onEst = !rng.chance(age < 30 ? (loc === 'rural' ? 0.14 : 0.08) : 0.03);
        school.push({ d, stage, subject, gender, age, career, role: 'teacher', onEst, backbone: 'none' });
      }
    }
    // Roles: one principal and 1–2 vice principals per school (not teaching points), plus middle managers.
    if (d.kind !== 'tp' && school.length > 0) {
      const staffed = school.filter((p) => p.onEst);
      const lead = rng.sampleWeighted(staffed, (p) => Math.max(0.05, p.age - 33) ** 2 * (p.gender === 'M' ? 2 : 1), school.length >= 30 ? 3 : 2);
      lead.forEach((p, i) => { p.role = i === 0 ? 'principal' : 'vice_principal'; });
      const mm = school.length >= 12 ? Math.floor(school.length / 15) + 1 : 0;
      rng.sampleWeighted(staffed.filter((p) => p.role === 'teacher'), (p) => Math.max(0.1, p.age - 28), mm).forEach((p) => { p.role = 'middle_manager'; });
      // Leaders first within the school.
      const rank: Record<Role, number> = { principal: 0, vice_principal: 1, middle_manager: 2, teacher: 3 };
      school.sort((a, b) => rank[a.role] - rank[b.role]);
    }
    protos.push(...school);
  }

  // Pass 2: backbone ≈ 1 per 100 students county-wide, concentrated in urban and town schools.
  const students = drafts.reduce((s, d) => s + (d.school.students_primary ?? 0) + (d.school.students_junior ?? 0), 0);
  const target = Math.round(0.01 * students * rng.uniform(0.95, 1.15));
  const LOC_W = { urban: 4, town: 1.6, rural: 0.3 } as const;
  const chosen = rng.sampleWeighted(protos, (p) => {
    if (!p.onEst) return 0;
    const ageW = p.age < 27 ? 0.03 : p.age < 32 ? 0.4 : p.age < 40 ? 1.1 : p.age <= 52 ? 1.4 : 0.8;
    const roleW = p.role === 'principal' || p.role === 'vice_principal' ? 2.5 : p.role === 'middle_manager' ? 1.5 : 1;
    const subjW = p.subject === 'chinese' || p.subject === 'math' || p.subject === 'english' ? 1.3 : 0.8;
    return LOC_W[p.d.school.locale] * p.d.quality * ageW * roleW * subjW;
  }, target);
  for (const p of chosen) {
    const lvl = rng.weighted({ county: 0.62, city: 0.27, province: 0.09, national: p.d.school.locale === 'urban' ? 0.02 : 0.004 });
    p.backbone = lvl;
  }

  // Pass 3: everything that depends on role and backbone.
  const width = Math.max(5, String(protos.length).length);
  const km = (lat: number, lon: number, dist: number) => {
    const a = rng.uniform(0, 2 * Math.PI);
    return { home_lat: round6(lat + dist * Math.sin(a) * map.kmLat), home_lon: round6(lon + dist * Math.cos(a) * map.kmLon) };
  };
  return protos.map((p, i): Teacher => {
    const s = p.d.school;
    const leader = p.role === 'principal' || p.role === 'vice_principal';
    const mean = !p.onEst ? 3 : p.backbone !== 'none' ? 8 : leader ? 6 : 7;
    const years = Math.min(p.career, Math.floor((p.backbone !== 'none' ? 1 : 0) + rng.exponential(mean)));

    let degree = rng.weighted(DEGREE_BASE[`${p.stage}.${s.locale}`] ?? {});
    if (degree !== 'doctor') {
      if (p.age >= 48 && rng.chance(degree === 'associate' ? 0.1 : 0.3)) degree = shiftDegree(degree, -1);
      else if (p.age < 30 && degree === 'associate' && rng.chance(0.5)) degree = 'bachelor';
      if (s.weak && degree !== 'associate' && rng.chance(0.2)) degree = shiftDegree(degree, -1);
      if (p.backbone !== 'none' && (degree === 'secondary' || degree === 'associate') && rng.chance(0.6)) degree = shiftDegree(degree, 1);
    }
    const title = titleFor(rng, p.age, p.stage, p.backbone);

    // Career before this school: some earlier rural/weak service, a few schools.
    const before = Math.max(0, p.career - years);
    const hereRuralWeak = s.locale === 'rural' || s.weak;
    let priorRural = before > 0 && rng.chance(s.locale === 'urban' ? 0.45 : s.locale === 'town' ? 0.6 : 0.5) ? rng.int(1, Math.min(10, before)) : 0;
    if ((title === 'senior' || title === 'full_senior') && !hereRuralWeak && priorRural === 0 && before > 0) priorRural = 1; // R11
    const schoolsWorked = before <= 0 ? 1 : Math.min(7, 1 + Math.max(priorRural > 0 ? 1 : 0, Math.ceil(before / rng.uniform(4, 9))));

    let exemption: Teacher['exemption'];
    if (p.gender === 'F' && p.age >= 24 && p.age <= 38 && rng.chance(0.03)) exemption = 'pregnancy';
    else if (p.gender === 'F' && p.age >= 24 && p.age <= 40 && rng.chance(0.035)) exemption = 'nursing';
    else if (rng.chance(0.01)) exemption = 'illness';
    else if (rng.chance(p.backbone !== 'none' ? 0.025 : 0.004)) exemption = 'program_lead';
    else if (p.age >= (p.gender === 'F' ? 53 : 57) && rng.chance(leader ? 0.5 : 0.06)) exemption = 'near_retirement';
    else if (p.age <= 28 && years <= 3 && rng.chance(s.locale === 'rural' ? 0.2 : s.locale === 'town' ? 0.05 : 0)) exemption = 'service_obligation';
    else if (rng.chance(0.004)) exemption = 'other';

    // Home: near the school; some town/rural teachers live in the county seat or township seat.
    const r = rng.float();
    const tw = map.townships[p.d.township];
    const seatHome = s.locale !== 'urban' && r < (s.locale === 'town' ? 0.15 : 0.12);
    const townHome = !seatHome && tw && (p.d.kind === 'village' || p.d.kind === 'tp') && r < 0.47;
    const home = seatHome ? km(map.seat.lat, map.seat.lon, rng.exponential(1.5))
      : townHome ? km(tw.lat, tw.lon, rng.exponential(0.8))
      : km(s.lat ?? map.seat.lat, s.lon ?? map.seat.lon, rng.exponential(s.locale === 'urban' ? 1.5 : 2.2));

    const extraP = s.locale === 'rural' ? 0.5 : s.locale === 'town' ? 0.25 : 0.08;
    const extras = rng.chance(extraP)
      ? [...new Set(rng.shuffle(Object.keys(SHARES[p.stage]) as Subject[]).slice(0, rng.int(1, 2)))].filter((x) => x !== p.subject)
      : [];

    return {
      id: `${idPrefix}T${String(i + 1).padStart(width, '0')}`,
      name: personName(rng, p.gender),
      school_id: s.id, stage: p.stage, subject: p.subject, extra_subjects: extras,
      gender: p.gender, birth_year: year - p.age, role: p.role, on_establishment: p.onEst,
      years_at_school: years, backbone: p.backbone, title, degree,
      rural_weak_years: (hereRuralWeak ? years : 0) + priorRural,
      schools_worked: schoolsWorked, exemption,
      volunteer: rng.chance(0.03),
      ...home,
    };
  });
}
