// <moz-platform-admin>: users, roles, app keys and the plan of the caller's tenant (moz.platform.admin).
// The plan view also shows, buys and cancels the plan of one of the tenant's apps (Billing's app scope).
import { css, html, nothing } from 'lit';
import type { Invoice, Subscription } from '../../connectors/contracts/billing.ts';
import type { OutputOf } from '../../connectors/contracts/contract.ts';
import type { App } from '../../connectors/contracts/hosting.ts';
import type { AppKey, IdentityContract, Role, User } from '../../connectors/contracts/identity.ts';
import type { BillingContract } from '../../connectors/contracts/billing.ts';
import { appNameIn, type Page } from './api.ts';
import { appendPage, PluginElement, baseStyles, copyText, formValues, loadMore, when } from './ui.ts';
import './usage-chart.ts';

type Usage = OutputOf<BillingContract, 'getUsage'>;
type CreatedKey = OutputOf<IdentityContract, 'createAppKey'>;
type Checkout = OutputOf<BillingContract, 'createCheckout'>;
type Cancellation = OutputOf<BillingContract, 'cancelSubscription'>;
type PermissionCheck = OutputOf<IdentityContract, 'checkPermissions'>;

export const ADMIN_VIEWS = ['users', 'roles', 'keys', 'plan'] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];
const VIEW_LABELS: Record<AdminView, string> = { users: 'Users', roles: 'Roles', keys: 'App keys', plan: 'Plan and billing' };
/** The first action each view needs. */
const VIEW_ACTION: Record<AdminView, string> = { users: 'list_users', roles: 'list_roles', keys: 'list_app_keys', plan: 'get_subscription' };
const PAID_PLANS = ['starter', 'premium', 'business', 'enterprise'] as const;
/** check_permissions takes at most this many permissions at once. */
const CHECK_BATCH = 50;
/**
 * The app whose plan a checkout was started for ('' for the platform plan), kept for this tab while
 * the person is on the payment provider's page, so that coming back shows the plan just bought.
 */
const CHECKOUT_SCOPE_KEY = 'mozaiks.admin.checkoutScope';

const splitList = (text: string | undefined): string[] => [...new Set((text ?? '').split(',').map((item) => item.trim()).filter(Boolean))];

function rememberCheckoutScope(appId: string): void {
  try {
    sessionStorage.setItem(CHECKOUT_SCOPE_KEY, appId);
  } catch {
    // No storage (e.g. a sandboxed frame): coming back shows the platform plan.
  }
}

function takeCheckoutScope(): string | undefined {
  try {
    const appId = sessionStorage.getItem(CHECKOUT_SCOPE_KEY);
    sessionStorage.removeItem(CHECKOUT_SCOPE_KEY);
    return appId ?? undefined;
  } catch {
    return undefined;
  }
}

