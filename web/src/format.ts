// Number formats shared by every page, so a figure reads the same on the KPI table, the audit
// and the chart labels (CV to 3 decimals as auditors recompute it, per-100 values to 2).
import type { Tone } from './dom.ts';
import { lang } from './i18n.ts';

const locale = () => (lang() === 'zh' ? 'zh-CN' : 'en-US');

export const int = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString(locale()));
export const num = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Up to `digits` decimals, trailing zeros dropped: 118.8, 1,188, 0.02. */
export const decimal = (n: number, digits = 2): string => n.toLocaleString(locale(), { maximumFractionDigits: digits });
export const pct = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(digits)}%`);
export const cv = (n: number | null | undefined): string => num(n, 3);
export const per100 = (n: number | null | undefined): string => num(n, 2);
export const signed = (n: number): string => (n > 0 ? `+${int(n)}` : n < 0 ? `−${int(-n)}` : '0');
/** A change with its sign and `digits` decimals (+0.012, −0.150); a change that rounds to nothing is 0. */
export function signedNum(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const r = Number(n.toFixed(digits));
  return r > 0 ? `+${num(r, digits)}` : r < 0 ? `−${num(-r, digits)}` : num(0, digits);
}

export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/**
 * Traffic light of a value against a requirement: green when met, red when not — a CV above its
 * limit or a share below the rule is a failure, however close. `higherIsBetter` false for CVs.
 */
export function lightFor(value: number | null | undefined, threshold: number, higherIsBetter: boolean): Tone {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'muted';
  const eps = 1e-9;
  return (higherIsBetter ? value >= threshold - eps : value <= threshold + eps) ? 'ok' : 'bad';
}

/** Share of schools meeting a per-100 threshold: all → green, ≥ 90% → amber (the only amber), else red. */
export function lightForShare(meeting: number, total: number): Tone {
  if (total === 0) return 'muted';
  if (meeting >= total) return 'ok';
  return meeting / total >= 0.9 ? 'warn' : 'bad';
}
