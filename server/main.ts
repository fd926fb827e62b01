// `lungang serve` / `npm start`: one process serving the API and the web app.
//   PORT (8080), HOST (127.0.0.1), DATABASE_PATH (var/lungang.db), LUNGANG_ADMIN_PASSWORD,
//   LUNGANG_SECURE_COOKIES=1 (behind an HTTPS proxy), LUNGANG_TRUST_PROXY (the proxy's addresses),
//   LOG_LEVEL (info). Production mode: LUNGANG_DATABASE_URL=postgres://… stores everything in
//   PostgreSQL and leaves the solving to `lungang worker` processes (README "Production mode").
// First start creates the admin user and loads the sample county with a default scenario.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { ensureAdmin } from './auth.ts';
import { buildApp } from './app.ts';
import { readContractDir } from './contract-files.ts';
import { getDataset, getMeta, setMeta } from './db.ts';
import { createDataset, datasetLocks, datasetPolicy } from './routes/datasets.ts';
import type { Deps } from './routes/http.ts';
import { insertScenario } from './routes/scenarios.ts';

const SAMPLE_DIR = fileURLToPath(new URL('../data/sample-county', import.meta.url));

/** Request logs carry method, path and status only: query strings may hold searched names. */
const LOGGER: FastifyServerOptions['logger'] = {
  level: process.env.LOG_LEVEL ?? 'info',
  serializers: {
    req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
  },
};

/** First start only (remembered in the database): the sample county and its "默认方案". */
async function seedSample(deps: Deps, userId: number | null): Promise<void> {
  if (await getMeta(deps.db, 'seeded_at') !== undefined) return;
  const dataset = await createDataset(deps, { name: '样例县（澜川县）', files: await readContractDir(SAMPLE_DIR), userId });
  const d = (await getDataset(deps.db, dataset.id))!;
  await insertScenario(deps.db, {
    datasetId: d.id, name: '默认方案', notes: '首次启动时由样例数据自动创建', policy: datasetPolicy(d), locks: datasetLocks(d), userId,
  });
  await setMeta(deps.db, 'seeded_at', new Date().toISOString());
}

export async function serve(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  const production = Boolean(process.env.LUNGANG_DATABASE_URL);
  const dbPath = process.env.LUNGANG_DATABASE_URL || resolve(process.env.DATABASE_PATH ?? 'var/lungang.db');
  const app = await buildApp({
    dbPath, queue: production, logger: LOGGER, secureCookies: process.env.LUNGANG_SECURE_COOKIES === '1', bounds: process.env.LUNGANG_BEST_ACHIEVABLE !== '0',
    ...(process.env.LUNGANG_TRUST_PROXY ? { trustProxy: process.env.LUNGANG_TRUST_PROXY } : {}),
  });
  const deps = app.lungang;
  deps.tasks.warmUp();

  const admin = await ensureAdmin(deps.db, process.env.LUNGANG_ADMIN_PASSWORD || undefined);
  if (admin.oneTimePassword) {
    // Printed once, to the console only (never logged to a file): it must be changed at first login.
    process.stdout.write(`\n已创建管理员账号 admin，一次性密码：${admin.oneTimePassword}\n（首次登录后须修改；也可设置环境变量 LUNGANG_ADMIN_PASSWORD）\n\n`);
  }
  const adminId = (await deps.db.get<{ id: number }>("SELECT id FROM users WHERE username = 'admin'"))?.id ?? null;
  await seedSample(deps, adminId);

  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    // A stuck close must not keep a stopped server alive.
    setTimeout(() => process.exit(1), 10_000).unref();
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  const address = await app.listen({ port, host });
  // The URL may carry a password: never printed.
  process.stdout.write(`轮岗服务已启动：${address}（${production ? '生产模式：PostgreSQL，求解由 lungang worker 进行' : `数据库 ${dbPath}`}）\n`);
}
