// 用户 Users (admin): who has an account, with which role, and whose login is locked after too
// many wrong passwords — with the button that unlocks it. Creating users, roles and password
// resets stay in the API (PATCH /api/users/:id).
import { api, type UserView } from '../api.ts';
import { card, h, mount, notice, pill } from '../dom.ts';
import { dateTime } from '../format.ts';
import { L, roleLabel } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { can } from '../store.ts';
import { dataTable } from '../table.ts';
import { errorView, pageHeader } from '../widgets.ts';

function status(u: UserView): HTMLElement {
  return h('span', null,
    u.locked ? pill(L('已锁定', 'Locked'), 'bad', L('多次登录失败后锁定，解锁后才能登录', 'Locked after too many failed logins; unlock to let them log in')) : null,
    u.disabled ? pill(L('已停用', 'Disabled'), 'muted') : null,
    !u.locked && !u.disabled ? pill(L('正常', 'Active'), 'ok') : null);
}

export async function renderUsers(root: HTMLElement, ctx: PageContext): Promise<void> {
  if (!can('admin')) {
    mount(root, pageHeader(L('用户', 'Users'), null), notice('warn', L('管理用户需要“管理员”角色。', 'Managing users needs the admin role.')));
    return;
  }
  const msg = h('div');
  const users = await api.users();
  if (ctx.signal.aborted) return;

  const unlock = (u: UserView, button: HTMLButtonElement) => {
    button.disabled = true;
    api.unlockUser(u.id).then(
      () => { if (!ctx.signal.aborted) void renderUsers(root, ctx); },
      (err: unknown) => {
        button.disabled = false;
        mount(msg, errorView(err));
      });
  };
  const table = dataTable<UserView>([
    { label: L('用户名', 'User name'), cell: (u) => u.username, sort: (u) => u.username },
    { label: L('角色', 'Role'), cell: (u) => roleLabel(u.role), sort: (u) => u.role },
    { label: L('状态', 'Status'), cell: status },
    {
      label: L('连续登录失败', 'Failed logins in a row'), num: true, cell: (u) => u.failed_logins, sort: (u) => u.failed_logins,
      title: L('上次成功登录以来输错密码的次数（10 次锁定）', 'Wrong passwords since the last successful login (10 lock the account)'),
    },
    { label: L('创建时间', 'Created'), cell: (u) => dateTime(u.created_at), sort: (u) => u.created_at },
    {
      label: '', cell: (u) => {
        if (!u.locked) return null;
        const button = h('button', { class: 'btn', 'data-testid': `unlock-${u.id}` }, L('解锁', 'Unlock'));
        button.addEventListener('click', () => unlock(u, button));
        return button;
      },
    },
  ], users, { testid: 'users-table' });

  const locked = users.filter((u) => u.locked).length;
  mount(root,
    pageHeader(L('用户', 'Users'), locked > 0
      ? L(`${locked} 个账号因多次登录失败已锁定`, `${locked} account(s) locked after failed logins`)
      : L('没有被锁定的账号', 'No locked accounts')),
    msg,
    card(null, table.el,
      h('p', { class: 'muted small' }, L(
        '连续输错密码 10 次的账号会被锁定，解锁后即可登录；重置密码也会解锁。新建用户、修改角色和重置密码请使用接口 /api/users（见 /docs）。',
        'An account is locked after 10 wrong passwords in a row; unlocking lets the user log in again, and so does a password reset. Create users, change roles and reset passwords through /api/users (see /docs).'))));
}
