// Reads a PDF the way a person's tools do, with Poppler (test/ensure-system-tools.sh installs it):
// the text of each page, the fonts embedded, and whether every page renders to an image.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReadPdf {
  /** Each page's text in drawing order (pdftotext -raw), so a wrapped table cell stays together. */
  pages: string[];
  /** pdffonts' table. */
  fonts: string;
  /** PNG files pdftoppm wrote, one per page, and what it said on stderr. */
  rendered: number;
  renderErrors: string;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    await writeFile(file, bytes);
    const count = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]))?.[1] ?? 0);
    const pages = Array.from({ length: count }, (_, i) => run('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', String(i + 1), '-l', String(i + 1), file, '-']));
    const fonts = run('pdffonts', [file]);
    const ppm = spawnSync('pdftoppm', ['-png', '-r', '30', file, join(dir, 'page')], { encoding: 'utf8' });
    const renderErrors = `${ppm.status === 0 ? '' : `exit ${ppm.status} `}${ppm.stderr}`.trim();
    const rendered = (await readdir(dir)).filter((f) => f.endsWith('.png')).length;
    return { pages, fonts, rendered, renderErrors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Text without any whitespace: table cells wrap their text over lines at any character. */
export const squash = (s: string) => s.replace(/\s+/g, '');
