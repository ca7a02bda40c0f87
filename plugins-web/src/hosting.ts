// <moz-platform-hosting>: apps, their lifecycle, deployments and custom domains (moz.platform.hosting).
import { html, nothing } from 'lit';
import type { App, Deployment, Domain } from '../../connectors/contracts/hosting.ts';
import type { Page } from './api.ts';
import { appendPage, PluginElement, copyText, formValues, loadMore, when } from './ui.ts';

interface Lifecycle {
  appId: string;
  status: App['status'];
  allowedActions: string[];
  hardDeleteAt?: string;
}

/** Lifecycle actions a button may offer, with their labels. */
const LIFECYCLE: ReadonlyArray<readonly [action: string, label: string, style: string]> = [
  ['pause_app', 'Pause', 'secondary'],
  ['resume_app', 'Resume', 'secondary'],
  ['restore_app', 'Restore', 'secondary'],
  ['delete_app', 'Delete (archive)', 'danger'],
];

export class MozPlatformHosting extends PluginElement {
  static override properties = {
    apps: { state: true },
    archived: { state: true },
    app: { state: true },
    lifecycle: { state: true },
    deployments: { state: true },
    domains: { state: true },
    notice: { state: true },
  };
  protected readonly plugin = 'moz.platform.hosting';
  declare private apps: Page<App> | undefined;
  declare private archived: boolean;
  declare private app: App | undefined;
  declare private lifecycle: Lifecycle | undefined;
  declare private deployments: Page<Deployment> | undefined;
  declare private domains: Page<Domain> | undefined;
  declare private notice: string | undefined;

  constructor() {
    super();
    this.archived = false;
  }

  protected override async load(): Promise<void> {
    await this.loadApps();
  }

  private async loadApps(more = false): Promise<void> {
    await this.run(more ? 'moreApps' : 'apps', async () => {
      const page = await this.execute<Page<App>>('list_apps', {
        ...(this.archived && { status: 'archived' }),
        ...(more && this.apps?.nextCursor && { cursor: this.apps.nextCursor }),
      });
      this.apps = appendPage(more ? this.apps : undefined, page);
    });
  }

  private async createApp(event: Event): Promise<void> {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    this.notice = undefined;
    const ok = await this.run('create', async () => {
      const app = await this.execute<App>('create_app', values);
      this.notice = `App "${app.name}" created.`;
    });
    if (ok) {
      form.reset();
      await this.loadApps();
    } else await this.focusInvalid();
  }

  private async open(appId: string): Promise<void> {
    this.notice = undefined;
    this.app = undefined;
    await this.run('app', async () => {
      const [app, lifecycle] = await Promise.all([this.execute<App>('get_app', { appId }), this.execute<Lifecycle>('get_lifecycle', { appId })]);
      this.app = app;
      this.lifecycle = lifecycle;
    });
    await Promise.all([this.loadDeployments(appId), this.loadDomains(appId)]);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#app-title')?.focus();
  }

  private async refreshApp(): Promise<void> {
    if (!this.app) return;
    const appId = this.app.appId;
    await this.run('app', async () => {
      const [app, lifecycle] = await Promise.all([this.execute<App>('get_app', { appId }), this.execute<Lifecycle>('get_lifecycle', { appId })]);
      this.app = app;
      this.lifecycle = lifecycle;
    });
  }

  private async loadDeployments(appId: string, more = false): Promise<void> {
    await this.run(more ? 'moreDeployments' : 'deployments', async () => {
      const page = await this.execute<Page<Deployment>>('list_deployments', { appId, ...(more && this.deployments?.nextCursor && { cursor: this.deployments.nextCursor }) });
      this.deployments = appendPage(more ? this.deployments : undefined, page);
    });
  }

  private async loadDomains(appId: string, more = false): Promise<void> {
    await this.run(more ? 'moreDomains' : 'domains', async () => {
      const page = await this.execute<Page<Domain>>('list_domains', { appId, ...(more && this.domains?.nextCursor && { cursor: this.domains.nextCursor }) });
      this.domains = appendPage(more ? this.domains : undefined, page);
    });
  }

  private async lifecycleAction(action: string): Promise<void> {
    const app = this.app;
    if (!app) return;
    if (action === 'delete_app' && !confirm(`Archive "${app.name}"? It can be restored for 30 days.`)) return;
    const ok = await this.run('lifecycle', async () => {
      await this.execute<App>(action, { appId: app.appId, ...(action !== 'restore_app' && { expectedVersion: app.version }) });
    });
    if (ok) await this.refreshApp();
  }

