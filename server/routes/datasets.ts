// Datasets: the contract files of one county (or prefecture), uploaded as multipart CSVs or one
// XLSX workbook, validated all-or-nothing in the task worker with the CLI's own parser, then
// stored immutably: the files' bytes, their SHA-256 and a content hash, plus the parsed schools
// and teachers for paged, searchable listings.
import { z } from 'zod';
import { lockSchema, policySchema, schoolSchema, teacherSchema, type Lock, type Policy } from '../../solver/contract/schemas.ts';
import { APPLICATIONS, INPUT_TABLES } from '../../solver/contract/columns.ts';
import { nameFor } from '../auth.ts';
import { type DatasetRow, getDataset, likeOperator, lockRows, logActivity, now } from '../db.ts';
import { contentHash } from '../hashes.ts';
import { removeHiddenDataset, storeDataset } from '../dataset-store.ts';
import {
  ApiError, type App, type Deps, type UploadedFile, authErrors, errorSchema, idParams, invalidInput, likePattern, notFound,
  page, pageQuery, readMultipart,
} from './http.ts';

/**
 * File names the parser reads (contract names, Chinese table names, any workbook), and the rounds'
 * applications.csv (issue 12, checked with them in the task worker); others are ignored.
 */
const CONTRACT_NAMES = new Set([...[...INPUT_TABLES, APPLICATIONS].flatMap((t) => [t.file, `${t.zhName}.csv`]), 'policy.json', '政策参数.json']);
export const isContractFile = (name: string) => {
  const n = name.normalize('NFKC').toLowerCase();
  return CONTRACT_NAMES.has(n) || n.endsWith('.xlsx') || n.endsWith('.xls');
};

const fileSchema = z.object({ name: z.string(), size: z.number().int(), sha256: z.string() });
export const datasetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  content_hash: z.string(),
  counties: z.array(z.string()),
  schools: z.number().int(),
  teachers: z.number().int(),
  files: z.array(fileSchema),
  created_at: z.string(),
  created_by: z.number().int().nullable(),
  scenarios: z.number().int(),
  adopted_run_id: z.number().int().nullable(),
});
const datasetDetailSchema = datasetSchema.extend({ policy: policySchema, locks: z.array(lockSchema) });

export async function datasetView(deps: Deps, d: DatasetRow): Promise<z.infer<typeof datasetSchema>> {
  const { db } = deps;
  return {
    id: d.id, name: d.name, content_hash: d.content_hash, counties: z.array(z.string()).parse(JSON.parse(d.counties_json)),
    schools: d.school_count, teachers: d.teacher_count,
    files: await db.all<{ name: string; size: number; sha256: string }>(
      'SELECT name, length(content) AS size, sha256 FROM dataset_files WHERE dataset_id = ? ORDER BY name', d.id),
    created_at: d.created_at, created_by: d.created_by,
    scenarios: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM scenarios WHERE dataset_id = ?', d.id))?.n ?? 0,
    adopted_run_id: (await db.get<{ id: number }>('SELECT id FROM runs WHERE dataset_id = ? AND adopted_at IS NOT NULL', d.id))?.id ?? null,
  };
}

export const datasetPolicy = (d: DatasetRow): Policy => policySchema.parse(JSON.parse(d.policy_json));
export const datasetLocks = (d: DatasetRow): Lock[] => z.array(lockSchema).parse(JSON.parse(d.locks_json));

/** Validates and stores a dataset; nothing is written unless every file is valid. Shared with first-start seeding. */
export async function createDataset(deps: Deps, input: { name: string; files: { name: string; content: Uint8Array }[]; userId: number | null }) {
  const { db } = deps;
  const seen = new Set<string>();
  for (const f of input.files) {
    if (seen.has(f.name.toLowerCase())) throw new ApiError(400, `文件 ${f.name} 上传了两次`);
    seen.add(f.name.toLowerCase());
  }
  const checked = await deps.tasks.run('dataset', { files: input.files });
  if (!checked.ok) throw invalidInput(checked.errors);
  const id = await storeDataset(db, {
    name: input.name, contentHash: contentHash(input.files), files: input.files, counties: checked.counties,
    schools: checked.schools, teachers: checked.teachers, policy: checked.policy, locks: checked.locks, userId: input.userId,
  });
  return datasetView(deps, (await getDataset(db, id))!);
}

