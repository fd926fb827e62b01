// Login, and the forced change of a one-time password (the server refuses everything else
// until it is changed).
import { api, ApiError } from '../api.ts';
import { field, h, mount, notice } from '../dom.ts';
import { L } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { store } from '../store.ts';

export async function renderLogin(root: HTMLElement, _ctx: PageContext, done: () => Promise<void>): Promise<void> {
  if (store.user?.must_change_password) return renderChange(root, done);
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, 'data-testid': 'login-user' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const msg = h('div');
  const form = h('form', { class: 'login-card card' },
    h('h1', null, L('登录', 'Log in')),
    h('p', { class: 'muted' }, L('县域义务教育教师交流轮岗方案的编制、比较与审计。', 'Plan, compare and audit county teacher rotation.')),
    field(L('用户名', 'User name'), user), field(L('密码', 'Password'), pass), msg,
    h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'login-submit' }, L('登录', 'Log in')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    mount(msg);
    api.login(user.value.trim(), pass.value).then(async (u) => {
      store.user = u;
      await done();
    }, (err: unknown) => mount(msg, notice('bad', err instanceof ApiError ? err.message : L('无法连接服务器', 'Cannot reach the server'))));
  });
  mount(root, h('div', { class: 'login-wrap' }, form));
  user.focus();
}

function renderChange(root: HTMLElement, done: () => Promise<void>): void {
  const cur = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const msg = h('div');
  const form = h('form', { class: 'login-card card' },
    h('h1', null, L('修改一次性密码', 'Change your one-time password')),
    h('p', { class: 'muted' }, L('首次登录须设置新密码（至少 10 个字符）。', 'Set a new password (at least 10 characters) before you continue.')),
    field(L('当前密码', 'Current password'), cur), field(L('新密码', 'New password'), next), msg,
    h('button', { class: 'btn btn-primary', type: 'submit' }, L('保存并继续', 'Save and continue')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    api.changePassword(cur.value, next.value).then(async () => {
      store.user = await api.me();
      await done();
    }, (err: unknown) => mount(msg, notice('bad', err instanceof ApiError ? err.message : String(err))));
  });
  mount(root, h('div', { class: 'login-wrap' }, form));
}
