// Issue 11 items 1–2 with item 5: a model column carries a kind of move and a subject filled.
// A 支教 (support) teacher teaches a whole post at the destination, so it may fill a need in one of
// their extra subjects; a 走教 share serves its shortage subject (the main one) only. On a hand-made
// county where the destination is at quota, only 支教 gets in, and the extra-subject fill decides
// who goes; the audit refuses a 走教 row that claims an extra-subject fill.
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { highsEngine } from '../server/engine.ts';
import { musicCounty } from './helpers/music-county.ts';

const highs = highsEngine();

/** The extra-subject county (helpers/music-county.ts) with R at its quota (5 of 5), 支教 and 走教 allowed, the schools 2 km apart. */
function county(): Dataset {
  const ds = musicCounty();
  ds.policy.modes.support.allowed = true;
  ds.policy.modes.itinerant.allowed = true;
  const at = { U: { lat: 30, lon: 112 }, R: { lat: 30.02, lon: 112, quota: 5 } } as const;
  return { ...ds, schools: ds.schools.map((s) => ({ ...s, ...at[s.id as 'U' | 'R'] })) };
}

describe('支教 and 走教 with extra subjects', () => {
  it('into a school at quota only 支教 gets in, and it fills the music need in the teacher’s extra subject', async () => {
    const ds = county();
    const [p] = await planDataset(ds, highs);
    expect(p!.status).toBe('optimal');
    expect(p!.rows).toHaveLength(1);
    expect(p!.rows[0]).toMatchObject({ teacher_id: 'U10', to_school_id: 'R', mode: 'support', fills_subject: 'music' });
    expect(p!.rows[0]!.reason).toContain('以兼教学科补R校音乐缺口');
    expect(auditPlan(ds, p!.rows).ok).toBe(true);
    expect(planCsvText(p!.rows).split('\n')[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fills_subject');
  });

  it('audit: a 走教 row claiming an extra-subject fill breaks fills_own_subject, in Chinese and English', () => {
    const ds = county();
    const rows: PlanRow[] = [{ teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'itinerant', fte: 0.5, fills_subject: 'music', reason: '手工' }];
    const rule = auditPlan(ds, rows).counties[0]!.rules.find((r) => r.id === 'fills_own_subject')!;
    expect(rule).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    expect(rule.details).toEqual(['教师U10以走教补音乐缺口：走教只按份额教主教学科（数学）']);
    expect(rule.details_en).toEqual(['teacher U10 fills music as itinerant: an itinerant share teaches the main subject (math) only']);
  });
});