export function datasetRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  const mustGet = async (id: number) => await getDataset(db, id) ?? (() => { throw notFound('数据集'); })();

  app.get('/api/datasets', {
    config: { access: 'read' },
    schema: { tags: ['datasets'], summary: '数据集列表', response: { 200: z.object({ items: z.array(datasetSchema) }), ...authErrors } },
  }, async () => {
    const items = [];
    for (const d of await db.all<DatasetRow>('SELECT * FROM datasets WHERE ready = 1 ORDER BY id DESC')) items.push(await datasetView(deps, d));
    return { items };
  });

  app.post('/api/datasets', {
    config: { access: 'edit' },
    schema: {
      tags: ['datasets'],
      summary: '上传数据集（multipart：schools.csv、teachers.csv 等或一个 .xlsx；字段 name 可选）',
      description: '全部校验通过才保存；任一行有误则返回 422 和全部 `file:line: column: message` 错误，不保存任何内容。',
      consumes: ['multipart/form-data'],
      response: { 201: datasetSchema.extend({ ignored_files: z.array(z.string()) }), 400: errorSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const { files, fields } = await readMultipart(req);
    const contract: UploadedFile[] = files.filter((f) => isContractFile(f.name));
    if (contract.length === 0) throw new ApiError(400, '没有上传数据文件（schools.csv、teachers.csv 等，或一个 .xlsx 工作簿）');
    const name = (fields.name ?? '').trim().slice(0, 100) || `数据集 ${now().slice(0, 10)}`;
    const created = await createDataset(deps, { name, files: contract, userId: req.user!.id });
    return reply.code(201).header('location', `/api/datasets/${created.id}`)
      .send({ ...created, ignored_files: files.filter((f) => !isContractFile(f.name)).map((f) => f.name) });
  });

  app.get('/api/datasets/:id', {
    config: { access: 'read' },
    schema: { tags: ['datasets'], summary: '数据集详情（含数据集自带的政策参数和锁定）', params: idParams, response: { 200: datasetDetailSchema, 404: errorSchema, ...authErrors } },
  }, async (req) => {
    const d = await mustGet(req.params.id);
    return { ...await datasetView(deps, d), policy: datasetPolicy(d), locks: datasetLocks(d) };
  });

  app.get('/api/datasets/:id/schools', {
    config: { access: 'read' },
    schema: {
      tags: ['datasets'], summary: '学校（分页；q 按代码或名称搜索）', params: idParams,
      querystring: z.object({ q: z.string().max(100).optional(), county: z.string().max(100).optional(), ...pageQuery }),
      response: { 200: page(schoolSchema), 404: errorSchema, ...authErrors },
    },
  }, async (req) => {
    await mustGet(req.params.id);
    const { q, county, page: p, page_size: size } = req.query;
    const like = likeOperator(db);
    const where = ['dataset_id = ?'];
    const args: (string | number)[] = [req.params.id];
    if (q) { where.push(`(id ${like} ? ESCAPE '\\' OR name ${like} ? ESCAPE '\\')`); args.push(likePattern(q), likePattern(q)); }
    if (county !== undefined) { where.push('county = ?'); args.push(county); }
    const sql = where.join(' AND ');
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM dataset_schools WHERE ${sql}`, ...args))?.n ?? 0;
    const rows = await db.all<{ data: string }>(`SELECT data FROM dataset_schools WHERE ${sql} ORDER BY seq LIMIT ? OFFSET ?`, ...args, size, (p - 1) * size);
    return { total, page: p, page_size: size, items: rows.map((r) => schoolSchema.parse(JSON.parse(r.data))) };
  });

  app.get('/api/datasets/:id/teachers', {
    config: { access: 'read' },
    schema: {
      tags: ['datasets'], summary: '教师（分页；q 按编号或姓名搜索；审核员看到的姓名已脱敏）', params: idParams,
      querystring: z.object({ q: z.string().max(100).optional(), school_id: z.string().max(100).optional(), ...pageQuery }),
      response: { 200: page(teacherSchema), 404: errorSchema, ...authErrors },
    },
  }, async (req) => {
    await mustGet(req.params.id);
    const { q, school_id, page: p, page_size: size } = req.query;
    const auditor = req.user!.role === 'auditor';
    const like = likeOperator(db);
    const where = ['dataset_id = ?'];
    const args: (string | number)[] = [req.params.id];
    // Auditors search by id only: matching on names would reveal the names masked below.
    if (q && auditor) { where.push(`id ${like} ? ESCAPE '\\'`); args.push(likePattern(q)); }
    else if (q) { where.push(`(id ${like} ? ESCAPE '\\' OR name ${like} ? ESCAPE '\\')`); args.push(likePattern(q), likePattern(q)); }
    if (school_id !== undefined) { where.push('school_id = ?'); args.push(school_id); }
    const sql = where.join(' AND ');
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM dataset_teachers WHERE ${sql}`, ...args))?.n ?? 0;
    const rows = await db.all<{ data: string }>(`SELECT data FROM dataset_teachers WHERE ${sql} ORDER BY seq LIMIT ? OFFSET ?`, ...args, size, (p - 1) * size);
    const name = nameFor(req.user);
    const items = rows.map((r) => {
      const t = teacherSchema.parse(JSON.parse(r.data));
      // Auditors also do not see where teachers live.
      if (auditor) { delete t.home_lat; delete t.home_lon; }
      return { ...t, name: name(t.name) };
    });
    return { total, page: p, page_size: size, items };
  });

  app.delete('/api/datasets/:id', {
    config: { access: 'edit' },
    schema: { tags: ['datasets'], summary: '删除数据集（仅当没有方案使用它）', params: idParams, response: { 204: z.null(), 404: errorSchema, 409: errorSchema, ...authErrors } },
  }, async (req, reply) => {
    const d = await mustGet(req.params.id);
    // Hidden at once, in the same transaction as the check: from here every read, a second
    // delete and a new scenario on it answer 404; the rows then go in chunks.
    await db.transaction(async (tx) => {
      // The row locked first: a scenario being created on it (scenarios.ts) is counted, or sees it gone.
      await lockRows(tx, 'datasets', 'id = ?', d.id);
      const used = (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM scenarios WHERE dataset_id = ?', d.id))?.n ?? 0;
      if (used > 0) throw new ApiError(409, `数据集正被${used}个方案使用，不能删除`);
      if (await tx.run('UPDATE datasets SET ready = 0 WHERE id = ? AND ready = 1', d.id) === 0) throw notFound('数据集');
      await logActivity(tx, { userId: req.user!.id, action: 'dataset.delete', entity: 'dataset', entityId: d.id });
    });
    await removeHiddenDataset(db, d.id);
    return reply.code(204).send(null);
  });
}
