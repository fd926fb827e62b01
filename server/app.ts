// The HTTP application: plugins, limits, access control, every resource's routes, OpenAPI at
// /docs, the web app (or a placeholder page), and JSON errors. buildApp never listens: tests
// drive it with app.inject, main.ts listens.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  type ZodTypeProvider, hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler,
} from 'fastify-type-provider-zod';
import { ensureAdmin, registerAccessControl } from './auth.ts';
import { openDb } from './db.ts';
import { removeUnfinishedDatasets } from './dataset-store.ts';
import { backfillRowsHashes } from './hashes.ts';
import { LoginThrottle } from './login-throttle.ts';
import { runQueue } from './run-queue.ts';
import { SolvePool } from './solve-pool.ts';
import { TaskPool } from './task-pool.ts';
import { frontierQueue } from './frontier-queue.ts';
import { activityRoutes } from './routes/activity.ts';
import { noticeRoutes } from './routes/notices.ts';
import { adoptionRoutes } from './routes/adoption.ts';
import { auditRoutes } from './routes/audits.ts';
import { comparisonRoutes } from './routes/comparisons.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { downloadRoutes } from './routes/downloads.ts';
import { ApiError, type App, type Deps, apiErrors } from './routes/http.ts';
import { runRoutes } from './routes/runs.ts';
import { roundsRoutes } from './routes/rounds.ts';
import { postsRoutes } from './routes/posts.ts';
import { frontierRoutes } from './routes/frontiers.ts';
import { scenarioRoutes } from './routes/scenarios.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';

declare module 'fastify' {
  interface FastifyInstance {
    lungang: Deps;
  }
}

export interface AppOptions {
  /** The database: a SQLite file path, or a postgres:// URL (production mode, README "Production mode"). */
  dbPath: string;
  /** Fastify/pino logger options; off by default (tests). */
  logger?: FastifyServerOptions['logger'];
  /**
   * Production mode (a postgres:// dbPath only): solves go to the job queue for `lungang worker`
   * processes (solve-queue.ts) instead of this process's pool.
   */
  queue?: boolean;
  /** Solves at once (default: the machine's cores). */
  poolSize?: number;
  /** Solve lanes where runs' counties are built and solved, shared by all runs (default: the cores). */
  lanes?: number;
  /** Hard wall-clock limit of a solve from its policy time limit and county count (default job-queue.ts; a frontier counts every point). */
  hardLimitSeconds?: (policySeconds: number, counties: number) => number;
  maxActiveRunsPerUser?: number;
  /** Built web app to serve at / (default web/dist, when it exists). */
  webDir?: string;
  secureCookies?: boolean;
  /** Compute each finished run's best achievable 差异系数 in the background (default off: tests opt in; `serve` turns it on). */
  bounds?: boolean;
  /** Creates the `admin` user with this password when there are no users (tests; main.ts handles first start itself). */
  adminPassword?: string;
  /** Seconds to receive a whole request (default LIMITS.requestSeconds; tests use less). */
  requestTimeoutSeconds?: number;
  /** Clock of the login back-off in ms (tests move it; default Date.now). */
  loginClock?: () => number;
  /**
   * Addresses or CIDRs of the reverse proxy, comma-separated: its X-Forwarded-For then gives the
   * client address the login back-off counts per (without it every client shares the proxy's).
   */
  trustProxy?: string;
}

