// Every problem found in the planner's input files, in the one shape the contract fixes:
// `file:line: column: what is wrong` (data-contract.md, "General rules").
//
// Conventions (also in the README):
// - `file` is the file name as uploaded (`teachers.csv`); for a workbook it is
//   `book.xlsx!sheet` so the planner can find the sheet.
// - `line` is 1-based: the header is line 1, data rows follow the FILE's line (or sheet row)
//   numbers, so a quoted multi-line cell reports the line its record starts on.
//   Line 0 means the problem concerns the whole file (missing, unreadable).
// - `column` is the canonical column name from the contract (`stage`, not `任教学段`), or the
//   dotted key path in policy.json, or `-` when no single column is at fault.
// - Messages never contain personal data: rows are named by line and id only.

export type InputError = {
  file: string;
  line: number;
  column: string;
  /** Chinese, for planners. */
  message: string;
  /** English, for logs and developers. */
  messageEn: string;
};

export function inputError(file: string, line: number, column: string, message: string, messageEn: string): InputError {
  return { file, line, column, message, messageEn };
}

export function formatInputError(e: InputError, lang: 'zh' | 'en' = 'zh'): string {
  return `${e.file}:${e.line}: ${e.column || '-'}: ${lang === 'en' ? e.messageEn : e.message}`;
}

/**
 * Orders errors as a planner reads them: by file (in the order given), then by line.
 * Stable, so errors on one line keep the order they were found in.
 */
export function sortInputErrors(errors: InputError[], fileOrder: (file: string) => number): InputError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => fileOrder(a.e.file) - fileOrder(b.e.file) || a.e.line - b.e.line || a.i - b.i)
    .map(({ e }) => e);
}
