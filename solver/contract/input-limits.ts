// What one upload may hold, checked before the work it would cost is done (README "Limits").
// A county of 50,000 teachers is ≈ 6 MB of CSV and far inside every number here; each limit
// is there so a hostile or careless file fails fast with a clear error instead of tying up a worker.
export const INPUT_LIMITS = {
  /** Data rows per table (CSV file or sheet). */
  rows: 200_000,
  /** Columns per table. */
  columns: 100,
  /** Bytes in one CSV line (UTF-8: a Chinese character is 3; a record may span lines inside quotes, each counts). */
  lineBytes: 64 * 1024,
  /** Characters in one cell. */
  cellChars: 2_000,
  /** Errors listed per upload; the rest are counted in one last line. */
  errors: 200,
  /** A workbook: entries, their declared uncompressed bytes in total, and compression ratio per entry. */
  xlsxEntries: 2_000,
  xlsxUncompressedBytes: 200 * 1024 * 1024,
  xlsxRatio: 200,
} as const;

/** 200000 → "200,000": messages name each limit with its number and unit. */
export const fmtCount = (n: number): string => n.toLocaleString('en');
