// <moz-platform-admin>: users, roles, app keys and the plan of the caller's tenant (moz.platform.admin).
import { html, nothing } from 'lit';
import type { Invoice, Subscription } from '../../connectors/contracts/billing.ts';
import type { OutputOf } from '../../connectors/contracts/contract.ts';
import type { AppKey, IdentityContract, Role, User } from '../../connectors/contracts/identity.ts';
import type { BillingContract } from '../../connectors/contracts/billing.ts';
import type { Page } from './api.ts';
import { PluginElement, copyText, formValues, loadMore, when } from './ui.ts';
import './usage-chart.ts';

type Usage = OutputOf<BillingContract, 'getUsage'>;
type CreatedKey = OutputOf<IdentityContract, 'createAppKey'>;
type Checkout = OutputOf<BillingContract, 'createCheckout'>;

export const ADMIN_VIEWS = ['users', 'roles', 'keys', 'plan'] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];
const VIEW_LABELS: Record<AdminView, string> = { users: 'Users', roles: 'Roles', keys: 'App keys', plan: 'Plan and billing' };
/** The first action each view needs. */
const VIEW_ACTION: Record<AdminView, string> = { users: 'list_users', roles: 'list_roles', keys: 'list_app_keys', plan: 'get_subscription' };
const PAID_PLANS = ['starter', 'premium', 'business', 'enterprise'] as const;

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
  };
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
  private search = '';

  constructor() {
    super();
    this.view = 'users';
    this.copied = false;
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
      case 'plan':
        await Promise.all([
          this.run('subscription', async () => void (this.subscription = await this.execute<Subscription>('get_subscription'))),
          this.can('get_usage') ? this.run('usage', async () => void (this.usage = await this.execute<Usage>('get_usage'))) : undefined,
          this.can('list_invoices') ? this.loadInvoices() : undefined,
        ]);
    }
  }

  private select(view: AdminView): void {
    if (view === this.view) return;
    this.view = view;
    this.dispatchEvent(new CustomEvent('moz-view-change', { bubbles: true, composed: true, detail: { view } }));
  }

  // Users

  private async loadUsers(more = false): Promise<void> {
    await this.run(more ? 'moreUsers' : 'users', async () => {
      const page = await this.execute<Page<User>>('list_users', { ...(this.search && { search: this.search }), ...(more && this.users?.nextCursor && { cursor: this.users.nextCursor }) });
      this.users = more && this.users ? { items: [...this.users.items, ...page.items], nextCursor: page.nextCursor } : page;
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
      this.keys = more && this.keys ? { items: [...this.keys.items, ...page.items], nextCursor: page.nextCursor } : page;
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
      this.invoices = more && this.invoices ? { items: [...this.invoices.items, ...page.items], nextCursor: page.nextCursor } : page;
    });
  }

  private async checkout(event: Event): Promise<void> {
    const { plan } = formValues(event);
    const back = location.href;
    let url: string | undefined;
    await this.run('checkout', async () => {
      url = (await this.execute<Checkout>('create_checkout', { plan, successUrl: back, cancelUrl: back })).checkoutUrl;
    });
    if (url) location.assign(url);
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
      ${this.view === 'users' ? this.renderUsers() : this.view === 'roles' ? this.renderRoles() : this.view === 'keys' ? this.renderKeys() : this.renderPlan()}
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
                      ${user.status === 'active' && this.can('suspend_user')
                        ? html`<button class="danger" type="button" @click=${() => this.suspend(user, 'suspend_user')}>Suspend<span class="sr-only"> ${name}</span></button>`
                        : user.status === 'suspended' && this.can('unsuspend_user')
                          ? html`<button class="secondary" type="button" @click=${() => this.suspend(user, 'unsuspend_user')}>Unsuspend<span class="sr-only"> ${name}</span></button>`
                          : nothing}
                      ${this.problem(`suspend:${user.userId}`)}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`}
      ${loadMore(page?.nextCursor, this.op('moreUsers').busy, () => void this.loadUsers(true), 'users')}`;
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

  private renderPlan() {
    const sub = this.subscription;
    const invoices = this.invoices;
    return html`<h2>Plan and billing</h2>
      ${this.problem('subscription')}
      ${!sub
        ? html`<p class="loading" role="status">Loading the plan…</p>`
        : html`<dl class="card">
            <dt>Plan</dt><dd><strong>${sub.effectivePlan}</strong>${sub.plan !== sub.effectivePlan ? ` (subscribed: ${sub.plan})` : ''}</dd>
            <dt>Status</dt><dd>${sub.status}${sub.cancelAtPeriodEnd ? ', ends at the end of the period' : ''}</dd>
            ${sub.currentPeriodEnd ? html`<dt>Current period ends</dt><dd>${when(sub.currentPeriodEnd)}</dd>` : nothing}
          </dl>`}
      ${this.can('get_usage')
        ? html`<h3>Usage</h3>
            ${this.problem('usage')}
            ${this.usage ? html`<moz-usage-chart .metrics=${this.usage.metrics}></moz-usage-chart>` : html`<p class="loading" role="status">Loading usage…</p>`}`
        : nothing}
      ${this.can('create_checkout')
        ? html`<h3>Change plan</h3>
            <form class="inline card" aria-label="Change plan" @submit=${this.checkout}>
              ${this.field('checkout', 'plan', 'New plan', { type: 'select', choices: PAID_PLANS, value: 'premium' })}
              <button type="submit" ?disabled=${this.op('checkout').busy}>Go to checkout</button>
            </form>
            ${this.problem('checkout', ['plan'])}`
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