  private async deploy(event: Event): Promise<void> {
    const app = this.app;
    const values = formValues(event);
    if (!app) return;
    this.notice = undefined;
    const ok = await this.run('deploy', async () => {
      const deployment = await this.execute<Deployment>('deploy', { appId: app.appId, ...values });
      this.notice = `Deployment ${deployment.deploymentId} queued.`;
    });
    if (ok) await Promise.all([this.refreshApp(), this.loadDeployments(app.appId)]);
    else await this.focusInvalid();
  }

  private async addDomain(event: Event): Promise<void> {
    const form = event.currentTarget as HTMLFormElement;
    const app = this.app;
    const values = formValues(event);
    if (!app) return;
    this.notice = undefined;
    const ok = await this.run('addDomain', async () => {
      const domain = await this.execute<Domain>('add_domain', { appId: app.appId, ...values });
      this.notice = `Domain ${domain.domain} added: publish its TXT record, then verify it.`;
    });
    if (ok) {
      form.reset();
      await this.loadDomains(app.appId);
    } else await this.focusInvalid();
  }

  private async domainAction(action: 'verify_domain' | 'remove_domain', domain: string): Promise<void> {
    const app = this.app;
    if (!app) return;
    if (action === 'remove_domain' && !confirm(`Remove ${domain}?`)) return;
    const ok = await this.run(`domain:${domain}`, async () => {
      const answer = await this.execute<Domain | { removed: true }>(action, { appId: app.appId, domain });
      this.notice = action === 'remove_domain' ? `${domain} removed.` : `${domain}: ${(answer as Domain).status.replace('_', ' ')}.`;
    });
    if (ok) await this.loadDomains(app.appId);
  }

  private back(): void {
    this.app = undefined;
    this.lifecycle = undefined;
    this.deployments = undefined;
    this.domains = undefined;
    this.notice = undefined;
    this.ops = {};
    void this.loadApps();
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    if (!this.can('list_apps')) return html`<div class="notice refused" role="alert">Your roles do not let you see the apps of this tenant.</div>`;
    return html`
      ${this.notice ? html`<p class="notice ok" role="status">${this.notice}</p>` : nothing}
      ${this.app || this.op('app').busy || this.op('app').error ? this.renderApp() : this.renderList()}
    `;
  }

