// The spring share-out of 编制 and 岗位 (solver/cycle/posts.ts): whole posts that add up to the
// county totals, the small rural school floor, boarding schools, grade mix, and posts.csv read back
// as the needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, type Policy, type PostRow, type School } from '../solver/contract/schemas.ts';
import { loadDataset, type DatasetFile } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';
import { apportion } from '../solver/cycle/apportion.ts';
import { allocatePosts, isSmallRural, postsCsvText } from '../solver/cycle/posts.ts';
import { quotaOf } from '../solver/policy/county.ts';
import { loadDatasetFrom } from '../server/contract-files.ts';
import { generateCity } from '../data/generate.ts';

const school = (s: Partial<School> & Pick<School, 'id' | 'stage' | 'locale'>): School => ({ name: s.id, weak: false, teaching_point: false, ...s });
// A hand-made county: two town schools and a village school of 40 pupils in 6 one-grade classes.
const COUNTY: School[] = [
  school({ id: 'A', stage: 'primary', locale: 'urban', students_primary: 950, classes_primary: 20 }),
  school({ id: 'B', stage: 'primary', locale: 'town', students_primary: 570, classes_primary: 12 }),
  school({ id: 'C', stage: 'primary', locale: 'rural', students_primary: 40, classes_primary: 6 }),
];
const withPosts = (over: Partial<Policy['posts']>): Policy => {
  const p = defaultPolicy();
  return { ...p, posts: { ...p.posts, ...over } };
};
const perSchool = (rows: readonly PostRow[]) => {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.school_id] = (out[r.school_id] ?? 0) + r.posts;
  return out;
};
const sum = (rows: readonly PostRow[], k: 'posts' | 'senior' | 'first' | 'second') => rows.reduce((a, r) => a + r[k], 0);

describe('apportion (largest remainder)', () => {
  it('adds up to the total and gives the leftover to the largest fractions', () => {
    // 10 × [0.5, 0.3, 0.2] = 5, 3, 2 exactly; 7 × the same = 3.5, 2.1, 1.4 → 4, 2, 1.
    expect(apportion(10, [{ weight: 5 }, { weight: 3 }, { weight: 2 }])).toEqual({ ok: true, counts: [5, 3, 2] });
    expect(apportion(7, [{ weight: 5 }, { weight: 3 }, { weight: 2 }])).toEqual({ ok: true, counts: [4, 2, 1] });
  });
  it('pins floors first and shares the rest; refuses floors over the total', () => {
    expect(apportion(10, [{ weight: 9 }, { weight: 1, floor: 4 }])).toEqual({ ok: true, counts: [6, 4] });
    expect(apportion(3, [{ weight: 1, floor: 2 }, { weight: 1, floor: 2 }])).toEqual({ ok: false, floors: 4, caps: Number.POSITIVE_INFINITY });
  });
  it('keeps each share within its cap', () => {
    expect(apportion(4, [{ weight: 10, cap: 1 }, { weight: 1, cap: 5 }])).toEqual({ ok: true, counts: [1, 3] });
  });
});

