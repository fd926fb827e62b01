// Extra subjects (issue 11 item 5, policy/extra-subjects.ts): a teacher may fill a need in one of
// their extra_subjects, worth weights.unfilledNeed − weights.extraSubjectFill. On a hand-made county
// where the budget buys one move, that fill decides who moves; the plan row names the subject
// filled; the audit refuses a fill in a subject the teacher does not teach.
import { describe, expect, it } from 'vitest';
import type { Lock } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { needKey, supplyAfterMoves } from '../solver/policy/needs.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { highsEngine } from '../server/engine.ts';
import { musicCounty, teacher } from './helpers/music-county.ts';

const highs = highsEngine();

const plan = async (ds: Dataset) => {
  const plans = await planDataset(ds, highs);
  expect(plans[0]!.status).toBe('optimal');
  expect(plans[0]!.rows.length).toBe(1);
  return { row: plans[0]!.rows[0]!, report: buildReport(ds, plans), rows: plans[0]!.rows };
};

describe('a need filled in an extra subject', () => {
  it('counts the mover in the subject filled at the destination and off the main subject at home', () => {
    const t = teacher('a', 'U', { extra_subjects: ['music'] });
    const s = supplyAfterMoves([t], [{ teacher: t, to: { id: 'R' }, mode: 'transfer', fills: 'music' }]);
    expect([s.get(needKey('U', 'primary', 'math')), s.get(needKey('R', 'primary', 'music')), s.get(needKey('R', 'primary', 'math'))]).toEqual([0, 1, undefined]);
  });

  it('sends the teacher who can fill R’s music need (0.5 − 0.2 = 0.3 > 0.25) and says so in the plan row', async () => {
    const { row, report, rows } = await plan(musicCounty());
    expect(row).toMatchObject({ teacher_id: 'U10', to_school_id: 'R', subject: 'math', fills_subject: 'music' });
    expect(row.reason.startsWith('以兼教学科补R校音乐缺口（需1人，原有0人）')).toBe(true);
    expect(report.objective_terms.find((t) => t.id === 'unfilled_need')!.value).toBe(0);
    expect(report.objective_terms.find((t) => t.id === 'extra_subject')).toMatchObject({ weight: 0.2, value: 0.2 });
    expect(report.audit_ok).toBe(true);
    expect(planCsvText(rows).split('\n')[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fills_subject');
    expect(planCsvText(rows).split('\n')[1]!.endsWith(',music')).toBe(true);
  });

  it('does not when an extra-subject fill is worth less than the preference (0.5 − 0.3 = 0.2 < 0.25)', async () => {
    const { row, report } = await plan(musicCounty({ extraSubjectFill: 0.3 }));
    expect(row.teacher_id).not.toBe('U10');
    expect(row.fills_subject).toBeUndefined();
    expect(report.objective_terms.find((t) => t.id === 'unfilled_need')!.value).toBe(0.5);
  });

  it('keeps a move lock to a school where the teacher could fill either subject, and picks the fill', async () => {
    const lock: Lock = { teacher_id: 'U10', action: 'move', to_school_id: 'R', reason: '测试' };
    const { row } = await plan(musicCounty({}, [lock]));
    expect(row).toMatchObject({ teacher_id: 'U10', to_school_id: 'R', fills_subject: 'music' });
  });
});

describe('audit of a hand-made plan', () => {
  it('refuses a fill in a subject the teacher does not teach, with the count and the subjects', () => {
    const ds = musicCounty();
    const audit = auditPlan(ds, [{ teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'art' }]);
    const rule = audit.counties[0]!.rules.find((r) => r.id === 'fills_own_subject')!;
    expect(audit.ok).toBe(false);
    expect(rule).toMatchObject({ ok: false, numerator: 1, denominator: 1, details: ['教师U10补美术缺口，但美术不是其兼教学科（兼教：音乐）'] });
  });

  it('accepts the fill of an extra subject, and reads a fill of the main subject as no fill', () => {
    const ds = musicCounty();
    const ok = auditPlan(ds, [
      { teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'music' },
      { teacher_id: 'U1', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'math' },
    ]);
    expect(ok.counties[0]!.rules.find((r) => r.id === 'fills_own_subject')).toMatchObject({ ok: true, numerator: 0, denominator: 2 });
  });
});
