// The audit page's cards for what the moves carry and for the size caps, drawn from the lines the
// workbook and the PDF render too (audit-carriers-lines.ts): each with numerator and denominator,
// per county; then the schools failing the class-size or school-size cap, with their numbers.
import type { AuditDocument } from '../api.ts';
import { CAPS_STANDARD, capFailureLines, capsSummary, carrierLines, carriersNote, countyBlocks } from '../audit-carriers-lines.ts';
import { card, h, pill } from '../dom.ts';
import { decimal, int, pct } from '../format.ts';
import { L } from '../i18n.ts';

export function carriersCard(doc: AuditDocument): HTMLElement {
  const { blocks, multi } = countyBlocks(doc, L('全部', 'All'));
  return card(L('交流方式、载体与成效', 'Kinds of move, carriers and what they bring'),
    h('p', { class: 'muted small' }, L(...carriersNote(doc.policy))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'audit-carriers' },
      h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('项目', 'Measure')),
        h('th', { class: 'num' }, L('分子', 'Numerator')), h('th', { class: 'num' }, L('分母', 'Denominator')), h('th', null, L('结果', 'Value')))),
      h('tbody', null, blocks.flatMap(({ label, c }) => carrierLines(c, doc.policy).map((x) => h('tr', { 'data-row': x.key, 'data-county': label },
        multi ? h('td', null, label) : null, h('td', null, L(...x.label)), h('td', { class: 'num' }, decimal(x.numerator)), h('td', { class: 'num' }, int(x.denominator)),
        h('td', { class: 'strong' }, x.value ? L(...x.value) : x.denominator > 0 ? pct(x.numerator / x.denominator) : '—'))))))));
}

/** The class-size and school-size caps: how many schools fail each, and each failing school with its numbers. */
export function capsCard(doc: AuditDocument): HTMLElement {
  const rows = doc.school_caps.schools;
  const multi = new Set(rows.map((r) => r.county)).size > 1;
  const failing = capFailureLines(rows);
  return card(L('班额与学校规模', 'Class size and school size'),
    h('p', { class: 'muted small', 'data-testid': 'caps-summary' }, L(...CAPS_STANDARD), L('', ' '), L(...capsSummary(rows))),
    failing.length === 0 ? pill(L('全部学校符合', 'Every school within the caps'), 'ok')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'caps-failing' },
        h('thead', null, h('tr', null, multi ? h('th', null, L('县区', 'County')) : null, h('th', null, L('学校', 'School')), h('th', null, L('项目', 'Cap')),
          h('th', { class: 'num' }, L('实际', 'Actual')), h('th', { class: 'num' }, L('上限', 'Limit')))),
        h('tbody', null, failing.map((f) => h('tr', { class: 'row-fail', 'data-school': f.row.school_id, 'data-cap': f.cap },
          multi ? h('td', null, f.row.county) : null, h('td', null, f.row.school_name ?? f.row.school_id, h('span', { class: 'mono small muted' }, ` ${f.row.school_id}`)),
          h('td', null, L(...f.what)), h('td', { class: 'num' }, decimal(f.actual, 1)), h('td', { class: 'num' }, int(f.max))))))));
}
