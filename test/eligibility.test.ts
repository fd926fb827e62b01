import { describe, expect, it } from 'vitest';
import { defaultPolicy, policySchema, teacherSchema, type Teacher } from '../solver/contract/schemas.ts';
import { age, assessEligibility, eligibilityTable } from '../solver/policy/eligibility.ts';

const policy = defaultPolicy(); // year 2026, 6 yrs, M 50 / F 45

function teacher(over: Partial<Teacher> = {}): Teacher {
  return teacherSchema.parse({
    id: 'T1', name: '张三', school_id: 'S1', stage: 'primary', subject: 'math',
    gender: 'M', birth_year: 1979, years_at_school: 7, ...over,
  });
}

describe('age', () => {
  it('is year − birth_year', () => {
    expect(age(teacher({ birth_year: 1979 }), policy)).toBe(47);
    expect(age({ birth_year: 2000 }, { year: 2030 })).toBe(30);
  });
});

describe('assessEligibility', () => {
  it('eligible: reason states the comparisons, never the name', () => {
    const e = assessEligibility(teacher(), policy);
    expect(e).toEqual({
      status: 'eligible', eligible: true, mayMove: true,
      reason: '本校任教7年≥6；男47岁<50',
      reasonEn: '7 yrs at school ≥ 6; male, age 47 < 50',
    });
    expect(e.reason).not.toContain('张三');
    expect(e.reasonEn).not.toContain('张三');
  });

  it('exactly 6 years is eligible, 5 is not', () => {
    expect(assessEligibility(teacher({ years_at_school: 6 }), policy).eligible).toBe(true);
    const e = assessEligibility(teacher({ years_at_school: 5 }), policy);
    expect(e.status).toBe('too_few_years');
    expect(e.eligible).toBe(false);
    expect(e.mayMove).toBe(false);
    expect(e.reason).toBe('本校任教5年<6');
  });

  it('age exactly at the cap is too old; one below is eligible', () => {
    const atCap = assessEligibility(teacher({ birth_year: 1976 }), policy); // 50
    expect(atCap.status).toBe('too_old');
    expect(atCap.reason).toBe('男50岁≥50');
    expect(assessEligibility(teacher({ birth_year: 1977 }), policy).eligible).toBe(true); // 49
  });

  it('women and men have different caps', () => {
    const f46 = assessEligibility(teacher({ gender: 'F', birth_year: 1980 }), policy);
    expect(f46.status).toBe('too_old');
    expect(f46.reason).toBe('女46岁≥45');
    expect(f46.reasonEn).toBe('female, age 46 ≥ 45');
    expect(assessEligibility(teacher({ gender: 'M', birth_year: 1980 }), policy).eligible).toBe(true);
    const f44 = assessEligibility(teacher({ gender: 'F', birth_year: 1982 }), policy);
    expect(f44.eligible).toBe(true);
    expect(f44.reason).toBe('本校任教7年≥6；女44岁<45');
    expect(assessEligibility(teacher({ gender: 'F', birth_year: 1981 }), policy).eligible).toBe(false); // 45 = cap
  });

  it('principals and vice principals use leaderYearsAtSchool; middle managers do not', () => {
    const p = policySchema.parse({ eligibility: { leaderYearsAtSchool: 9 } });
    const principal = assessEligibility(teacher({ role: 'principal', years_at_school: 7 }), p);
    expect(principal.status).toBe('too_few_years');
    expect(principal.reason).toBe('本校任职7年<9（校长）');
    expect(principal.reasonEn).toBe('7 yrs at school < 9 (principal)');
    expect(assessEligibility(teacher({ role: 'vice_principal', years_at_school: 8 }), p).eligible).toBe(false);
    expect(assessEligibility(teacher({ role: 'vice_principal', years_at_school: 9 }), p).eligible).toBe(true);
    expect(assessEligibility(teacher({ role: 'middle_manager', years_at_school: 7 }), p).eligible).toBe(true);
    expect(assessEligibility(teacher({ role: 'teacher', years_at_school: 6 }), p).eligible).toBe(true);
  });

  it('an exemption makes the teacher exempt even as a volunteer', () => {
    const e = assessEligibility(teacher({ exemption: 'pregnancy', volunteer: true, gender: 'F', birth_year: 1990 }), policy);
    expect(e).toEqual({ status: 'exempt', eligible: false, mayMove: false, reason: '暂缓：怀孕', reasonEn: 'deferred: pregnancy' });
  });

  it('off-establishment staff never rotate, volunteers included', () => {
    const e = assessEligibility(teacher({ on_establishment: false, volunteer: true }), policy);
    expect(e).toEqual({ status: 'not_on_establishment', eligible: false, mayMove: false, reason: '不在编', reasonEn: 'not on establishment' });
  });

  it('a volunteer who is too old or too new may move but is not eligible', () => {
    const old = assessEligibility(teacher({ birth_year: 1970, volunteer: true }), policy);
    expect(old).toMatchObject({ status: 'too_old', eligible: false, mayMove: true });
    expect(old.reason).toBe('男56岁≥50；自愿交流');
    expect(old.reasonEn).toBe('male, age 56 ≥ 50; volunteer');
    const fresh = assessEligibility(teacher({ years_at_school: 2, volunteer: true }), policy);
    expect(fresh).toMatchObject({ status: 'too_few_years', eligible: false, mayMove: true, reason: '本校任教2年<6；自愿交流' });
  });

  it('an eligible volunteer is just eligible', () => {
    const e = assessEligibility(teacher({ volunteer: true }), policy);
    expect(e.status).toBe('eligible');
    expect(e.reason).not.toContain('自愿');
  });

  it('reports every failing condition, status names the age first', () => {
    const e = assessEligibility(teacher({ birth_year: 1970, years_at_school: 1 }), policy);
    expect(e.status).toBe('too_old');
    expect(e.reason).toBe('男56岁≥50；本校任教1年<6');
  });

  it('follows policy parameters (year, caps, tenure)', () => {
    const p = policySchema.parse({ year: 2030, eligibility: { teacherYearsAtSchool: 9, maxAge: { M: 55, F: 50 } } });
    expect(assessEligibility(teacher({ years_at_school: 8 }), p).eligible).toBe(false);
    const e = assessEligibility(teacher({ years_at_school: 9, birth_year: 1976 }), p); // 54 < 55
    expect(e.eligible).toBe(true);
    expect(e.reason).toBe('本校任教9年≥9；男54岁<55');
  });
});

describe('eligibilityTable', () => {
  it('maps every teacher id to its assessment', () => {
    const ts = [teacher({ id: '001' }), teacher({ id: '1', exemption: 'illness' }), teacher({ id: '002', years_at_school: 0 })];
    const m = eligibilityTable(ts, policy);
    expect(m.size).toBe(3);
    expect(m.get('001')?.eligible).toBe(true);
    expect(m.get('1')?.status).toBe('exempt');
    expect(m.get('1')?.reason).toBe('暂缓：患病');
    expect(m.get('002')?.status).toBe('too_few_years');
  });
});
