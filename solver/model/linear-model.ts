// A small engine-neutral linear model (MIP) and its three renderings: CPLEX LP text (for
// --export-lp and any other solver), the sparse arrays HiGHS takes, and javascript-lp-solver's
// JSON model (the independent cross-check on small models).

export interface ModelVar {
  /** What kind of column (x flow, u need, cu/cd CV step, slo/shi slack); its name is kind + index. */
  kind: string;
  lb: number;
  ub: number;
  cost: number;
  int: boolean;
}

export interface ModelRow {
  name: string;
  idx: number[];
  coef: number[];
  lb: number; // -Infinity when none
  ub: number; // +Infinity when none
}

export interface LinearModel {
  vars: ModelVar[];
  rows: ModelRow[];
  /** Constant added to the objective (kept out of the LP so every engine sees the same variables). */
  offset: number;
  /**
   * Continuous columns that take whole values in some optimal plan anyway (so declaring them
   * integer changes no optimum), worth declaring integer only when their row binds at the LP
   * optimum: the engine may then cut and branch on that row as a knapsack.
   */
  integralWhenBinding: IntegralGroup[];
}

export interface IntegralGroup {
  row: number;
  columns: number[];
}

export class ModelBuilder {
  readonly model: LinearModel = { vars: [], rows: [], offset: 0, integralWhenBinding: [] };

  addVar(kind: string, v: Partial<Omit<ModelVar, 'kind'>> = {}): number {
    this.model.vars.push({ kind, lb: v.lb ?? 0, ub: v.ub ?? Infinity, cost: v.cost ?? 0, int: v.int ?? false });
    return this.model.vars.length - 1;
  }

  /** Adds `lb ≤ Σ coef·x ≤ ub`. */
  addRow(name: string, terms: Terms, lb = -Infinity, ub = Infinity): void {
    this.model.rows.push({ name, idx: terms.idx, coef: terms.coef, lb, ub });
  }
}

/** The terms of one row, gathered column by column (two flat arrays: county rows hold 10⁵ terms). */
export class Terms {
  readonly idx: number[] = [];
  readonly coef: number[] = [];

  /** Adds coef·x_i; zero coefficients are dropped. A column may appear once per row. */
  add(i: number, c: number): this {
    if (Math.abs(c) > 1e-12) {
      this.idx.push(i);
      this.coef.push(c);
    }
    return this;
  }
}

/** A column's name in LP text and in javascript-lp-solver: unique, no allocation per column until rendered. */
export const varName = (m: LinearModel, i: number): string => `${m.vars[i]!.kind}${i}`;

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12))));

function linear(terms: [string, number][]): string {
  if (terms.length === 0) return '0 dummy_zero';
  const parts: string[] = [];
  terms.forEach(([name, c], k) => {
    const sign = c < 0 ? '-' : '+';
    const abs = Math.abs(c);
    const body = abs === 1 ? name : `${fmt(abs)} ${name}`;
    parts.push(k === 0 && sign === '+' ? body : `${sign} ${body}`);
  });
  // CPLEX LP readers limit line length: wrap every 8 terms.
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 8) lines.push(parts.slice(i, i + 8).join(' '));
  return lines.join('\n  ');
}

/** CPLEX LP text of the model (variables named as in the model, so a solution maps back by name). */
export function toLpText(m: LinearModel, title = 'lungang'): string {
  const name = (i: number) => varName(m, i);
  const out: string[] = [`\\ ${title}`, `\\ objective offset ${fmt(m.offset)} (constant part of the cost, not in the LP objective)`, 'Minimize', ` obj: ${linear(m.vars.flatMap((v, i) => (v.cost !== 0 ? [[name(i), v.cost] as [string, number]] : [])))}`, 'Subject To'];
  let usesDummy = false;
  for (const r of m.rows) {
    const terms = r.idx.map((i, k) => [name(i), r.coef[k]!] as [string, number]);
    if (terms.length === 0) usesDummy = true;
    const expr = linear(terms);
    if (r.lb === r.ub) out.push(` ${r.name}: ${expr} = ${fmt(r.lb)}`);
    else {
      if (Number.isFinite(r.lb)) out.push(` ${r.name}_lo: ${expr} >= ${fmt(r.lb)}`);
      if (Number.isFinite(r.ub)) out.push(` ${r.name}_up: ${expr} <= ${fmt(r.ub)}`);
    }
  }
  if (m.vars.every((v) => v.cost === 0)) usesDummy = true;
  out.push('Bounds');
  m.vars.forEach((v, i) => {
    const lo = Number.isFinite(v.lb) ? fmt(v.lb) : '-inf';
    const hi = Number.isFinite(v.ub) ? fmt(v.ub) : '+inf';
    out.push(` ${lo} <= ${name(i)} <= ${hi}`);
  });
  if (usesDummy) out.push(' dummy_zero = 0');
  const ints = m.vars.flatMap((v, i) => (v.int ? [name(i)] : []));
  if (ints.length > 0) {
    out.push('General');
    for (let i = 0; i < ints.length; i += 10) out.push(` ${ints.slice(i, i + 10).join(' ')}`);
  }
  out.push('End', '');
  return out.join('\n');
}

