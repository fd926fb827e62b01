// The audit's two tables: every rule with numerator, denominator, requirement, actual value,
// pass/fail and the clause it comes from; and the 差异系数 recomputed in front of the reader —
// per school P_i, R_i, X_i, then X̄, S and CV — next to the value in the report.
import type { Report } from '../api.ts';
import { type Child, h, mount, pill, select } from '../dom.ts';
import { cv, int, num } from '../format.ts';
import { L, indicatorLabel, lang, ruleText, stageLabel } from '../i18n.ts';

type Rule = Report['rules'][number];
type SchoolRow = Report['indicators']['schools'][number];
/** The part of a report or audit document the 差异系数 tables read. */
type WithIndicators = Pick<Report, 'indicators'>;
type Side = 'before' | 'after';
const R_KEY = { aboveDegree: 'above_degree', backbone: 'backbone', peArt: 'pe_art' } as const;
type Indicator = keyof typeof R_KEY;
const PRINTED_DETAILS = 12;

export function rulesTable(rules: readonly Rule[], testid = 'rules-table'): HTMLElement {
  const counties = new Set(rules.map((r) => r.county).filter(Boolean));
  // Column classes let the print stylesheet fix the widths (A4 landscape), so no column is squeezed.
  const cols = ['rule', counties.size > 1 ? 'county' : null, 'num', 'num', 'required', 'actual', 'result', 'clause'].filter((c) => c !== null);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data rules-table', 'data-testid': testid },
    h('colgroup', null, cols.map((c) => h('col', { class: `c-${c}` }))),
    h('thead', null, h('tr', null,
      h('th', null, L('规则', 'Rule')), counties.size > 1 ? h('th', null, L('县区', 'County')) : null,
      // Short English heads: the printed column is narrow; the full word is the tooltip.
      h('th', { class: 'num', title: L('分子', 'Numerator') }, L('分子', 'Num.')), h('th', { class: 'num', title: L('分母', 'Denominator') }, L('分母', 'Denom.')),
      h('th', null, L('要求', 'Required')), h('th', null, L('实际', 'Actual')), h('th', null, L('结果', 'Result')), h('th', null, L('依据条款', 'Clause')))),
    h('tbody', null, rules.map((r) => {
      const text = ruleText(r);
      const details = text.details;
      return h('tr', { 'data-rule': r.id, 'data-ok': String(r.ok), class: r.ok ? '' : 'row-fail' },
        // The rule's report.json id is a tooltip: the page and the paper speak the reader's language only.
        h('td', { title: `report.json: ${r.id}` }, h('div', null, text.name),
          !r.ok && details.length > 0 ? h('details', { class: 'rule-details' }, h('summary', null, L(`${details.length} 项明细`, `${details.length} item(s)`)),
            h('ul', null, details.slice(0, 100).map((d) => h('li', null, d)))) : null,
          // On paper the findings cannot be unfolded: the first ones are printed under the rule.
          !r.ok && details.length > 0 ? h('ul', { class: 'print-only rule-details-print' }, details.slice(0, PRINTED_DETAILS).map((d) => h('li', null, d)),
            details.length > PRINTED_DETAILS ? h('li', null, L(`……共 ${details.length} 项`, `… ${details.length} in all`)) : null) : null),
        counties.size > 1 ? h('td', null, r.county ?? L('全部', 'all')) : null,
        h('td', { class: 'num' }, r.numerator === undefined ? '—' : int(r.numerator)),
        h('td', { class: 'num' }, r.denominator === undefined ? '—' : int(r.denominator)),
        h('td', { class: 'rule-figure' }, text.required), h('td', { class: 'rule-figure' }, text.actual),
        h('td', null, pill(r.ok ? L('通过', 'Pass') : L('不通过', 'Fail'), r.ok ? 'ok' : 'bad')),
        h('td', { class: 'clause' }, text.clause));
    }))));
}

