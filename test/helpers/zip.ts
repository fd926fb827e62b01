// A zip file built byte by byte, so tests can make workbooks that lie about their sizes (zip bombs).

export interface ZipEntry { name: string; data: Buffer; method: number; size: number }

/** A zip of the given entries: stored bytes, method (0 stored, 8 deflated) and the size it declares. */
export function zip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const dir: Buffer[] = [];
  let offset = 0;
  /** A header record: signature, then [offset, value, bytes] little-endian fields. */
  const rec = (length: number, sig: number, f: [number, number, 2 | 4][]) => {
    const b = Buffer.alloc(length);
    b.writeUInt32LE(sig, 0);
    for (const [at, v, n] of f) (n === 2 ? b.writeUInt16LE(v, at) : b.writeUInt32LE(v, at));
    return b;
  };
  for (const e of entries) {
    const name = Buffer.from(e.name);
    parts.push(rec(30, 0x04034b50, [[8, e.method, 2], [18, e.data.length, 4], [22, e.size, 4], [26, name.length, 2]]), name, e.data);
    dir.push(rec(46, 0x02014b50, [[10, e.method, 2], [20, e.data.length, 4], [24, e.size, 4], [28, name.length, 2], [42, offset, 4]]), name);
    offset += 30 + name.length + e.data.length;
  }
  const d = Buffer.concat(dir);
  return Buffer.concat([...parts, d, rec(22, 0x06054b50, [[8, entries.length, 2], [10, entries.length, 2], [12, d.length, 4], [16, offset, 4]])]);
}
