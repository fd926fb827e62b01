// The users page: a locked account shows why it cannot log in, the admin sees it locked and
// unlocks it with one click; only admins get the page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, startServer } from './harness.ts';

let server: Server;
let browser: Browser;
let page: Page;
let lockedId = 0;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  const api = await apiClient(server.url);
  lockedId = (await api.call<{ id: number }>('POST', '/users', { username: 'locked1', role: 'leader', password: 'locked1-pw-123' })).id;
  // Locked as 10 wrong passwords would (test/api/login-throttle.test.ts drives that through the API).
  await server.app.lungang.db.run('UPDATE users SET locked = 1, failed_logins = 10 WHERE id = ?', lockedId);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('users page', () => {
  it('a locked user is told to ask the admin; the admin sees the lock and lifts it', async () => {
    await page.goto(`${server.url}/#/login`);
    await page.getByTestId('login-user').fill('locked1');
    await page.getByTestId('login-password').fill('locked1-pw-123');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.locator('.notice').textContent()).toBe('账号因多次登录失败已锁定，请联系管理员解锁');

    await loginUi(page, server.url);
    await page.getByTestId('nav-users').click();
    const row = page.getByTestId('users-table').locator('tbody tr', { hasText: 'locked1' });
    await expect.poll(() => row.textContent()).toContain('已锁定');
    expect(await page.locator('.page-header').textContent()).toContain('1 个账号因多次登录失败已锁定');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => row.textContent()).toContain('Locked');
    expect(await page.getByTestId(`unlock-${lockedId}`).textContent()).toBe('Unlock');
    await page.getByTestId('lang-toggle').click();

    await page.getByTestId(`unlock-${lockedId}`).click();
    await expect.poll(() => page.locator('.page-header').textContent()).toContain('没有被锁定的账号');
    expect(await row.textContent()).not.toContain('已锁定');
    expect(await page.getByTestId(`unlock-${lockedId}`).count()).toBe(0);
  });

  it('the users tab is for admins only', async () => {
    await page.context().clearCookies();
    await page.goto(`${server.url}/#/login`);
    await page.getByTestId('login-user').fill('locked1');
    await page.getByTestId('login-password').fill('locked1-pw-123');
    await page.getByTestId('login-submit').click();
    // A one-time password: the forced change comes first, then the tabs, without 用户.
    await page.locator('input[autocomplete="new-password"]').waitFor();
    await page.locator('input[autocomplete="current-password"]').fill('locked1-pw-123');
    await page.locator('input[autocomplete="new-password"]').fill('locked1-new-4567');
    await page.locator('form button[type="submit"]').click();
    await page.getByTestId('nav-data').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.goto(`${server.url}/#/users`);
    await expect.poll(() => page.locator('main .notice').textContent()).toContain('管理员');
  });
});
