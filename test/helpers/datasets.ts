// Datasets for solver tests: the committed sample counties and seeded random ones.
import { resolve } from 'node:path';
import { defaultPolicy, type Policy } from '../../solver/contract/schemas.ts';
import type { Dataset } from '../../solver/contract/dataset.ts';
import { generateCounty } from '../../data/generate.ts';
import { loadDatasetFrom } from '../../server/contract-files.ts';

export const repoPath = (...parts: string[]) => resolve(import.meta.dirname, '..', '..', ...parts);

export async function loadSample(name: 'small-county' | 'sample-county' | 'tiny'): Promise<Dataset> {
  const dir = name === 'tiny' ? repoPath('test', 'fixtures', 'tiny') : repoPath('data', name);
  const loaded = await loadDatasetFrom(dir);
  if (!loaded.ok) throw new Error(`${name} does not load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  return loaded.dataset;
}

export function randomDataset(seed: number, policy: Partial<Policy> = {}): Dataset {
  const tables = generateCounty({ profile: 'tiny', seed });
  return { ...tables, policy: { ...defaultPolicy(), ...policy } };
}
