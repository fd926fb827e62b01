// What every resource's routes share: the app type, the dependencies they get, the error shape
// (`{ error, errors? }` with the CLI's `file:line: column: message` texts), common parameter
// schemas and the multipart reader (uploads stay in memory and are never written to disk).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatInputError, type InputError } from '../../solver/contract/input-errors.ts';
import { type Db, activeSolves, lockRows } from '../db.ts';
import type { SolvePool } from '../solve-pool.ts';
import type { TaskPool } from '../task-pool.ts';
import type { LoginThrottle } from '../login-throttle.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse<IncomingMessage>, FastifyBaseLogger, ZodTypeProvider>;

export interface Deps {
  db: Db;
  /** Solves in this process (embedded), or sent to the workers (production mode, solve-queue.ts). */
  pool: Pick<SolvePool, 'pump' | 'cancel' | 'dropBounds' | 'close' | 'running'>;
  tasks: TaskPool;
  /** At most this many queued or running solves (runs and frontiers) per user (429 beyond). */
  maxActiveRunsPerUser: number;
  /** Cookie `Secure` flag: on when served over HTTPS (behind a proxy). */
  secureCookies: boolean;
  /** Back-off of failed logins per user name and per address. */
  loginThrottle: LoginThrottle;
}

export const inputErrorSchema = z.object({
  file: z.string(), line: z.number().int(), column: z.string(), message: z.string(), messageEn: z.string(),
  /** `file:line: column: message`, exactly as the command line prints it. */
  text: z.string(),
});
export const errorSchema = z.object({ error: z.string(), errors: z.array(inputErrorSchema).optional() });

/** Error responses every authenticated route may give. */
export const authErrors = { 401: errorSchema, 403: errorSchema } as const;

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errors?: InputError[]) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, `${what}不存在`);

/**
 * 429 when the user already has the most queued or running solves (runs and frontiers) allowed.
 * In the transaction that inserts the solve: the user's row stays locked until it commits, so
 * concurrent starts of one user are counted one after another.
 */
export async function checkSolveAllowance(deps: Deps, userId: number, tx: Db): Promise<void> {
  await lockRows(tx, 'users', 'id = ?', userId);
  if (await activeSolves(tx, userId) >= deps.maxActiveRunsPerUser) {
    throw new ApiError(429, `每位用户最多同时排队或运行${deps.maxActiveRunsPerUser}个求解，请等待完成或取消后再试`);
  }
}

export const apiErrors = (errors: InputError[]) => errors.map((e) => ({ ...e, text: formatInputError(e) }));

export const invalidInput = (errors: InputError[], what = '数据') =>
  new ApiError(422, `${what}有误，共${errors.length}处错误，未保存任何内容`, errors);

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
};
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ total: z.number().int(), page: z.number().int(), page_size: z.number().int(), items: z.array(item) });

/** `%` and `_` typed by a user match themselves in LIKE. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ---------------------------------------------------------------------------------------------
// Multipart

export interface UploadedFile { field: string; name: string; content: Buffer }

/**
 * A client's file name reduced to a bare name: directories, control characters and odd
 * whitespace dropped. It only labels the file (and selects its table); it is never a path.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.normalize('NFKC').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
}

/** Reads every part into memory; @fastify/multipart's limits (app.ts) cap sizes and counts. */
export async function readMultipart(req: FastifyRequest): Promise<{ files: UploadedFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new ApiError(415, '请以 multipart/form-data 上传文件');
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        const name = safeFileName(part.filename);
        if (name === '') throw new ApiError(400, '上传的文件缺少文件名');
        files.push({ field: part.fieldname, name, content });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    // Our errors and the multipart limits (413 …) carry a status; a body the parser cannot read
    // (no boundary, cut off) is the client's fault, not a server error.
    if (err instanceof ApiError || (typeof err === 'object' && err !== null && 'statusCode' in err)) throw err;
    throw new ApiError(400, '上传内容格式不正确：无法解析 multipart/form-data（缺少分隔符或内容不完整）');
  }
  return { files, fields };
}