export function cvTrace(report: WithIndicators, initial: { county: string; stage: string; indicator: string; side: string }, onChange: (v: Record<string, string>) => void): HTMLElement {
  const el = h('div', { class: 'cv-trace' });
  const counties = [...new Set(report.indicators.cv.map((x) => x.county))];
  const st = {
    county: counties.includes(initial.county) ? initial.county : counties[0] ?? '',
    stage: initial.stage === 'junior' ? 'junior' : 'primary',
    indicator: (initial.indicator in R_KEY ? initial.indicator : 'backbone') as Indicator,
    side: (initial.side === 'before' ? 'before' : 'after') as Side,
  };
  const render = () => {
    onChange({ county: counties.length > 1 ? st.county : '', stage: st.stage, indicator: st.indicator, side: st.side });
    const rows = report.indicators.schools.filter((s) => s.county === st.county && s.stage === st.stage);
    const inScope = rows.filter((s) => s.in_cv_scope);
    const left = rows.filter((s) => !s.in_cv_scope);
    const R = (s: SchoolRow) => s[st.side][R_KEY[st.indicator]];
    const P = inScope.reduce((a, s) => a + s.students, 0);
    const sumR = inScope.reduce((a, s) => a + R(s), 0);
    const mean = P > 0 ? (100 * sumR) / P : null;
    const terms = inScope.map((s) => {
      const x = (100 * R(s)) / s.students;
      return { s, x, w: s.students / P, t: mean === null ? 0 : (s.students / P) * (x - mean) ** 2 };
    });
    const S = Math.sqrt(terms.reduce((a, t) => a + t.t, 0));
    const ours = mean ? S / mean : null;
    const reported = report.indicators.cv.find((x) => x.county === st.county && x.stage === st.stage && x.indicator === st.indicator);
    const theirs = reported?.[st.side].cv ?? null;
    const max = reported?.max ?? null;
    const agree = ours !== null && theirs !== null && Math.abs(ours - theirs) < 5e-4;
    const ok = ours !== null && max !== null && ours <= max + 1e-9;
    const controls: Child[] = [
      counties.length > 1 ? select(counties.map((c) => ({ value: c, label: c })), st.county, (v) => { st.county = v; render(); }) : null,
      select([{ value: 'primary', label: stageLabel('primary') }, { value: 'junior', label: stageLabel('junior') }], st.stage, (v) => { st.stage = v; render(); }, { 'data-testid': 'trace-stage' }),
      select((Object.keys(R_KEY) as Indicator[]).map((k) => ({ value: k, label: indicatorLabel(k) })), st.indicator, (v) => { st.indicator = v; render(); }, { 'data-testid': 'trace-indicator' }),
      select([{ value: 'before' as Side, label: L('交流前', 'Before the plan') }, { value: 'after' as Side, label: L('交流后', 'After the plan') }], st.side, (v) => { st.side = v; render(); }, { 'data-testid': 'trace-side' }),
    ];
    mount(el,
      h('div', { class: 'filters no-print' }, controls),
      h('div', { class: 'formula' },
        h('code', null, 'X_i = 100·R_i / P_i'), h('code', null, 'X̄ = 100·ΣR_i / ΣP_i'), h('code', null, 'S = √Σ (P_i/P)(X_i − X̄)²'), h('code', null, 'CV = S / X̄'),
        h('span', { class: 'muted small' }, L('学生数加权（教督〔2017〕6号）；X 为每百名学生教师数。', 'Student-weighted (教督〔2017〕6号); X is teachers per 100 students.'))),
      h('div', { class: 'kpis kpis-5 compact', 'data-testid': 'trace-result' },
        h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, L('学校数 n', 'Schools n')), h('div', { class: 'kpi-value' }, int(inScope.length))),
        h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, 'P = ΣP_i'), h('div', { class: 'kpi-value' }, int(P))),
        h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, 'X̄'), h('div', { class: 'kpi-value' }, num(mean, 3))),
        h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, 'S'), h('div', { class: 'kpi-value' }, num(S, 3))),
        h('div', { class: `kpi kpi-${ok ? 'ok' : 'bad'}` }, h('div', { class: 'kpi-label' }, L(`CV（上限 ${num(max, 2)}）`, `CV (limit ${num(max, 2)})`)),
          h('div', { class: 'kpi-value', 'data-testid': 'trace-cv' }, cv(ours)),
          h('div', { class: 'kpi-sub' }, agree ? L(`与报告一致（${cv(theirs)}）✓`, `matches the report (${cv(theirs)}) ✓`) : L(`报告值 ${cv(theirs)}`, `report says ${cv(theirs)}`)))),
      h('div', { class: 'table-wrap scroll-y tall' }, h('table', { class: 'data compact', 'data-testid': 'trace-table' },
        h('thead', null, h('tr', null, h('th', null, L('学校', 'School')), h('th', { class: 'num' }, 'P_i'), h('th', { class: 'num' }, 'R_i'),
          h('th', { class: 'num' }, 'X_i'), h('th', { class: 'num' }, 'P_i/P'), h('th', { class: 'num' }, '(P_i/P)(X_i−X̄)²'))),
        h('tbody', null, terms.map((t) => h('tr', null, h('td', null, t.s.school_name ?? t.s.school_id), h('td', { class: 'num' }, int(t.s.students)),
          h('td', { class: 'num' }, int(R(t.s))), h('td', { class: 'num' }, num(t.x, 3)), h('td', { class: 'num' }, num(t.w, 4)), h('td', { class: 'num' }, num(t.t, 4))))),
        h('tfoot', null, h('tr', null, h('th', null, L('合计', 'Total')), h('th', { class: 'num' }, int(P)), h('th', { class: 'num' }, int(sumR)),
          h('th', { class: 'num' }, `X̄ = ${num(mean, 3)}`), h('th', { class: 'num' }, '1.0000'), h('th', { class: 'num' }, `S² = ${num(S * S, 4)}`))))),
      left.length > 0 ? h('p', { class: 'muted small' }, L(`不计入差异系数的学校 ${left.length} 所（无学生或不足 50 人的教学点）：`, `${left.length} schools left out of the CV (no students, or teaching points under 50): `),
        left.map((s) => s.school_name ?? s.school_id).join(lang() === 'zh' ? '、' : ', ')) : null);
  };
  render();
  return el;
}