export class MozPlatformAdmin extends PluginElement {
  static override properties = {
    view: { type: String, reflect: true },
    users: { state: true },
    roles: { state: true },
    keys: { state: true },
    secret: { state: true },
    copied: { state: true },
    subscription: { state: true },
    usage: { state: true },
    invoices: { state: true },
    notice: { state: true },
    apps: { state: true },
    planApp: { state: true },
    confirmingCancel: { state: true },
    canceled: { state: true },
    openUserId: { state: true },
    userDetail: { state: true },
    effective: { state: true },
    access: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      ul.permissions { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap; gap: 0.35rem; }
      .granted { color: #1e6b34; font-weight: 600; }
      .denied { color: #a4161a; font-weight: 600; }
      .confirm { border-color: #a4161a; }
      .confirm h4 { margin: 0 0 0.4rem; font-size: 1rem; }
      .confirm .actions { margin-top: 0.6rem; }
      #plan-scope { max-width: 28rem; }
    `,
  ];
  protected readonly plugin = 'moz.platform.admin';
  /** Which part is shown: users, roles, keys or plan. */
  declare view: AdminView;
  declare private users: Page<User> | undefined;
  declare private roles: Role[] | undefined;
  declare private keys: Page<AppKey> | undefined;
  declare private secret: CreatedKey | undefined;
  declare private copied: boolean;
  declare private subscription: Subscription | undefined;
  declare private usage: Usage | undefined;
  declare private invoices: Page<Invoice> | undefined;
  declare private notice: string | undefined;
  /** The tenant's apps (Hosting), whose own plans the plan view shows; [] when Hosting is not offered. */
  declare private apps: App[] | undefined;
  /** Whose plan the plan view shows: '' for the tenant's platform plan, else an app's id. */
  declare private planApp: string;
  declare private confirmingCancel: boolean;
  /** What the last cancellation answered, with the plan it ended. */
  declare private canceled: { cancelAt: string; plan: string; of: string } | undefined;
  /** The user whose detail the users view shows, if any. */
  declare private openUserId: string | undefined;
  declare private userDetail: User | undefined;
  /** The open user's effective permissions (granted now; none while suspended). */
  declare private effective: string[] | undefined;
  /** The last "Check access" answer: each permission asked and whether it is granted. */
  declare private access: Array<{ permission: string; granted: boolean }> | undefined;
  private search = '';

  constructor() {
    super();
    this.view = 'users';
    this.copied = false;
    this.planApp = '';
    this.confirmingCancel = false;
  }

  /** Back from the payment provider through the browser's history: the page may come from its cache, so read the plan again. */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.allowed) void this.load();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('pageshow', this.onPageShow);
  }

  override disconnectedCallback(): void {
    removeEventListener('pageshow', this.onPageShow);
    super.disconnectedCallback();
  }

  private views(): AdminView[] {
    return ADMIN_VIEWS.filter((view) => this.can(VIEW_ACTION[view]));
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed as never);
    if (changed.has('view') && changed.get('view') !== undefined && this.allowed) void this.load();
  }

  protected override async load(): Promise<void> {
    const views = this.views();
    if (!views.includes(this.view) && views[0]) this.view = views[0];
    this.notice = undefined;
    switch (this.view) {
      case 'users':
        return this.loadUsers();
      case 'roles':
        return this.loadRoles();
      case 'keys':
        return this.loadKeys();
      case 'plan': {
        // Back from a checkout started for an app: show that app's plan (once the apps say it still exists).
        const returning = takeCheckoutScope();
        if (returning === '') this.planApp = '';
        this.confirmingCancel = false;
        this.canceled = undefined;
        await Promise.all([
          returning
            ? this.loadApps().then(() => {
                this.planApp = this.apps?.some((app) => app.appId === returning) ? returning : '';
                return this.loadSubscription();
              })
            : Promise.all([this.loadApps(), this.loadSubscription()]),
          this.can('get_usage') ? this.run('usage', async () => void (this.usage = await this.execute<Usage>('get_usage'))) : undefined,
          this.can('list_invoices') ? this.loadInvoices() : undefined,
        ]);
      }
    }
  }

  private select(view: AdminView): void {
    if (view === this.view) {
      if (view === 'users' && this.openUserId) void this.closeUser();
      return;
    }
    this.openUserId = undefined;
    this.view = view;
    this.dispatchEvent(new CustomEvent('moz-view-change', { bubbles: true, composed: true, detail: { view } }));
  }

  // Users

  private async loadUsers(more = false): Promise<void> {
    await this.run(more ? 'moreUsers' : 'users', async () => {
      const page = await this.execute<Page<User>>('list_users', { ...(this.search && { search: this.search }), ...(more && this.users?.nextCursor && { cursor: this.users.nextCursor }) });
      this.users = appendPage(more ? this.users : undefined, page);
    });
  }

  private async searchUsers(event: Event): Promise<void> {
    this.search = formValues(event).search ?? '';
    await this.loadUsers();
  }

  private async saveRoles(event: Event, user: User): Promise<void> {
    const roles = (formValues(event).roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    const ok = await this.run(`roles:${user.userId}`, async () => {
      await this.execute<User>('update_user_roles', { userId: user.userId, roles });
      this.notice = `Roles of ${user.displayName || user.userId} saved.`;
    });
    if (ok) await this.loadUsers();
  }

  private async suspend(user: User, action: 'suspend_user' | 'unsuspend_user'): Promise<void> {
    const ok = await this.run(`suspend:${user.userId}`, async () => {
      await this.execute<User>(action, { userId: user.userId });
      this.notice = `${user.displayName || user.userId} ${action === 'suspend_user' ? 'suspended' : 'is active again'}.`;
    });
    if (ok) await this.loadUsers();
  }

  // One user

  private async openUser(user: User): Promise<void> {
    const userId = user.userId;
    this.notice = undefined;
    this.openUserId = userId;
    this.userDetail = undefined;
    this.effective = undefined;
    this.access = undefined;
    this.ops = { ...this.ops, user: {}, effective: {}, access: {} };
    const ok = await this.run('user', async () => {
      const detail = await this.execute<User>('get_user', { userId });
      if (this.openUserId === userId) this.userDetail = detail;
    });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(ok ? '#user-title' : '#user-back')?.focus();
    if (ok) await this.loadEffective(userId);
  }

  /** The permissions `userId` holds now: every permission a role can name (list_roles), asked of check_permissions. */
  private async loadEffective(userId: string): Promise<void> {
    if (!this.can('check_permissions') || !this.can('list_roles')) return;
    await this.run('effective', async () => {
      const roles = this.roles ?? (await this.execute<{ items: Role[] }>('list_roles')).items;
      const known = [...new Set(roles.flatMap((role) => role.permissions))].sort();
      const batches: string[][] = [];
      for (let i = 0; i < known.length; i += CHECK_BATCH) batches.push(known.slice(i, i + CHECK_BATCH));
      const answers = await Promise.all(batches.map((permissions) => this.execute<PermissionCheck>('check_permissions', { userId, permissions })));
      const granted = new Set(answers.flatMap(({ results }) => Object.keys(results).filter((permission) => results[permission])));
      if (this.openUserId === userId) this.effective = known.filter((permission) => granted.has(permission));
    });
  }

  private async checkAccess(event: Event): Promise<void> {
    const userId = this.openUserId;
    if (!userId) return;
    const permissions = splitList(formValues(event).permissions);
    this.access = undefined;
    const ok = await this.run('access', async () => {
      const { results } = await this.execute<PermissionCheck>('check_permissions', { userId, permissions });
      if (this.openUserId === userId) this.access = permissions.map((permission) => ({ permission, granted: results[permission] === true }));
    });
    if (ok) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#access-title')?.focus();
    } else await this.focusInvalid();
  }

  private async closeUser(): Promise<void> {
    const userId = this.openUserId;
    this.openUserId = undefined;
    this.userDetail = undefined;
    this.effective = undefined;
    this.access = undefined;
    await this.updateComplete;
    // Focus goes back to the row the person came from.
    const rows = Array.from(this.renderRoot.querySelectorAll<HTMLElement>('button[data-user-id]'));
    rows.find((button) => button.dataset.userId === userId)?.focus();
  }

  // Roles

  private async loadRoles(): Promise<void> {
    await this.run('roles', async () => void (this.roles = (await this.execute<{ items: Role[] }>('list_roles')).items));
  }

  private async upsertRole(event: Event): Promise<void> {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    const permissions = (values.permissions ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const ok = await this.run('upsertRole', async () => {
      const role = await this.execute<Role>('upsert_role', { name: values.name ?? '', permissions });
      this.notice = `Role ${role.name} saved.`;
    });
    if (ok) {
      form.reset();
      await this.loadRoles();
    } else await this.focusInvalid();
  }

  // App keys

  private async loadKeys(more = false): Promise<void> {
    await this.run(more ? 'moreKeys' : 'keys', async () => {
      const page = await this.execute<Page<AppKey>>('list_app_keys', more && this.keys?.nextCursor ? { cursor: this.keys.nextCursor } : {});
      this.keys = appendPage(more ? this.keys : undefined, page);
    });
  }

  private async createKey(event: Event): Promise<void> {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    this.copied = false;
    const ok = await this.run('createKey', async () => void (this.secret = await this.execute<CreatedKey>('create_app_key', values)));
    if (ok) {
      form.reset();
      await this.loadKeys();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#secret-title')?.focus();
    } else await this.focusInvalid();
  }

  private async revokeKey(key: AppKey): Promise<void> {
    if (!confirm(`Revoke the key "${key.name}"? Runtimes using it stop working.`)) return;
    const ok = await this.run(`revoke:${key.keyId}`, async () => {
      await this.execute<AppKey>('revoke_app_key', { keyId: key.keyId });
      this.notice = `Key ${key.name} revoked.`;
    });
    if (ok) await this.loadKeys();
  }

  // Plan

  private async loadInvoices(more = false): Promise<void> {
    await this.run(more ? 'moreInvoices' : 'invoices', async () => {
      const page = await this.execute<Page<Invoice>>('list_invoices', more && this.invoices?.nextCursor ? { cursor: this.invoices.nextCursor } : {});
      this.invoices = appendPage(more ? this.invoices : undefined, page);
    });
  }

  /** The tenant's apps (Hosting), for the plan view's choice of whose plan; only when Hosting offers list_apps. */
  private async loadApps(): Promise<void> {
    await this.run('apps', async () => {
      const hosting = await this.client.allowedActions('moz.platform.hosting');
      this.apps = hosting.has('list_apps') ? await this.client.tenantApps() : [];
    });
  }

  /** Billing's input naming whose plan: nothing for the platform plan, else the app scope. */
  private scopeOf(appId: string): Record<string, unknown> {
    return appId ? { scope: 'app', appId } : {};
  }

  /** "your tenant" or the app's name, as the plan view says whose plan it is. */
  private scopeName(appId = this.planApp): string {
    if (!appId) return 'your tenant';
    return `the app "${appNameIn(this.apps, appId)}"`;
  }

  private async loadSubscription(): Promise<void> {
    const appId = this.planApp;
    await this.run('subscription', async () => {
      const subscription = await this.execute<Subscription>('get_subscription', this.scopeOf(appId));
      if (appId === this.planApp) this.subscription = subscription; // another scope picked meanwhile: its load wins
    });
  }

  private async pickScope(appId: string): Promise<void> {
    if (appId === this.planApp) return;
    this.planApp = appId;
    this.subscription = undefined;
    this.confirmingCancel = false;
    this.canceled = undefined;
    this.ops = { ...this.ops, subscription: {}, checkout: {}, cancel: {} };
    await this.loadSubscription();
  }

  private async checkout(event: Event): Promise<void> {
    const { plan } = formValues(event);
    const back = location.href;
    const appId = this.planApp;
    let url: string | undefined;
    await this.run('checkout', async () => {
      url = (await this.execute<Checkout>('create_checkout', { plan, ...this.scopeOf(appId), successUrl: back, cancelUrl: back })).checkoutUrl;
    });
    if (url) {
      rememberCheckoutScope(appId);
      location.assign(url);
    } else await this.focusInvalid();
  }

  private async askCancel(): Promise<void> {
    this.confirmingCancel = true;
    this.canceled = undefined;
    this.ops = { ...this.ops, cancel: {} };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#cancel-title')?.focus();
  }

  private async keepPlan(): Promise<void> {
    this.confirmingCancel = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#cancel-open')?.focus();
  }

  private async cancelSubscription(event: Event): Promise<void> {
    const { reason } = formValues(event);
    const appId = this.planApp;
    const plan = this.subscription?.effectivePlan ?? '';
    const of = this.scopeName(appId);
    let answer: Cancellation | undefined;
    const ok = await this.run('cancel', async () => {
      answer = await this.execute<Cancellation>('cancel_subscription', { ...this.scopeOf(appId), ...(reason && { reason }) });
    });
    if (!ok || !answer) return this.focusInvalid();
    this.confirmingCancel = false;
    this.canceled = { cancelAt: answer.cancelAt, plan, of };
    await this.loadSubscription();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#cancel-result')?.focus();
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    const views = this.views();
    if (views.length === 0) return html`<div class="notice refused" role="alert">Your roles do not let you administer this tenant.</div>`;
    return html`
      <nav class="tabs" aria-label="Administration">
        ${views.map(
          (view) => html`<button type="button" aria-current=${view === this.view ? 'page' : 'false'} @click=${() => this.select(view)}>${VIEW_LABELS[view]}</button>`,
        )}
      </nav>
      ${this.notice ? html`<p class="notice ok" role="status">${this.notice}</p>` : nothing}
      ${this.view === 'users' ? (this.openUserId ? this.renderUser() : this.renderUsers()) : this.view === 'roles' ? this.renderRoles() : this.view === 'keys' ? this.renderKeys() : this.renderPlan()}
    `;
  }

  private renderUsers() {
    const page = this.users;
    return html`<h2>Users</h2>
      <form class="inline" role="search" aria-label="Search users" @submit=${this.searchUsers}>
        ${this.field('users', 'search', 'Search by username or email', { type: 'search', value: this.search })}
        <button class="secondary" type="submit">Search</button>
      </form>
      ${this.problem('users', ['search'])}
      ${!page
        ? html`<p class="loading" role="status">Loading users…</p>`
        : page.items.length === 0
          ? html`<p class="empty">No users match.</p>`
          : html`<table>
              <caption class="sr-only">Users</caption>
              <thead><tr><th scope="col">User</th><th scope="col">Roles</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
              <tbody>
                ${page.items.map((user) => {
                  const name = user.displayName || user.username || user.userId;
                  return html`<tr>
                    <td>${name}<div class="hint">${user.email || user.userId}</div></td>
                    <td>
                      ${this.can('update_user_roles')
                        ? html`<form class="inline" aria-label=${`Roles of ${name}`} @submit=${(e: Event) => this.saveRoles(e, user)}>
                            ${this.field(`roles:${user.userId}`, 'roles', `Roles of ${name}`, { value: user.roles.join(', '), hint: 'comma-separated' })}
                            <button class="secondary" type="submit">Save roles</button>
                          </form>`
                        : user.roles.join(', ')}
                      ${this.problem(`roles:${user.userId}`, ['roles'])}
                    </td>
                    <td><span class="status">${user.status}</span></td>
                    <td>
                      <div class="actions">
                      ${this.can('get_user')
                        ? html`<button class="secondary" type="button" data-user-id=${user.userId} @click=${() => this.openUser(user)}>Details<span class="sr-only"> of ${name}</span></button>`
                        : nothing}
                      ${user.status === 'active' && this.can('suspend_user')
                        ? html`<button class="danger" type="button" @click=${() => this.suspend(user, 'suspend_user')}>Suspend<span class="sr-only"> ${name}</span></button>`
                        : user.status === 'suspended' && this.can('unsuspend_user')
                          ? html`<button class="secondary" type="button" @click=${() => this.suspend(user, 'unsuspend_user')}>Unsuspend<span class="sr-only"> ${name}</span></button>`
                          : nothing}
                      </div>
                      ${this.problem(`suspend:${user.userId}`)}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`}
      ${loadMore(page?.nextCursor, this.op('moreUsers').busy, () => void this.loadUsers(true), 'users')}`;
  }

  private renderUser() {
    const user = this.userDetail;
    const name = user ? user.displayName || user.username || user.userId : '';
    const access = this.access;
    return html`<p><button class="link" id="user-back" type="button" @click=${() => this.closeUser()}>← All users</button></p>
      ${this.problem('user')}
      ${!user
        ? this.op('user').error
          ? nothing
          : html`<p class="loading" role="status">Loading the user…</p>`
        : html`<h2 id="user-title" tabindex="-1">${name} <span class="status">${user.status}</span></h2>
            <dl class="card">
              <dt>Username</dt><dd>${user.username}</dd>
              <dt>Email</dt><dd>${user.email || '—'}</dd>
              <dt>User id</dt><dd><code>${user.userId}</code></dd>
              <dt>Roles</dt><dd>${user.roles.join(', ') || '—'}</dd>
              <dt>Status</dt><dd>${user.status}</dd>
              <dt>Member since</dt><dd>${when(user.createdAt)}</dd>
              <dt>Last sign-in</dt><dd>${user.lastLoginAt ? when(user.lastLoginAt) : 'never'}</dd>
            </dl>
            ${this.can('check_permissions') && this.can('list_roles')
              ? html`<h3>Effective permissions</h3>
                  ${this.problem('effective')}
                  ${!this.effective
                    ? this.op('effective').error
                      ? nothing
                      : html`<p class="loading" role="status">Loading permissions…</p>`
                    : this.effective.length === 0
                      ? html`<p class="empty">${user.status === 'suspended' ? 'None: a suspended user may do nothing, whatever their roles.' : 'None.'}</p>`
                      : html`<ul class="permissions" aria-label=${`Permissions of ${name}`}>
                          ${this.effective.map((permission) => html`<li><code>${permission}</code></li>`)}
                        </ul>`}`
              : nothing}
            ${this.can('check_permissions')
              ? html`<h3>Check access</h3>
                  <form class="inline card" aria-label=${`Check the access of ${name}`} @submit=${this.checkAccess}>
                    ${this.field('access', 'permissions', 'Permissions to check', { required: true, hint: 'comma-separated, e.g. manage:billing, read:users' })}
                    <button type="submit" ?disabled=${this.op('access').busy}>Check access</button>
                  </form>
                  ${this.problem('access', ['permissions'])}
                  ${access
                    ? html`<h4 id="access-title" tabindex="-1">Access of ${name}</h4>
                        <table>
                          <caption class="sr-only">Access of ${name}</caption>
                          <thead><tr><th scope="col">Permission</th><th scope="col">Access</th></tr></thead>
                          <tbody>
                            ${access.map(
                              ({ permission, granted }) =>
                                html`<tr><td><code>${permission}</code></td><td class=${granted ? 'granted' : 'denied'}>${granted ? '✓ granted' : '✗ not granted'}</td></tr>`,
                            )}
                          </tbody>
                        </table>`
                    : nothing}`
              : nothing}`}`;
  }

  private renderRoles() {
    return html`<h2>Roles</h2>
      ${this.problem('roles')}
      ${!this.roles
        ? html`<p class="loading" role="status">Loading roles…</p>`
        : html`<table>
            <caption class="sr-only">Roles</caption>
            <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Kind</th></tr></thead>
            <tbody>
              ${this.roles.map((role) => html`<tr><td>${role.name}</td><td>${role.permissions.join(', ')}</td><td>${role.builtIn ? 'built-in' : 'custom'}</td></tr>`)}
            </tbody>
          </table>`}
      ${this.can('upsert_role')
        ? html`<h3>Define a custom role</h3>
            <form class="inline card" aria-label="Define a custom role" @submit=${this.upsertRole}>
              ${this.field('upsertRole', 'name', 'Role name', { required: true, hint: 'lower-case, e.g. support' })}
              ${this.field('upsertRole', 'permissions', 'Permissions', { required: true, hint: 'comma-separated, e.g. read:*, moderate:social' })}
              <button type="submit" ?disabled=${this.op('upsertRole').busy}>Save role</button>
            </form>
            ${this.problem('upsertRole', ['name', 'permissions'])}`
        : nothing}`;
  }

  private renderKeys() {
    const page = this.keys;
    const secret = this.secret;
    return html`<h2>App keys</h2>
      <p class="hint">A tenant's managed runtime sends an app key as <code>x-mozaiks-app-key</code>. The secret is shown once.</p>
      ${this.can('create_app_key')
        ? html`<form class="inline card" aria-label="Create an app key" @submit=${this.createKey}>
            ${this.field('createKey', 'name', 'Key name', { required: true })}
            <button type="submit" ?disabled=${this.op('createKey').busy}>Create key</button>
          </form>
          ${this.problem('createKey', ['name'])}`
        : nothing}
      ${secret
        ? html`<section class="card secret" aria-labelledby="secret-title">
            <h3 id="secret-title" tabindex="-1">Secret of "${secret.name}": copy it now</h3>
            <p>It is shown only this once; the platform keeps only its hash.</p>
            <p><code class="secret-value">${secret.secret}</code></p>
            <div class="actions">
              <button type="button" @click=${async () => (this.copied = await copyText(secret.secret))}>Copy secret</button>
              <button class="secondary" type="button" @click=${() => (this.secret = undefined)}>I have stored it</button>
            </div>
            <p role="status">${this.copied ? 'Copied to the clipboard.' : ''}</p>
          </section>`
        : nothing}
      ${this.problem('keys')}
      ${!page
        ? html`<p class="loading" role="status">Loading keys…</p>`
        : page.items.length === 0
          ? html`<p class="empty">No app keys yet.</p>`
          : html`<table>
              <caption class="sr-only">App keys</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
              <tbody>
                ${page.items.map(
                  (key) => html`<tr>
                    <td>${key.name}</td>
                    <td><code>${key.prefix}…</code></td>
                    <td>${when(key.createdAt)}</td>
                    <td>${key.revokedAt ? `revoked ${when(key.revokedAt)}` : 'active'}</td>
                    <td>
                      ${!key.revokedAt && this.can('revoke_app_key')
                        ? html`<button class="danger" type="button" @click=${() => this.revokeKey(key)}>Revoke<span class="sr-only"> ${key.name}</span></button>`
                        : nothing}
                      ${this.problem(`revoke:${key.keyId}`)}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${loadMore(page?.nextCursor, this.op('moreKeys').busy, () => void this.loadKeys(true), 'keys')}`;
  }

  /** Whose plan the view shows: the tenant's platform plan or one of its apps' own plans. */
  private renderScopePicker() {
    const apps = this.apps;
    if (!apps || apps.length === 0) return nothing;
    return html`<div class="field">
      <label for="plan-scope">Subscription of</label>
      <select id="plan-scope" aria-describedby="plan-scope-hint" @change=${(event: Event) => this.pickScope((event.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${this.planApp === ''}>Your tenant (platform plan)</option>
        ${apps.map((app) => html`<option value=${app.appId} ?selected=${app.appId === this.planApp}>App: ${app.name}${app.status === 'archived' ? ' (archived)' : ''}</option>`)}
      </select>
      <span class="hint" id="plan-scope-hint">An app can have a subscription of its own. Your tenant's features and limits come from the platform plan.</span>
    </div>`;
  }

  private renderCancel(sub: Subscription) {
    const cancellable = this.can('cancel_subscription') && sub.effectivePlan !== 'free' && !sub.cancelAtPeriodEnd && sub.status !== 'canceled';
    const canceled = this.canceled;
    return html`${canceled
      ? html`<p class="notice ok" id="cancel-result" role="status" tabindex="-1">
          <strong>Subscription canceled.</strong> The ${canceled.plan} plan of ${canceled.of} ends ${when(canceled.cancelAt)}${
            sub.effectivePlan !== 'free' ? html`; until then ${canceled.of} keeps <strong>${sub.effectivePlan}</strong>.` : html`; ${canceled.of} is now on <strong>free</strong>.`
          }
        </p>`
      : nothing}
    ${cancellable && !this.confirmingCancel
      ? html`<p><button class="danger" id="cancel-open" type="button" @click=${() => this.askCancel()}>Cancel subscription</button></p>`
      : nothing}
    ${cancellable && this.confirmingCancel
      ? html`<section
          class="card confirm"
          aria-labelledby="cancel-title"
          @keydown=${(event: KeyboardEvent) => {
            if (event.key === 'Escape') void this.keepPlan();
          }}
        >
          <h4 id="cancel-title" tabindex="-1">Cancel the ${sub.plan} plan of ${this.scopeName()}?</h4>
          <p>
            ${sub.currentPeriodEnd
              ? html`It stays in effect until the end of the paid period (${when(sub.currentPeriodEnd)}), then ${this.scopeName()} is on the free plan.`
              : html`It ends now, and ${this.scopeName()} is on the free plan.`}
          </p>
          <form aria-label="Confirm the cancellation" @submit=${this.cancelSubscription}>
            ${this.field('cancel', 'reason', 'Reason (optional)', { hint: 'at most 500 characters' })}
            <div class="actions">
              <button class="danger" type="submit" ?disabled=${this.op('cancel').busy}>Yes, cancel the subscription</button>
              <button class="secondary" type="button" @click=${() => this.keepPlan()}>Keep the plan</button>
            </div>
          </form>
          ${this.problem('cancel', ['reason'])}
        </section>`
      : nothing}`;
  }

  private renderPlan() {
    const sub = this.subscription;
    const invoices = this.invoices;
    const forApp = this.planApp !== '';
    return html`<h2>Plan and billing</h2>
      ${this.renderScopePicker()}
      ${this.problem('apps')}
      <h3>${forApp ? `Plan of ${this.scopeName()}` : 'Platform plan'}</h3>
      ${this.problem('subscription')}
      ${!sub
        ? this.op('subscription').error
          ? nothing
          : html`<p class="loading" role="status">Loading the plan…</p>`
        : html`<dl class="card">
              <dt>Plan</dt><dd><strong>${sub.effectivePlan}</strong>${sub.plan !== sub.effectivePlan ? ` (subscribed: ${sub.plan})` : ''}</dd>
              <dt>Status</dt><dd>${sub.status}${sub.cancelAtPeriodEnd ? ', ends at the end of the period' : ''}</dd>
              ${sub.currentPeriodEnd ? html`<dt>${sub.cancelAtPeriodEnd ? 'Ends' : 'Current period ends'}</dt><dd>${when(sub.currentPeriodEnd)}</dd>` : nothing}
            </dl>
            ${this.renderCancel(sub)}`}
      ${this.can('create_checkout')
        ? html`<h3>${forApp ? `Change the plan of ${this.scopeName()}` : 'Change plan'}</h3>
            <form class="inline card" aria-label=${forApp ? `Change the plan of ${this.scopeName()}` : 'Change plan'} @submit=${this.checkout}>
              ${this.field('checkout', 'plan', 'New plan', { type: 'select', choices: PAID_PLANS, value: sub?.effectivePlan === 'premium' ? 'business' : 'premium' })}
              <button type="submit" ?disabled=${this.op('checkout').busy}>Go to checkout</button>
            </form>
            ${this.problem('checkout', ['plan'])}`
        : nothing}
      ${this.can('get_usage')
        ? html`<h3>Usage</h3>
            ${this.problem('usage')}
            ${this.usage ? html`<moz-usage-chart .metrics=${this.usage.metrics}></moz-usage-chart>` : html`<p class="loading" role="status">Loading usage…</p>`}`
        : nothing}
      ${this.can('list_invoices')
        ? html`<h3>Invoices</h3>
            ${this.problem('invoices')}
            ${!invoices
              ? html`<p class="loading" role="status">Loading invoices…</p>`
              : invoices.items.length === 0
                ? html`<p class="empty">No invoices yet.</p>`
                : html`<table>
                    <caption class="sr-only">Invoices</caption>
                    <thead><tr><th scope="col">Invoice</th><th scope="col">Plan</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Date</th></tr></thead>
                    <tbody>
                      ${invoices.items.map(
                        (inv) => html`<tr>
                          <td><code>${inv.id}</code></td><td>${inv.plan}</td>
                          <td>${(inv.amountCents / 100).toLocaleString(undefined, { style: 'currency', currency: inv.currency.toUpperCase() })}</td>
                          <td>${inv.status}</td><td>${when(inv.createdAt)}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>`}
            ${loadMore(invoices?.nextCursor, this.op('moreInvoices').busy, () => void this.loadInvoices(true), 'invoices')}`
        : nothing}`;
  }
}

customElements.get('moz-platform-admin') ?? customElements.define('moz-platform-admin', MozPlatformAdmin);
