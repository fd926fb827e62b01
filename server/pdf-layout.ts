// The page furniture of a printed document: an A4 pdfkit document with Noto Sans SC embedded (a
// subset: pdfkit, through fontkit, writes only the glyphs used), headings and paragraphs that
// flow across pages, a header and footer stamped on every page once the page count is known, and
// the finished bytes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

/**
 * Noto Sans SC (SIL OFL 1.1) as one TrueType file per weight, installed from npm with the rest
 * of the project, so a clean `npm install` renders Chinese without any system font.
 */
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};
export const FONT = { regular: 'NotoSansSC', bold: 'NotoSansSC-Bold' } as const;

// Read once per worker thread: each font file is about 10 MB.
let fontBytes: { regular: Buffer; bold: Buffer } | null = null;
const fonts = () => (fontBytes ??= { regular: readFileSync(FONT_FILES.regular), bold: readFileSync(FONT_FILES.bold) });

export const COLORS = {
  text: '#1f2328', muted: '#5f6670', ok: '#1a7f37', bad: '#c62828', rule: '#9aa1a9', head: '#eceff3', flag: '#fdecea',
} as const;

/**
 * Text as Noto Sans SC can draw it. The rule texts write ⌈a⌉ and ⌊a⌋, which the font has no
 * glyphs for (they would print as empty boxes), and fontkit sets the combining bar of X̄ beside
 * the X rather than over it; these read the same spelled out.
 */
export function printable(text: string): string {
  return text.replace(/⌈([^⌉]*)⌉/g, 'ceil($1)').replace(/⌊([^⌋]*)⌋/g, 'floor($1)').replaceAll('X\u0304', 'X_avg');
}

const MARGIN = { top: 58, bottom: 62, left: 40, right: 40 };

export interface DocumentInfo { title: string; subject: string; author: string; lang: string }

export function openDocument(info: DocumentInfo): Pdf {
  const { regular, bold } = fonts();
  const doc = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true, autoFirstPage: true, lang: info.lang, displayTitle: true,
    info: { Title: info.title, Subject: info.subject, Author: info.author, Creator: 'Lungang 轮岗' },
    // No default font: pdfkit would load Helvetica, and a font given here as bytes is never cached
    // under the registered name, so every doc.font() would parse the 10 MB file again.
    font: null as unknown as string,
  });
  doc.registerFont(FONT.regular, regular);
  doc.registerFont(FONT.bold, bold);
  return doc.font(FONT.regular).fillColor(COLORS.text);
}

/** A section heading, kept with at least `keep` points of what follows it; also a PDF bookmark. */
export function heading(doc: Pdf, text: string, level: 1 | 2 = 1, keep = 80): void {
  const size = level === 1 ? 13 : 10;
  if (doc.y + size * 2 + keep > doc.page.maxY()) doc.addPage();
  else doc.moveDown(level === 1 ? 0.8 : 0.4);
  if (level === 1) doc.outline.addItem(text);
  doc.font(FONT.bold).fontSize(size).fillColor(COLORS.text).text(printable(text), doc.page.margins.left);
  doc.moveDown(0.25);
}

export function paragraph(doc: Pdf, text: string, opts: { size?: number; color?: string; bold?: boolean } = {}): void {
  doc.font(opts.bold ? FONT.bold : FONT.regular).fontSize(opts.size ?? 8.5).fillColor(opts.color ?? COLORS.muted)
    .text(printable(text), doc.page.margins.left, doc.y, { width: doc.page.width - MARGIN.left - MARGIN.right });
  doc.moveDown(0.3).fillColor(COLORS.text);
}

export interface PageStamp {
  headerLeft: string;
  /** Called with the 1-based page number and the page count. */
  headerRight: (page: number, pages: number) => string;
  footer: string[];
}

/** Writes the header and footer on every page; they sit in the margins, outside the flow. */
export function stampPages(doc: Pdf, stamp: PageStamp): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    // Text below the bottom margin would make pdfkit start a new page; lift the margin while stamping.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    // One line each, cut with an ellipsis: a long scenario or dataset name must not run into the page.
    const oneLine = { height: 9, ellipsis: true };
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLORS.muted);
    doc.text(printable(stamp.headerLeft), MARGIN.left, 30, { ...oneLine, width: width - 90 });
    doc.text(stamp.headerRight(i - start + 1, count), MARGIN.left + width - 90, 30, { width: 90, align: 'right', lineBreak: false });
    doc.lineWidth(0.4).strokeColor(COLORS.rule).moveTo(MARGIN.left, 42).lineTo(MARGIN.left + width, 42).stroke();
    const footY = doc.page.height - bottom + 14;
    doc.moveTo(MARGIN.left, footY - 4).lineTo(MARGIN.left + width, footY - 4).stroke();
    doc.fontSize(6.5);
    stamp.footer.forEach((line, n) => doc.text(printable(line), MARGIN.left, footY + n * 9, { ...oneLine, width }));
    doc.page.margins.bottom = bottom;
  }
}

/** Ends the document and returns its bytes. */
export function finish(doc: Pdf): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}
