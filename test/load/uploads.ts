// The upload side of `LOAD_SCENARIO=hostile npm run load`: hostile uploads refused in a loop
// (the worst cases of test/api/hostile.test.ts) and a large valid county uploaded and deleted in
// another, as an uploading user would, each request answering before the next is sent.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { zip } from '../helpers/zip.ts';

type Files = Record<string, string | Uint8Array<ArrayBuffer>>;

async function readDir(dir: string): Promise<Files> {
  const files: Files = {};
  for (const f of await readdir(dir)) files[f] = new Uint8Array(await readFile(join(dir, f)));
  return files;
}

const form = (files: Files) => {
  const f = new FormData();
  for (const [name, content] of Object.entries(files)) f.append('files', new Blob([content]), name);
  return f;
};

/** Each hostile case laid over the sample county: answered 422, nothing stored. */
export async function hostileCases(sampleDir: string): Promise<[string, Files][]> {
  const sample = await readDir(sampleDir);
  const head = (await readFile(join(sampleDir, 'teachers.csv'), 'utf8')).split('\n')[0]!;
  return [
    ['a million one-cell rows', { ...sample, 'teachers.csv': `id\n${'x\n'.repeat(1_000_000)}` }],
    ['50,000 bad rows', { ...sample, 'teachers.csv': `${head}\n${Array.from({ length: 50_000 }, (_, i) => `T${i},某,0101,high,chinese,,F,1990,teacher,1,3,none,none,bachelor,0,1,,0,,`).join('\n')}\n` }],
    ['a zip bomb (2 × 1 GiB declared)', { ...sample, 'county.xlsx': new Uint8Array(zip([1, 2].map((i) => ({ name: `xl/media/${i}.png`, data: deflateRawSync(Buffer.alloc(1000)), method: 8, size: 2 ** 30 })))) }],
    ['a ratio bomb (20 MB of zeros)', { ...sample, 'county.xlsx': new Uint8Array(zip([{ name: 'xl/media/z.bin', data: deflateRawSync(Buffer.alloc(20 * 1024 * 1024)), method: 8, size: 20 * 1024 * 1024 }])) }],
  ];
}

/** A generated county of about `teachers` teachers, as contract CSVs. */
export async function largeCounty(dir: string, teachers: number): Promise<Files> {
  writeCountyCsv(dir, generateCounty({ teachers, seed: 11 }));
  return readDir(dir);
}

export interface UploadTally { refused: number; created: number; deleted: number; unexpected: string[] }

/** Sends the hostile cases round and round, and uploads then deletes the large county, until `stop()`. */
export function uploadLoops(base: string, cookie: string, hostile: [string, Files][], county: Files, stop: () => boolean): { tally: UploadTally; done: Promise<void> } {
  const tally: UploadTally = { refused: 0, created: 0, deleted: 0, unexpected: [] };
  const send = (path: string, init: RequestInit) => fetch(`${base}${path}`, { ...init, headers: { cookie } });
  const hostileLoop = async () => {
    for (let i = 0; !stop(); i++) {
      const [name, files] = hostile[i % hostile.length]!;
      const res = await send('/api/datasets', { method: 'POST', body: form(files) });
      if (res.status === 422) tally.refused += 1;
      else tally.unexpected.push(`${name}: ${res.status}`);
      await res.arrayBuffer();
    }
  };
  const validLoop = async () => {
    while (!stop()) {
      const res = await send('/api/datasets', { method: 'POST', body: form(county) });
      if (res.status !== 201) { tally.unexpected.push(`large upload: ${res.status} ${(await res.text()).slice(0, 200)}`); continue; }
      tally.created += 1;
      const { id } = await res.json() as { id: number };
      const del = await send(`/api/datasets/${id}`, { method: 'DELETE' });
      if (del.status === 204) tally.deleted += 1;
      else tally.unexpected.push(`delete: ${del.status}`);
    }
  };
  return { tally, done: Promise.all([hostileLoop(), validLoop()]).then(() => undefined) };
}
