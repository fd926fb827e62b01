// Issue 11 acceptance through the command line: a generated county planned with 支教 and 走教 by
// `lungang plan`, then checked by `lungang audit` from the written files alone.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { generateCounty, writeCountyCsv } from '../data/generate.ts';
import { lungang } from './helpers/lungang.ts';


it('plan then audit a generated county with 支教 and 走教: the audit passes, 走教 rows carry their share, posts move only with transfers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-modes-'));
  const county = generateCounty({ teachers: 500, seed: 3 });
  // Every school at quota and a tight outflow cap: only 支教 and 走教 can move teachers this year.
  const staff = new Map<string, number>();
  for (const t of county.teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  writeCountyCsv(dir, { ...county, schools: county.schools.map((s) => ({ ...s, quota: staff.get(s.id) ?? 0 })) });
  const policy = {
    limits: { maxOutflowShareOfSchool: 0.045 },
    modes: { transfer: { allowed: false }, support: { allowed: true }, itinerant: { allowed: true, maxKm: 25 } },
  };
  await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
  const out = join(dir, 'out');
  expect((await lungang('plan', dir, '--out', out)).code).toBe(0);
  const rows = parse(await readFile(join(out, 'plan.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const itinerant = rows.filter((r) => r.mode === 'itinerant');
  expect(itinerant.length).toBeGreaterThan(0);
  expect(rows.some((r) => r.mode === 'support')).toBe(true);
  expect(itinerant.every((r) => r.fte === '0.5')).toBe(true);
  expect(rows.filter((r) => r.mode !== 'itinerant').every((r) => r.fte === '')).toBe(true);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
  expect(report.counts.itinerant_fte).toBeCloseTo(0.5 * itinerant.length, 12);
  expect(report.counts.transfers).toBe(0);
  const audit = await lungang('audit', dir, '--plan', join(out, 'plan.csv'));
  expect(audit.code).toBe(0);
  expect(audit.stdout).not.toContain('✗');
}, 900_000);