describe('allocatePosts on a hand-made county', () => {
  const quota = COUNTY.reduce((a, s) => a + quotaOf(s, defaultPolicy()).quota, 0);

  it('the county total is Σ quota by 1:19, and the rows add up to it exactly', () => {
    expect(quota).toBe(50 + 30 + 3); // ⌈950/19⌉ + ⌈570/19⌉ + ⌈40/19⌉
    const r = allocatePosts(COUNTY, defaultPolicy());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(sum(r.rows, 'posts')).toBe(quota);
    expect(r.counties[0]?.quota).toBe(quota);
  });

  it('the rural floor (one teacher per class) gives the village school 6 posts instead of 2', () => {
    const none = allocatePosts(COUNTY, withPosts({ teachersPerClass: 0 }));
    const floor = allocatePosts(COUNTY, defaultPolicy());
    if (!none.ok || !floor.ok) throw new Error('allocation failed');
    // Without a floor: 83 × (40/19) / (1560/19) = 2.13 → 2; the town schools take the rest by enrolment.
    expect(perSchool(none.rows)).toEqual({ A: 51, B: 30, C: 2 });
    expect(perSchool(floor.rows)).toEqual({ A: 48, B: 29, C: 6 });
    expect(floor.counties[0]?.floored).toEqual({ schools: 1, posts: 6 });
    expect(floor.rows.find((r) => r.school_id === 'C')?.rule).toContain('乡村小规模学校保底 6 人');
    expect(floor.rows.find((r) => r.school_id === 'A')?.rule).toContain('1:19');
  });

  it('a floor the county cannot pay for is refused with the numbers', () => {
    // The village school alone: quota ⌈40/19⌉ = 3, floor 6 classes × 1.
    const r = allocatePosts(COUNTY.filter((s) => s.id === 'C'), defaultPolicy());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.zh).toContain('保底共需 6 个编制，超过县编制总量 3');
  });

  it('a school of 100 pupils is not small (国办发〔2018〕27号: 不足100人)', () => {
    expect(isSmallRural(school({ id: 'D', stage: 'primary', locale: 'rural', students_primary: 99 }), defaultPolicy())).toBe(true);
    expect(isSmallRural(school({ id: 'D', stage: 'primary', locale: 'rural', students_primary: 100 }), defaultPolicy())).toBe(false);
  });

  it('a boarding school gets more posts than the same school without boarding', () => {
    const boarding = COUNTY.map((s) => (s.id === 'B' ? { ...s, boarding: true } : s));
    const plain = allocatePosts(COUNTY, defaultPolicy());
    const more = allocatePosts(boarding, defaultPolicy());
    if (!plain.ok || !more.ok) throw new Error('allocation failed');
    expect(perSchool(more.rows).B).toBeGreaterThan(perSchool(plain.rows).B ?? 0);
    expect(sum(more.rows, 'posts')).toBe(quota);
  });

  it('grades: 10% 高级 and 50% 一级 of primary posts, within each row, tilted to the village school', () => {
    const r = allocatePosts(COUNTY, withPosts({ ruralSeniorUplift: 1 }));
    if (!r.ok) throw new Error('allocation failed');
    expect(r.counties[0]?.stages.primary).toEqual({ posts: 83, senior: 8, first: 42, second: 33 });
    expect([sum(r.rows, 'senior'), sum(r.rows, 'first'), sum(r.rows, 'second')]).toEqual([8, 42, 33]);
    for (const row of r.rows) expect(row.senior + row.first + row.second).toBe(row.posts);
    // Weight 2 for the village school's 6 posts: 8 × 12/(77 + 12) = 1.08 → one 高级 post; untilted 8 × 6/83 = 0.58 → none.
    expect(sum(r.rows.filter((x) => x.school_id === 'C'), 'senior')).toBe(1);
    const flat = allocatePosts(COUNTY, withPosts({ ruralSeniorUplift: 0 }));
    if (!flat.ok) throw new Error('allocation failed');
    expect(sum(flat.rows.filter((x) => x.school_id === 'C'), 'senior')).toBe(0);
  });
});

describe('posts on the sample county', () => {
  it('writes a posts.csv whose sums equal the county totals, and reads back as the needs', async () => {
    const loaded = await loadDatasetFrom(join(import.meta.dirname, '..', 'data', 'sample-county'));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => formatInputError(e)).join('\n'));
    const { schools, policy } = loaded.dataset;
    const r = allocatePosts(schools, policy);
    if (!r.ok) throw new Error(r.problems.map((p) => p.zh).join('\n'));
    const quota = schools.reduce((a, s) => a + quotaOf(s, policy).quota, 0);
    expect(sum(r.rows, 'posts')).toBe(quota);
    expect(r.counties.reduce((a, c) => a + c.quota, 0)).toBe(quota);
    for (const c of r.counties) {
      for (const st of ['primary', 'junior'] as const) {
        const g = c.stages[st];
        expect(g.senior + g.first + g.second).toBe(g.posts);
      }
    }
    expect(sum(r.rows, 'senior')).toBe(r.counties.reduce((a, c) => a + c.stages.primary.senior + c.stages.junior.senior, 0));
    for (const row of r.rows) expect(row.senior + row.first + row.second).toBe(row.posts);

    const dir = join(import.meta.dirname, '..', 'data', 'sample-county');
    const files: DatasetFile[] = readdirSync(dir).map((name) => ({ name, content: new Uint8Array(readFileSync(join(dir, name))) }));
    const back = await loadDataset([...files, { name: 'posts.csv', content: postsCsvText(r.rows) }]);
    if (!back.ok) throw new Error(back.errors.map((e) => formatInputError(e)).join('\n'));
    expect(back.dataset.needs?.length).toBe(r.rows.length);
    expect(back.dataset.needs?.reduce((a, n) => a + n.required, 0)).toBe(quota);
  });
});