  private renderList() {
    const apps = this.apps;
    return html`
      <h2>Apps</h2>
      ${this.can('create_app')
        ? html`<form class="inline card" aria-label="Create an app" @submit=${this.createApp}>
            ${this.field('create', 'name', 'Name', { required: true })}
            ${this.field('create', 'slug', 'Slug', { required: true, hint: 'a-z, 0-9 and -, 3 to 48' })}
            ${this.field('create', 'description', 'Description')}
            <button type="submit" ?disabled=${this.op('create').busy}>Create app</button>
          </form>
          ${this.problem('create', ['name', 'slug', 'description'])}`
        : nothing}
      <p>
        <label><input type="checkbox" .checked=${this.archived} @change=${(e: Event) => {
          this.archived = (e.target as HTMLInputElement).checked;
          void this.loadApps();
        }} /> Show archived apps</label>
      </p>
      ${this.problem('apps')}
      ${!apps
        ? html`<p class="loading" role="status">Loading apps…</p>`
        : apps.items.length === 0
          ? html`<p class="empty">${this.archived ? 'No archived apps.' : 'No apps yet. Create your first one above.'}</p>`
          : html`<table>
              <caption class="sr-only">Apps</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Status</th><th scope="col">Updated</th></tr></thead>
              <tbody>
                ${apps.items.map(
                  (app) => html`<tr>
                    <td><button class="link" type="button" @click=${() => this.open(app.appId)}>${app.name}</button></td>
                    <td><code>${app.slug}</code></td>
                    <td><span class="status">${app.status}</span></td>
                    <td>${when(app.updatedAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.problem('moreApps')}
      ${loadMore(apps?.nextCursor, this.op('moreApps').busy, () => void this.loadApps(true), 'apps')}
    `;
  }

  private renderApp() {
    const app = this.app;
    const lifecycle = this.lifecycle;
    const actions = LIFECYCLE.filter(([action]) => lifecycle?.allowedActions.includes(action) && this.can(action));
    const canDeploy = !!lifecycle?.allowedActions.includes('deploy') && this.can('deploy');
    const canAddDomain = !!lifecycle?.allowedActions.includes('add_domain') && this.can('add_domain');
    return html`
      <p><button class="link" type="button" @click=${this.back}>← All apps</button></p>
      ${this.problem('app')}
      ${!app
        ? html`<p class="loading" role="status">Loading the app…</p>`
        : html`
            <h2 id="app-title" tabindex="-1">${app.name} <span class="status">${app.status}</span></h2>
            <p><code>${app.slug}</code> ${app.description ? html`· ${app.description}` : nothing}</p>
            ${app.hardDeleteAt ? html`<p class="hint">Deleted for good after ${when(app.hardDeleteAt)} unless restored.</p>` : nothing}
            ${actions.length > 0
              ? html`<div class="actions" role="group" aria-label="Lifecycle">
                  ${actions.map(
                    ([action, label, style]) =>
                      html`<button class=${style} type="button" ?disabled=${this.op('lifecycle').busy} @click=${() => this.lifecycleAction(action)}>${label}</button>`,
                  )}
                </div>`
              : nothing}
            ${this.problem('lifecycle')}

            <h3>Deployments</h3>
            ${canDeploy
              ? html`<form class="inline card" aria-label="Deploy" @submit=${this.deploy}>
                  ${this.field('deploy', 'sourceRef', 'Source ref', { placeholder: 'main' })}
                  <button type="submit" ?disabled=${this.op('deploy').busy}>Deploy</button>
                </form>`
              : nothing}
            ${this.problem('deploy', ['sourceRef'])} ${this.problem('deployments')} ${this.renderDeployments()}

            <h3>Domains</h3>
            ${canAddDomain
              ? html`<form class="inline card" aria-label="Add a domain" @submit=${this.addDomain}>
                  ${this.field('addDomain', 'domain', 'Domain', { required: true, placeholder: 'app.example.com' })}
                  <button type="submit" ?disabled=${this.op('addDomain').busy}>Add domain</button>
                </form>`
              : nothing}
            ${this.problem('addDomain', ['domain'])} ${this.problem('domains')} ${this.renderDomains()}
          `}
    `;
  }

  private renderDeployments() {
    const page = this.deployments;
    if (!page) return html`<p class="loading" role="status">Loading deployments…</p>`;
    if (page.items.length === 0) return html`<p class="empty">No deployments yet.</p>`;
    return html`<table>
        <caption class="sr-only">Deployments</caption>
        <thead><tr><th scope="col">Deployment</th><th scope="col">Status</th><th scope="col">Source</th><th scope="col">Created</th><th scope="col">URL</th></tr></thead>
        <tbody>
          ${page.items.map(
            (d) => html`<tr>
              <td><code>${d.deploymentId}</code></td>
              <td><span class="status">${d.status}</span>${d.error ? html`<div class="field-error">${d.error}</div>` : nothing}</td>
              <td>${d.sourceRef} (${d.trigger})</td>
              <td>${when(d.createdAt)}</td>
              <td>${d.url ? html`<a href=${d.url} rel="noopener" target="_blank">${d.url}</a>` : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${loadMore(page.nextCursor, this.op('moreDeployments').busy, () => void this.loadDeployments(this.app!.appId, true), 'deployments')}`;
  }

  private renderDomains() {
    const page = this.domains;
    if (!page) return html`<p class="loading" role="status">Loading domains…</p>`;
    if (page.items.length === 0) return html`<p class="empty">No custom domains.</p>`;
    const allowed = this.lifecycle?.allowedActions ?? [];
    return html`<table>
        <caption class="sr-only">Domains</caption>
        <thead><tr><th scope="col">Domain</th><th scope="col">Status</th><th scope="col">TXT record to publish</th><th scope="col">TLS</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${page.items.map(
            (d) => html`<tr>
              <td>${d.domain}</td>
              <td><span class="status">${d.status.replace('_', ' ')}</span></td>
              <td class="txt">
                ${d.status === 'verified'
                  ? html`<span class="hint">verified ${when(d.verifiedAt)}</span>`
                  : html`<div>Name: <code>${d.verificationRecord.name}</code></div>
                      <div>Value: <code>${d.verificationRecord.value}</code>
                        <button class="secondary" type="button" aria-label=${`Copy the TXT value for ${d.domain}`} @click=${() => copyText(d.verificationRecord.value)}>Copy</button>
                      </div>`}
              </td>
              <td>${d.tls.status}</td>
              <td>
                <div class="actions">
                  ${d.status !== 'verified' && allowed.includes('verify_domain') && this.can('verify_domain')
                    ? html`<button class="secondary" type="button" aria-label=${`Verify ${d.domain}`} @click=${() => this.domainAction('verify_domain', d.domain)}>Verify</button>`
                    : nothing}
                  ${allowed.includes('remove_domain') && this.can('remove_domain')
                    ? html`<button class="danger" type="button" aria-label=${`Remove ${d.domain}`} @click=${() => this.domainAction('remove_domain', d.domain)}>Remove</button>`
                    : nothing}
                </div>
                ${this.problem(`domain:${d.domain}`)}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${loadMore(page.nextCursor, this.op('moreDomains').busy, () => void this.loadDomains(this.app!.appId, true), 'domains')}`;
  }
}

customElements.get('moz-platform-hosting') ?? customElements.define('moz-platform-hosting', MozPlatformHosting);