/** Column-wise (CSC) arrays, the shape HiGHS and the pricing step take; typed arrays cross worker boundaries cheaply. */
export interface SparseModel {
  numCols: number;
  numRows: number;
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Column j's entries are starts[j] … starts[j + 1] − 1 of indices (row numbers) and values. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  integrality: Uint8Array;
  integralWhenBinding: IntegralGroup[];
}

/** Transposes the row-wise model into columns (no argument spreading: county rows hold 10⁵ terms). */
export function toSparse(m: LinearModel): SparseModel {
  const n = m.vars.length;
  const starts = new Int32Array(n + 1);
  for (const r of m.rows) for (const i of r.idx) starts[i + 1]! += 1;
  for (let j = 0; j < n; j++) starts[j + 1]! += starts[j]!;
  const fill = starts.slice(0, n);
  const indices = new Int32Array(starts[n]!);
  const values = new Float64Array(starts[n]!);
  m.rows.forEach((r, row) => {
    r.idx.forEach((j, k) => {
      const at = fill[j]!++;
      indices[at] = row;
      values[at] = r.coef[k]!;
    });
  });
  return {
    numCols: n,
    numRows: m.rows.length,
    offset: m.offset,
    colCost: Float64Array.from(m.vars, (v) => v.cost),
    colLower: Float64Array.from(m.vars, (v) => v.lb),
    colUpper: Float64Array.from(m.vars, (v) => v.ub),
    rowLower: Float64Array.from(m.rows, (r) => r.lb),
    rowUpper: Float64Array.from(m.rows, (r) => r.ub),
    starts,
    indices,
    values,
    integrality: Uint8Array.from(m.vars, (v) => (v.int ? 1 : 0)),
    integralWhenBinding: m.integralWhenBinding,
  };
}

/** javascript-lp-solver's model format: constraints by name, each variable a map of its coefficients. */
export function toJsLpSolverModel(m: LinearModel): {
  optimize: string;
  opType: 'min';
  constraints: Record<string, { min?: number; max?: number }>;
  variables: Record<string, Record<string, number>>;
  ints: Record<string, 1>;
} {
  const constraints: Record<string, { min?: number; max?: number }> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  m.vars.forEach((v, i) => {
    variables[varName(m, i)] = { cost: v.cost };
    if (v.int) ints[varName(m, i)] = 1;
    // Variable bounds become one-variable constraints in this solver's format.
    if (v.lb !== 0 || Number.isFinite(v.ub)) {
      const key = `bound_${i}`;
      constraints[key] = {
        ...(v.lb !== 0 && Number.isFinite(v.lb) ? { min: v.lb } : {}),
        ...(Number.isFinite(v.ub) ? { max: v.ub } : {}),
      };
      variables[varName(m, i)]![key] = 1;
    }
  });
  m.rows.forEach((r, k) => {
    const key = `row_${k}`;
    constraints[key] = {
      ...(Number.isFinite(r.lb) ? { min: r.lb } : {}),
      ...(Number.isFinite(r.ub) ? { max: r.ub } : {}),
    };
    r.idx.forEach((i, j) => {
      variables[varName(m, i)]![key] = r.coef[j]!;
    });
  });
  return { optimize: 'cost', opType: 'min', constraints, variables, ints };
}

/** Objective of a column vector, including the offset. */
export function objectiveOf(m: LinearModel, x: ArrayLike<number>): number {
  let z = m.offset;
  m.vars.forEach((v, i) => {
    z += v.cost * (x[i] ?? 0);
  });
  return z;
}
