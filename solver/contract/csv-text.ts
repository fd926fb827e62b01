// Every CSV the product writes goes through here: a text cell that starts like a spreadsheet
// formula (= + - @, tab, carriage return) gets a leading ' so Excel/WPS show it instead of running
// it (OWASP "CSV injection"). Ids never need it: the contract refuses ids that start that way
// (schemas.ts `code`), so plan.csv still reads back to the same teachers and schools.
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as written: formula-like text escaped with a leading apostrophe. */
export const safeCell = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** CSV text with a header row of `columns`; booleans as true/false. */
export function csvText<R extends object>(rows: readonly R[], columns: readonly string[]): string {
  return stringify(rows as R[], { header: true, columns: [...columns], cast: { string: safeCell, boolean: (v) => String(v) } });
}