export const LIMITS = {
  /** JSON bodies: scenarios with thousands of locks stay well under this. */
  bodyBytes: 1024 * 1024,
  /** One contract file (CSV or workbook): a prefecture of 50,000 teachers is about 6 MB. */
  fileBytes: 20 * 1024 * 1024,
  files: 10,
  /** Seconds to receive a whole request: a 20 MB upload needs ≥ 1.4 Mbit/s; a connection dripping bytes is closed (408). */
  requestSeconds: 120,
};

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>轮岗 Lungang</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>轮岗 · 教师交流轮岗方案优化</h1>
<p>服务已启动。网页界面尚未构建（未找到 <code>web/dist</code>）。</p>
<p>接口文档：<a href="/docs">/docs</a></p>
</body></html>`;

/** Chinese messages for the framework's own 4xx errors. */
const FRAMEWORK_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `请求体过大（上限 ${LIMITS.bodyBytes / 1024 / 1024} MB）`,
  FST_REQ_FILE_TOO_LARGE: `上传文件过大（每个文件上限 ${LIMITS.fileBytes / 1024 / 1024} MB）`,
  FST_FILES_LIMIT: `上传文件过多（最多 ${LIMITS.files} 个）`,
  FST_PARTS_LIMIT: '上传内容的字段过多',
  FST_FIELDS_LIMIT: '上传内容的字段过多',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的内容类型',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空',
  FST_INVALID_MULTIPART_CONTENT_TYPE: '请以 multipart/form-data 上传文件',
};

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Request logging stays Fastify's default (method, url, status, time): never bodies.
    bodyLimit: LIMITS.bodyBytes,
    requestTimeout: (opts.requestTimeoutSeconds ?? LIMITS.requestSeconds) * 1000,
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const db = await openDb(opts.dbPath);
  const pool = opts.queue ? await (await import('./solve-queue.ts')).QueuedSolves.open(db, opts.dbPath, app.log) : new SolvePool(db, {
    poolSize: opts.poolSize ?? availableParallelism(),
    ...(opts.lanes ? { lanes: opts.lanes } : {}),
    log: app.log,
    queues: [runQueue(db, opts.hardLimitSeconds), frontierQueue(db, opts.hardLimitSeconds)],
    ...(opts.hardLimitSeconds ? { hardLimitSeconds: opts.hardLimitSeconds } : {}),
    bounds: opts.bounds ?? false,
  });
  const tasks = new TaskPool();
  const deps: Deps = {
    db, pool, tasks, maxActiveRunsPerUser: opts.maxActiveRunsPerUser ?? 3, secureCookies: opts.secureCookies ?? false,
    loginThrottle: new LoginThrottle(opts.loginClock),
  };
  app.decorate('lungang', deps);
  if (pool instanceof SolvePool) {
    const interrupted = await pool.recoverAfterRestart();
    if (interrupted.length > 0) app.log.warn({ jobs: interrupted }, 'solves interrupted by a restart marked failed');
  } else {
    // The workers keep solving across a restart of the server; what was queued but not yet sent goes now.
    pool.pump();
  }
  // Here, not in openDb: the CLI opens the same database while the server may be mid-upload.
  const unfinished = await removeUnfinishedDatasets(db);
  if (unfinished.length > 0) app.log.warn({ datasets: unfinished }, 'datasets left half-written or half-deleted by a restart removed');
  await backfillRowsHashes(db);
  if (opts.adminPassword) await ensureAdmin(db, opts.adminPassword);

  app.addHook('onClose', async () => {
    await pool.close();
    await tasks.close();
    await db.close();
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: LIMITS.fileBytes, files: LIMITS.files, fields: 10, parts: LIMITS.files + 10, fieldSize: 10_000 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Lungang 轮岗 API', version: '1', description: '数据集、方案、求解运行、比较、审核与采纳。登录后以 cookie sid 认证。' },
      tags: ['session', 'users', 'datasets', 'scenarios', 'runs', 'frontiers', 'comparisons', 'audits', 'adoption', 'activity', 'posts'].map((name) => ({ name })),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerAccessControl(app, db);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = existsSync(`${webDir}/index.html`);

  // Not async: returning the reply from an async handler here piled up 'close' listeners on the
  // response while sendFile streamed index.html (MaxListenersExceededWarning).
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: unknown non-API pages get its index.html.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) reply.sendFile('index.html');
    else reply.code(404).send({ error: '未找到' });
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      return reply.code(err.status).send({ error: err.message, ...(err.errors ? { errors: apiErrors(err.errors) } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => `${where}${(v.instancePath ?? '').replace(/\/$/, '').replace(/\//g, '.')}：${v.message ?? ''}`);
      return reply.code(400).send({ error: `请求参数不正确：${details.join('；')}` });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: FRAMEWORK_ERRORS[err.code] ?? `请求不正确（${err.code ?? status}）` });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: '服务器内部错误' });
  });

  // Routes after the handlers: an awaited plugin registration (static files) would otherwise leave
  // the routes registered before it with Fastify's default error handler.
  for (const routes of [sessionRoutes, userRoutes, datasetRoutes, scenarioRoutes, runRoutes, frontierRoutes, downloadRoutes, adoptionRoutes,
    comparisonRoutes, auditRoutes, activityRoutes, noticeRoutes, roundsRoutes, postsRoutes]) {
    routes(app, deps);
  }
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, prefix: '/' });
  else app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER_PAGE));

  return app;
}
