// The application shell: OpenAPI at /docs (offline assets), the web app or a placeholder page,
// JSON 404s, security headers.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, removeDir, startServer, tempDir } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

describe('documentation', () => {
  it('serves the OpenAPI document and Swagger UI from the package (no network needed)', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/runs/{id}/result');
    expect(doc.paths['/api/scenarios'].post.requestBody.content['application/json'].schema.required).toEqual(['dataset_id', 'name']);
    const ui = await s.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    const asset = await s.app.inject({ method: 'GET', url: '/docs/static/index.css' });
    expect(asset.statusCode).toBe(200);
  });
});

describe('pages and errors', () => {
  it('shows a Chinese placeholder page linking /docs when web/dist is missing', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('href="/docs"');
    expect(res.body).toContain('轮岗');
  });

  it('answers unknown API paths with a JSON 404, and sets security headers', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/nothing-here', headers: { cookie: s.cookie.planner } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: '未找到' });
    const ok = await s.app.inject({ method: 'GET', url: '/api/datasets', headers: { cookie: s.cookie.planner } });
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['x-frame-options']).toBe('DENY');
  });

  it('serves the built web app, with index.html for client-side routes', async () => {
    const dir = await tempDir();
    const web = join(dir, 'dist');
    await mkdir(join(web, 'assets'), { recursive: true });
    await writeFile(join(web, 'index.html'), '<!doctype html><title>轮岗</title><div id="app"></div>');
    await writeFile(join(web, 'assets', 'app.js'), 'console.log(1)');
    const w = await startServer({ webDir: web }, dir);
    try {
      expect((await w.app.inject({ method: 'GET', url: '/' })).body).toContain('id="app"');
      expect((await w.app.inject({ method: 'GET', url: '/assets/app.js' })).body).toBe('console.log(1)');
      const route = await w.app.inject({ method: 'GET', url: '/runs/12' });
      expect(route.statusCode).toBe(200);
      expect(route.body).toContain('id="app"');
      expect((await w.app.inject({ method: 'GET', url: '/api/nothing', headers: { cookie: w.cookie.planner } })).statusCode).toBe(404);
      expect((await w.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    } finally {
      await w.close();
      await removeDir(dir);
    }
  });
});
