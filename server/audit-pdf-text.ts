// The words and number formats of the audit PDF in Chinese and English. The audit screen keeps
// its labels in web/src/i18n.ts, which the server cannot import; these are the same words, and
// a rule's own name, clause and figures come from the rule (Chinese, or its *_en fields).
import { MODE_LABELS } from '../solver/contract/labels.ts';

export type PdfLang = 'zh' | 'en';

type Pair = readonly [zh: string, en: string];
const pairs = <K extends string>(o: Record<K, Pair>) => o;

const WORDS = pairs({
  title: ['教师交流轮岗方案审计报告', 'Teacher rotation plan — audit report'],
  run: ['运行', 'Run'],
  handPlan: ['手工方案', 'Hand-made plan'],
  page: ['第 {x} / {y} 页', 'Page {x} / {y}'],
  trace: ['审计对象', 'What was audited'],
  subject: ['对象', 'Subject'],
  dataset: ['数据集', 'Dataset'],
  datasetHash: ['数据集内容哈希', 'Dataset content hash'],
  planHash: ['方案 plan.csv 哈希', 'plan.csv hash'],
  planRows: ['方案行数', 'Plan rows'],
  policyHash: ['政策参数哈希', 'Policy hash'],
  resultHash: ['结果校验码', 'Result hash'],
  status: ['方案状态', 'Plan status'],
  auditedAt: ['审计时间', 'Audited at'],
  auditedBy: ['审计人', 'Audited by'],
  hashNote: ['哈希均为 SHA-256；页眉页脚逐页重复，纸质副本可据此对应到所审计的输入。', 'Hashes are SHA-256; every page repeats them so a paper copy can be traced to the exact inputs audited.'],
  verdict: ['审核结论', 'Verdict'],
  allPass: ['全部通过', 'All pass'],
  fails: ['未通过', 'Fails'],
  counts: ['结论与人数', 'Verdict and counts'],
  item: ['项目', 'Item'],
  value: ['数值', 'Value'],
  note: ['说明', 'Note'],
  teachers: ['在册教师', 'Teachers on roster'],
  eligible: ['符合交流条件', 'Eligible'],
  rotated: ['交流人数', 'Rotated'],
  counted: ['计入交流比例的人数', 'Counted toward the rotation share'],
  rotationRate: ['交流比例（计入人数 / 符合条件）', 'Rotation share (counted / eligible)'],
  backbone: ['骨干教师（计入人数中）', 'Backbone (among counted)'],
  backboneShare: ['骨干占比', 'Backbone share'],
  toward: ['流向乡村/薄弱学校', 'Toward rural/weak schools'],
  transfers: ['带编调动人数', 'Transfers (post moves along)'],
  transferRate: ['带编流动率（调动 / 在编教师）', 'Transfer rate (transfers / on establishment)'],
  required: ['要求', 'Required'],
  byMode: ['按交流方式', 'By mode'],
  mode: ['交流方式', 'Mode'],
  people: ['人数', 'Moves'],
  modeBackbone: ['其中骨干', 'Of which backbone'],
  countsTowardShare: ['计入交流比例', 'Counts toward share'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
  rules: ['规则检查', 'Rule checks'],
  rulesNote: ['每条规则列出分子、分母、要求值与实际值，以及所依据的文件条款。', 'Each rule with its numerator, denominator, requirement, actual value and the clause it rests on.'],
  rule: ['规则', 'Rule'],
  county: ['县区', 'County'],
  allCounties: ['全部', 'all'],
  // Short in English: the columns hold a number, and the full word would break mid-word.
  numerator: ['分子', 'Num.'],
  denominator: ['分母', 'Denom.'],
  actual: ['实际', 'Actual'],
  result: ['结果', 'Result'],
  clause: ['依据条款', 'Clause'],
  pass: ['通过', 'Pass'],
  fail: ['不通过', 'Fail'],
  failDetails: ['未通过规则的明细', 'Details of the failing rules'],
  moreDetails: ['另有 {n} 项未列出（完整明细见 report.json 或 Excel 工作簿）。', '{n} more not listed (see report.json or the XLSX workbook for all).'],
  outflow: ['各校调出上限', 'Outflow cap per school'],
  outflowNote: ['每校调出人数不超过交流前教师数的规定比例（向下取整）。', 'Each school loses at most the set share of its teachers before the plan (rounded down).'],
  schoolId: ['学校代码', 'School code'],
  school: ['学校', 'School'],
  before: ['交流前', 'Before'],
  after: ['交流后', 'After'],
  out: ['调出', 'Out'],
  in: ['调入', 'In'],
  cap: ['上限', 'Cap'],
  quota: ['各校编制', 'Staffing quota per school'],
  quotaNote: ['交流后教师数不超过 max(核定编制, 交流前教师数)：已超编的学校可保留现有教师，但不得再增加。标 * 的编制按师生比推算。', 'Teachers after the plan ≤ max(quota, teachers before): a school already over quota keeps its staff but may not add to it. A quota marked * is derived from the staff:student ratio.'],
  quotaCol: ['编制', 'Quota'],
  limit: ['上限', 'Limit'],
  excess: ['超出', 'Excess'],
  carriers: ['交流方式、载体与成效', 'Kinds of move, carriers and what they bring'],
  caps: ['班额与学校规模', 'Class size and school size'],
  capsNone: ['全部学校符合。', 'Every school is within the caps.'],
  returns: ['期满返回', 'Returns at the end of a term'],
  returnsNote: ['支教、顶岗培养任期在本学年开始时届满的教师返回原校：{n} 人。返回单列，不计入交流人数（returns.csv）。', 'Teachers whose support or shadow-training term ends as the school year begins go back to their home school: {n}. Returns are listed apart and never count as rotations (returns.csv).'],
  returnsNone: ['本学年没有期满返回的教师。', 'No term ends this year.'],
  hostHome: ['任教学校 → 原学校', 'Host → home school'],
  term: ['任期', 'Term'],
  historyChecks: ['交流记录核查', 'History checks'],
  historyNote: ['按交流记录（history.csv）加本方案核查纸面交流与超期暂缓：{n} 项核查，{found} 项有发现。这些是供审核员核实的发现，不改变审核结论。', 'Paper rotations and deferrals past the limit, checked over history.csv plus this plan: {n} checks, {found} with findings. These are findings for the auditor to look into; they do not change the audit verdict.'],
  noneFound: ['未发现', 'None found'],
  yearsWhat: ['年份与经过', 'Years and what happened'],
  teacher: ['教师', 'Teacher'],
  cvSummary: ['差异系数汇总', 'CV summary'],
  cvSummaryNote: ['每个学段、每项指标的学生数加权差异系数，交流前后对比（R、X̄ 为交流后；交流不改变全县总数）。', 'Student-weighted CV per stage and indicator, before and after (R and X̄ after the plan; moves do not change county totals).'],
  stage: ['学段', 'Stage'],
  indicator: ['指标', 'Indicator'],
  schools: ['学校数', 'Schools'],
  sBefore: ['S 交流前', 'S before'],
  sAfter: ['S 交流后', 'S after'],
  cvBefore: ['CV 交流前', 'CV before'],
  cvAfter: ['CV 交流后', 'CV after'],
  met: ['达标', 'Met'],
  notMet: ['未达标', 'Not met'],
  cvTrace: ['差异系数复算（交流后）', 'CV recomputation (after the plan)'],
  cvTraceNote: ['学生数加权（教督〔2017〕6号）；X 为每百名学生教师数。每个学段 × 指标逐校列出 P_i、R_i、X_i、P_i/P 与平方项，读者可据此复算报告中的差异系数。', 'Student-weighted (教督〔2017〕6号); X is teachers per 100 students. For each stage × indicator, every school\'s P_i, R_i, X_i, P_i/P and squared term, so a reader can recompute the CV in the report.'],
  total: ['合计', 'Total'],
  cvLine: ['学校数 n = {n}；P = {P}；X̄ = {mean}；S = {S}；CV = {cv}（上限 {max}，{ok}）；{agree}', 'Schools n = {n}; P = {P}; X̄ = {mean}; S = {S}; CV = {cv} (limit {max}, {ok}); {agree}'],
  agrees: ['与报告一致（{cv}）✓', 'matches the report ({cv}) ✓'],
  reportSays: ['报告值 {cv}', 'report says {cv}'],
  leftOut: ['不计入差异系数的学校 {n} 所（无学生或不足 50 人的教学点）：', '{n} schools left out of the CV (no students, or teaching points under 50): '],
});

const LABELS = {
  stage: { primary: ['小学', 'Primary'], junior: ['初中', 'Junior'] },
  mode: MODE_LABELS,
  indicator: { aboveDegree: ['高于规定学历教师', 'Above-degree teachers'], backbone: ['县级以上骨干教师', 'Backbone teachers'], peArt: ['体育艺术专任教师', 'PE & art teachers'] },
  status: { optimal: ['最优', 'Optimal'], feasible: ['可行（未证最优）', 'Feasible (not proven optimal)'], infeasible: ['无可行方案', 'Infeasible'] },
} satisfies Record<string, Record<string, Pair>>;

export type Words = Record<keyof typeof WORDS, string>;

/** The PDF's words, numbers and labels in one language. */
export function pdfText(lang: PdfLang) {
  const at = lang === 'zh' ? 0 : 1;
  const w = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, (v as Pair)[at]])) as Words;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const fixed = (n: number | null | undefined, digits: number) =>
    n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const label = (kind: keyof typeof LABELS, code: string | null | undefined) =>
    code ? ((LABELS[kind] as Record<string, Pair>)[code]?.[at] ?? code) : '—';
  return {
    w,
    lang,
    /** Fills {name} slots of a word. */
    fill: (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? '')),
    int: (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString(locale)),
    num: fixed,
    /** 差异系数 to 3 decimals, as auditors recompute it (web/src/format.ts cv). */
    cv: (n: number | null | undefined) => fixed(n, 3),
    pct: (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(digits)}%`),
    time: (iso: string) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    },
    stage: (code: string) => label('stage', code),
    mode: (code: string) => label('mode', code),
    indicator: (code: string) => label('indicator', code),
    status: (code: string | null) => label('status', code),
    passFail: (ok: boolean) => (ok ? w.pass : w.fail),
    /** "label：value" in Chinese, "label: value" in English. */
    labelled: (label: string, value: string) => (lang === 'zh' ? `${label}：${value}` : `${label}: ${value}`),
    /** Text in parentheses, full-width in Chinese. */
    paren: (text: string) => (lang === 'zh' ? `（${text}）` : ` (${text})`),
    list: (items: string[]) => items.join(lang === 'zh' ? '、' : ', '),
  };
}

export type PdfText = ReturnType<typeof pdfText>;