/** Every 差异系数 of the report at a glance (the trace below shows one of them school by school). */
export function cvSummary(report: WithIndicators): HTMLElement {
  const counties = new Set(report.indicators.cv.map((x) => x.county));
  const okPill = (ok: boolean | null) => (ok === null ? '—' : pill(ok ? L('达标', 'Met') : L('未达标', 'Not met'), ok ? 'ok' : 'bad'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'cv-summary' },
    h('thead', null, h('tr', null,
      counties.size > 1 ? h('th', null, L('县区', 'County')) : null, h('th', null, L('学段', 'Stage')), h('th', null, L('指标', 'Indicator')),
      h('th', { class: 'num' }, L('学校数', 'Schools')), h('th', { class: 'num' }, 'P'), h('th', { class: 'num' }, 'R'), h('th', { class: 'num' }, 'X̄'),
      h('th', { class: 'num' }, L('S 交流前', 'S before')), h('th', { class: 'num' }, L('S 交流后', 'S after')),
      h('th', { class: 'num' }, L('CV 交流前', 'CV before')), h('th', { class: 'num' }, L('CV 交流后', 'CV after')), h('th', { class: 'num' }, L('上限', 'Limit')), h('th', null, L('交流后', 'After')))),
    h('tbody', null, report.indicators.cv.map((x) => h('tr', { 'data-cv': `${x.stage}-${x.indicator}` },
      counties.size > 1 ? h('td', null, x.county) : null, h('td', null, stageLabel(x.stage)), h('td', null, indicatorLabel(x.indicator)),
      h('td', { class: 'num' }, int(x.schools)), h('td', { class: 'num' }, int(x.students)), h('td', { class: 'num' }, int(x.after.teachers)),
      h('td', { class: 'num' }, num(x.after.mean_per100, 3)), h('td', { class: 'num' }, num(x.before.sd_per100, 3)), h('td', { class: 'num' }, num(x.after.sd_per100, 3)),
      h('td', { class: 'num' }, cv(x.before.cv)), h('td', { class: 'num strong' }, cv(x.after.cv)), h('td', { class: 'num' }, num(x.max, 2)), h('td', null, okPill(x.after.ok)))))));
}
