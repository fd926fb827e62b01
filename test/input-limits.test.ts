// Limits checked before the work (issue 9): huge row counts, huge lines, huge cells, endless
// error lists and zip bombs each end in one clear error — never a crash, a stall or a 100 MB reply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';
import { INPUT_LIMITS } from '../solver/contract/input-limits.ts';
import { readCsv } from '../solver/contract/read-csv.ts';
import { zipProblem } from '../solver/contract/zip-guard.ts';
import { zip } from './helpers/zip.ts';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny');
const tiny = (name: string) => ({ name, content: new Uint8Array(readFileSync(join(TINY, name))) });
const SCHOOLS = tiny('schools.csv');

describe('CSV limits', () => {
  it('a million one-cell rows: one error at the first line past the limit, before parsing', () => {
    const r = readCsv('teachers.csv', `id\n${'x\n'.repeat(1_000_000)}`);
    expect(r.table).toBeUndefined();
    expect(r.errors.map((e) => formatInputError(e))).toEqual([`teachers.csv:${INPUT_LIMITS.rows + 2}: -: 超出上限：超过 200,000 行数据`]);
  });

  it('a million blank lines count as lines too', () => {
    expect(readCsv('teachers.csv', `id\n${'\n'.repeat(1_000_000)}`).errors[0]!.message).toMatch(/超过 200,000 行/);
  });

  it('a 19 MB line: one error naming its line and size', () => {
    const r = readCsv('schools.csv', `id,name\nS1,${'长'.repeat(19 * 1024 * 1024 / 3)}\n`);
    expect(r.errors).toHaveLength(1);
    expect(formatInputError(r.errors[0]!)).toMatch(/^schools\.csv:2: -: 超出上限：本行 19,922,9\d\d 字节，单行上限 64 KB$/);
  });

  it('too many columns and a too long cell are errors with their place', () => {
    expect(readCsv('schools.csv', `${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}\n`).errors[0]!.message).toBe('超出上限：表头有 101 列，超过上限 100 列');
  });

  it('a cell longer than the limit names its row and column', async () => {
    const lines = new TextDecoder().decode(SCHOOLS.content).split('\n');
    lines[1] = lines[1]!.replace('城关第一小学', '城'.repeat(INPUT_LIMITS.cellChars + 1));
    const r = await loadDataset([{ name: 'schools.csv', content: lines.join('\n') }, tiny('teachers.csv')]);
    expect(r.ok ? [] : r.errors.map((e) => formatInputError(e))).toContain('schools.csv:2: name: 超出上限：单元格 2,001 个字符，上限 2,000');
  });

  it('50,000 bad rows: the first 200 errors and one line counting the rest', async () => {
    const head = new TextDecoder().decode(tiny('teachers.csv').content).split('\n')[0]!;
    const bad = `${head}\n${Array.from({ length: 50_000 }, (_, i) => `T${i},某,0101,high,chinese,,F,1990,teacher,1,3,none,none,bachelor,0,1,,0,,`).join('\n')}\n`;
    const r = await loadDataset([SCHOOLS, { name: 'teachers.csv', content: bad }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(INPUT_LIMITS.errors + 1);
    expect(formatInputError(r.errors.at(-1)!)).toMatch(/^-:0: -: 另有 [\d,]+ 处错误未列出（只列出前 200 处）$/);
  });
});

describe('workbook (zip) limits, before the workbook reader inflates anything', () => {
  it('a real workbook passes', () => {
    expect(zipProblem(readFileSync(join(import.meta.dirname, 'bad-inputs', 'xlsx-bad-stage', 'county.xlsx')))).toBeNull();
  });

  it('an honest bomb (two entries declaring 1 GiB each) is refused by its declared size', () => {
    const tiny = deflateRawSync(Buffer.alloc(1000));
    const bomb = zip([{ name: 'xl/media/a.png', data: tiny, method: 8, size: 2 ** 30 }, { name: 'xl/media/b.png', data: tiny, method: 8, size: 2 ** 30 }]);
    expect(zipProblem(new Uint8Array(bomb))?.[0]).toBe('工作簿解压后过大（超过 200 MB）');
  });

  it('a 20 MB entry of zeros (ratio ≈ 1000) is refused by its ratio', () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    expect(zipProblem(zip([{ name: 'xl/media/z.bin', data: deflateRawSync(zeros), method: 8, size: zeros.length }]))?.[0]).toMatch(/压缩比异常（[\d,]+ 倍，上限 200），疑似压缩炸弹/);
  });

  it('a lying entry (declares 1 KB, inflates to 1 MB) is refused without inflating past 1 KB', () => {
    const data = deflateRawSync(Buffer.alloc(1024 * 1024, 7));
    expect(zipProblem(zip([{ name: 'xl/sharedStrings.xml', data, method: 8, size: 1024 }]))?.[0]).toBe('工作簿内部条目的实际大小与声明不符，疑似压缩炸弹');
  });

  it('too many entries, and a file that is not a zip', () => {
    const many = Array.from({ length: INPUT_LIMITS.xlsxEntries + 1 }, (_, i) => ({ name: `e${i}`, data: Buffer.from('x'), method: 0, size: 1 }));
    expect(zipProblem(zip(many))?.[0]).toBe('工作簿内部条目过多（2,001 个，上限 2,000）');
    expect(zipProblem(new TextEncoder().encode('id,name\n'))?.[0]).toBe('无法读取 Excel 工作簿：文件损坏或不是 .xlsx 格式（.xls 请另存为 .xlsx）');
  });

  it('the upload path reports the bomb as the workbook\'s error and stores nothing', async () => {
    const tinyEntry = deflateRawSync(Buffer.alloc(1000));
    const bomb = zip([{ name: 'xl/media/a.png', data: tinyEntry, method: 8, size: 2 ** 30 }]);
    const r = await loadDataset([{ name: 'county.xlsx', content: bomb }]);
    expect(r.ok ? [] : r.errors.map((e) => formatInputError(e))).toContain('county.xlsx:0: -: 工作簿解压后过大（超过 200 MB）');
  });
});
