// The bad-input corpus: each test/bad-inputs/<case>/ holds files that replace the tiny county's
// (test/fixtures/tiny) plus expect.txt, the prefix the first reported error must start with.
// Each case is run the way a planner's upload arrives: the tiny county copied to a directory,
// the case's files laid over it, everything read back and handed to loadDataset.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny');
const CORPUS = join(import.meta.dirname, 'bad-inputs');
const CASES = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const work = mkdtempSync(join(tmpdir(), 'lungang-bad-inputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const readDir = (dir: string) =>
  readdirSync(dir).map((name) => ({ name, content: new Uint8Array(readFileSync(join(dir, name))) }));

/** Teacher names of the tiny county: none may ever appear in an error message. */
const NAMES = readFileSync(join(TINY, 'teachers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1] ?? '');

describe('bad-input corpus', () => {
  it('has enough cases, each with expect.txt and only files that replace the tiny county', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(32);
    for (const c of CASES) {
      const files = readdirSync(join(CORPUS, c));
      expect(files, c).toContain('expect.txt');
      expect(readFileSync(join(CORPUS, c, 'expect.txt'), 'utf8').trim(), c).toMatch(/^\S+:\d+: \S+:/);
      for (const f of files) expect(f, c).toMatch(/^(expect\.txt|schools\.csv|teachers\.csv|needs\.csv|preferences\.csv|locks\.csv|policy\.json|[\w-]+\.xlsx)$/);
    }
  });

  it('the tiny county itself loads', async () => {
    const r = await loadDataset(readDir(TINY));
    expect(r.ok ? [] : r.errors.map((e) => formatInputError(e))).toEqual([]);
  });

  it.each(CASES)('%s', async (name) => {
    const dir = join(work, name);
    cpSync(TINY, dir, { recursive: true });
    for (const f of readdirSync(join(CORPUS, name))) if (f !== 'expect.txt') cpSync(join(CORPUS, name, f), join(dir, f));
    const expected = readFileSync(join(CORPUS, name, 'expect.txt'), 'utf8').replace(/\r?\n$/, '');
    const r = await loadDataset(readDir(dir));
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.map((e) => formatInputError(e));
    expect(errors.some((e) => e.startsWith(expected)), errors.join('\n')).toBe(true);
    expect(errors[0], errors.join('\n')).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const all = r.ok ? '' : r.errors.map((e) => `${e.message}\n${e.messageEn}`).join('\n');
    for (const n of NAMES) expect(all).not.toContain(n);
  });
});
