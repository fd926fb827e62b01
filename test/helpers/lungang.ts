// The `lungang` command as a planner runs it, in a child process: exit code, stdout, stderr.
import { execFile } from 'node:child_process';
import { repoPath } from './datasets.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/lungang.mjs with `args` from the repository root (no time budget beyond a hang guard). */
export function lungang(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [repoPath('bin', 'lungang.mjs'), ...args], { cwd: repoPath(), timeout: 900_000, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
