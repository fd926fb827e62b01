// An .xlsx is a zip: before the workbook reader inflates it, its central directory is read and
// every entry is checked (count, declared size, ratio), then inflated here with the declared size
// as a hard cap, so a zip bomb — honest or lying about its sizes — costs at most the limits.
// Hand-written (≈ 50 lines, the zip format's fixed offsets) because the readers on npm inflate
// first or expose sizes only through private fields.
import { inflateRawSync } from 'node:zlib';
import { INPUT_LIMITS, fmtCount } from './input-limits.ts';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = 1024 * 1024;
export const UNREADABLE: [string, string] = ['无法读取 Excel 工作簿：文件损坏或不是 .xlsx 格式（.xls 请另存为 .xlsx）', 'cannot read the workbook: corrupt or not .xlsx (save .xls as .xlsx)'];

/** Null when the zip keeps every limit; else what is wrong, [zh, en]. */
export function zipProblem(buf: Uint8Array): [string, string] | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) { end = i; break; }
  }
  if (end < 0) return UNREADABLE;
  const entries = view.getUint16(end + 10, true);
  if (entries > INPUT_LIMITS.xlsxEntries) return [`工作簿内部条目过多（${fmtCount(entries)} 个，上限 ${fmtCount(INPUT_LIMITS.xlsxEntries)}）`, `too many entries in the workbook (${entries}; limit ${INPUT_LIMITS.xlsxEntries})`];
  let at = view.getUint32(end + 16, true);
  let total = 0;
  for (let k = 0; k < entries; k++) {
    if (at + 46 > buf.length || view.getUint32(at, true) !== CENTRAL) return UNREADABLE;
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const local = view.getUint32(at + 42, true);
    total += size;
    // 0xFFFFFFFF = ZIP64 sizes: no workbook a county needs is that large.
    if (size === 0xffffffff || total > INPUT_LIMITS.xlsxUncompressedBytes) {
      return [`工作簿解压后过大（超过 ${INPUT_LIMITS.xlsxUncompressedBytes / MB} MB）`, `workbook too large once decompressed (over ${INPUT_LIMITS.xlsxUncompressedBytes / MB} MB)`];
    }
    if (size > 1024 * 1024 && size > INPUT_LIMITS.xlsxRatio * Math.max(1, packed)) {
      return [`工作簿内部压缩比异常（${fmtCount(Math.round(size / Math.max(1, packed)))} 倍，上限 ${INPUT_LIMITS.xlsxRatio}），疑似压缩炸弹`, `abnormal compression ratio (${Math.round(size / Math.max(1, packed))}×; limit ${INPUT_LIMITS.xlsxRatio}): a zip bomb?`];
    }
    if (method === 8 && !inflatesWithin(buf, view, local, packed, size)) {
      return ['工作簿内部条目的实际大小与声明不符，疑似压缩炸弹', 'an entry inflates beyond its declared size: a zip bomb?'];
    }
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return null;
}

/** Inflates one deflated entry with its declared size as the cap (throws past it). */
function inflatesWithin(buf: Uint8Array, view: DataView, local: number, packed: number, size: number): boolean {
  if (local + 30 > buf.length || view.getUint32(local, true) !== LOCAL) return false;
  const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  try {
    return inflateRawSync(buf.subarray(data, data + packed), { maxOutputLength: Math.max(1, size) }).length === size;
  } catch {
    return false;
  }
}