describe('posts on generated cities (several counties, some schools without quota, boarding flags)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every county's rows add up to its totals; grades within each row; floors kept`, () => {
      const city = generateCity({ counties: 3, teachersPerCounty: 400, seed });
      // Drop every third quota (computed from enrolment) and mark every fourth school boarding.
      const schools = city.schools.map((s, i) => ({ ...s, ...(i % 3 === 0 ? { quota: undefined } : {}), boarding: i % 4 === 0 }));
      const policy = defaultPolicy();
      const r = allocatePosts(schools, policy);
      if (!r.ok) throw new Error(r.problems.map((p) => p.en).join('\n'));
      expect(r.counties).toHaveLength(3);
      for (const c of r.counties) {
        const mine = new Set(schools.filter((s) => s.county === c.county).map((s) => s.id));
        const rows = r.rows.filter((x) => mine.has(x.school_id));
        expect(sum(rows, 'posts')).toBe(schools.filter((s) => mine.has(s.id)).reduce((a, s) => a + quotaOf(s, policy).quota, 0));
        expect(sum(rows, 'posts')).toBe(c.quota);
        for (const st of ['primary', 'junior'] as const) {
          const g = c.stages[st];
          const ofStage = rows.filter((x) => x.stage === st);
          expect([sum(ofStage, 'posts'), sum(ofStage, 'senior'), sum(ofStage, 'first'), sum(ofStage, 'second')]).toEqual([g.posts, g.senior, g.first, g.second]);
        }
      }
      for (const row of r.rows) expect(row.senior + row.first + row.second).toBe(row.posts);
      const posted = perSchool(r.rows);
      for (const s of schools.filter((x) => isSmallRural(x, policy))) {
        const classes = (s.classes_primary ?? 0) + (s.classes_junior ?? 0);
        if (s.classes_primary !== undefined || s.classes_junior !== undefined) expect(posted[s.id], s.id).toBeGreaterThanOrEqual(classes);
      }
    });
  }
});

describe('posts.csv as input', () => {
  const TINY = join(import.meta.dirname, 'fixtures', 'tiny');
  const tiny = (): DatasetFile[] => readdirSync(TINY).filter((n) => n !== 'needs.csv')
    .map((name) => ({ name, content: new Uint8Array(readFileSync(join(TINY, name))) }));
  const errors = async (files: DatasetFile[]) => {
    const r = await loadDataset(files);
    return r.ok ? [] : r.errors.map((e) => formatInputError(e, 'en'));
  };

  it('reads the Chinese headers; each row\'s posts is its need', async () => {
    const r = await loadDataset([...tiny(), { name: 'posts.csv', content: '学校代码,学段,学科,岗位数,高级,一级,二级,依据\n0101,小学,语文,4,1,2,1,手工调整\n' }]);
    expect(r.ok && r.dataset.needs).toEqual([{ school_id: '0101', stage: 'primary', subject: 'chinese', required: 4 }]);
  });

  it('reports bad rows as file:line: column and loads nothing', async () => {
    const csv = [
      'school_id,stage,subject,posts,senior,first,second,rule',
      '0101,primary,chinese,2.5,0,0,0,',
      '0101,primary,math,3,2,2,0,',
      '0199,primary,art,1,0,0,1,',
      '0102,primary,music,1,0,0,1,',
      '0101,primary,math,1,0,0,1,',
    ].join('\n');
    expect(await errors([...tiny(), { name: 'posts.csv', content: csv }])).toEqual([
      'posts.csv:2: posts: "2.5" is not a whole number',
      expect.stringMatching(/^posts\.csv:3: posts: .*senior \+ first \+ second exceed posts/),
      'posts.csv:4: school_id: school "0199" not in schools.csv',
      'posts.csv:5: stage: school "0102" has no primary stage',
      'posts.csv:6: subject: duplicate need for school, stage and subject (first on line 3)',
    ]);
  });

  it('refuses posts.csv next to needs.csv', async () => {
    const needs = { name: 'needs.csv', content: readFileSync(join(TINY, 'needs.csv')) };
    expect(await errors([...tiny(), needs, { name: 'posts.csv', content: 'school_id,stage,subject,posts\n0101,primary,chinese,4\n' }]))
      .toEqual(['posts.csv:0: -: both this and needs.csv give the needs; give only one']);
  });
});
