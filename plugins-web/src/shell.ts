// The shell at `/`: sign-in, navigation between the plugin elements (hash routes), and the chrome.
// It reads /config.json when the stack published one (apiUrl, issuer, audience, userPoolId); locally
// there is none and the API is this origin, signed in with the dev issuer.
import { html, nothing, render } from 'lit';
import { PlatformClient } from './api.ts';
import { ADMIN_VIEWS, type AdminView } from './admin.ts';
import './elements.ts';
import type { UiConfig } from '../../connectors/contracts/ui-config.ts';
import { DevSignIn, OidcSignIn, type SignIn } from './sign-in.ts';


interface PluginPage {
  route: string;
  plugin: string;
  title: string;
}

const PAGES: readonly PluginPage[] = [
  { route: 'dashboard', plugin: 'moz.platform.dashboard', title: 'Dashboard' },
  { route: 'hosting', plugin: 'moz.platform.hosting', title: 'Hosting' },
  { route: 'discovery', plugin: 'moz.platform.discovery', title: 'Marketplace' },
  { route: 'social', plugin: 'moz.platform.social', title: 'Feed' },
  { route: 'community', plugin: 'moz.platform.community', title: 'Messages' },
  { route: 'growth', plugin: 'moz.platform.growth', title: 'Campaigns' },
  { route: 'funding', plugin: 'moz.platform.funding', title: 'Funding' },
  { route: 'admin', plugin: 'moz.platform.admin', title: 'Admin' },
];
const BUILT_IN_ROLES = ['owner', 'admin', 'moderator', 'member'] as const;

/** The plugins site's configuration; without one (e.g. a plain static server) the dev sign-in on this origin. */
async function loadConfig(): Promise<UiConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    return response.ok ? ((await response.json()) as UiConfig) : { signIn: 'dev' };
  } catch {
    return { signIn: 'dev' };
  }
}

class Shell {
  private plugins?: Set<string>;
  private message?: string;
  private busy = false;
  private lastRoute?: string;

  constructor(
    private readonly root: HTMLElement,
    private readonly apiBase: string,
    private readonly signIn: SignIn,
  ) {
    addEventListener('hashchange', () => this.render());
    root.addEventListener('moz-unauthenticated', () => void this.signOut('Your session ended: sign in again.'));
    root.addEventListener('moz-view-change', (event) => {
      const view = (event as CustomEvent<{ view: AdminView }>).detail.view;
      history.replaceState(null, '', `#/admin/${view}`);
    });
  }

  private get route(): { page: string; sub?: string } {
    const [page = '', sub] = location.hash.replace(/^#\/?/, '').split('/');
    return { page, sub };
  }

  async start(): Promise<void> {
    this.root.replaceChildren(); // the static "Loading…" of index.html
    try {
      await this.signIn.completeRedirect?.();
    } catch (error) {
      this.message = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (this.signIn.session()) await this.loadPlugins();
    this.render();
  }

  private async loadPlugins(): Promise<void> {
    try {
      const manifest = await new PlatformClient(this.apiBase, () => this.signIn.getToken()).plugins();
      this.plugins = new Set(manifest.plugins.map((p) => p.name));
    } catch (error) {
      this.plugins = undefined;
      this.message = `Could not load your plugins: ${error instanceof Error ? error.message : String(error)}`;
      if ((error as { status?: number }).status === 401) await this.signIn.signOut();
    }
  }

  private async signOut(message?: string): Promise<void> {
    await this.signIn.signOut();
    this.plugins = undefined;
    this.message = message;
    this.render();
  }

  private async submitDevSignIn(event: Event): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const roles = form.getAll('roles').map(String);
    this.busy = true;
    this.message = undefined;
    this.render();
    try {
      await (this.signIn as DevSignIn).signIn({ tenantId: String(form.get('tenantId') ?? '').trim(), userId: String(form.get('userId') ?? '').trim(), roles });
      await this.loadPlugins();
      if (!this.route.page || this.route.page === 'sign-in') location.hash = '#/dashboard';
    } catch (error) {
      this.message = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private render(): void {
    const session = this.signIn.session();
    const pages = PAGES.filter((p) => this.plugins?.has(p.plugin));
    const { page, sub } = this.route;
    const current = session ? (pages.find((p) => p.route === page) ?? pages[0]) : undefined;
    const title = current?.title ?? 'Sign in';
    document.title = `${title} · mozaiks`;

    render(
      html`
        <a class="skip-link" href="#main" @click=${(e: Event) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}>Skip to content</a>
        <header class="top">
          <span class="brand">mozaiks</span>
          ${session
            ? html`<nav aria-label="Plugins">
                  <ul>
                    ${pages.map((p) => html`<li><a href=${`#/${p.route}`} aria-current=${p === current ? 'page' : nothing}>${p.title}</a></li>`)}
                  </ul>
                </nav>
                <div class="who">
                  <span>${session.userId} · tenant <strong>${session.tenantId}</strong></span>
                  <button type="button" @click=${() => this.signOut()}>Sign out</button>
                </div>`
            : nothing}
        </header>
        <main id="main" tabindex="-1">
          <h1 id="page-title" tabindex="-1">${title}</h1>
          ${this.message ? html`<p class="notice" role="alert">${this.message}</p>` : nothing}
          ${!session ? this.renderSignIn() : !current ? html`<p>No plugin is available to you.</p>` : this.renderPage(current, sub)}
        </main>
        <footer class="bottom">mozaiks platform · <a href="/api/health">API health</a></footer>
      `,
      this.root,
    );
    // Move focus to the new page's title when the route changes (not on the first render).
    const routeKey = session ? `${current?.route}` : 'sign-in';
    if (this.lastRoute !== undefined && this.lastRoute !== routeKey) document.getElementById('page-title')?.focus();
    this.lastRoute = routeKey;
  }

  private renderPage(page: PluginPage, sub: string | undefined) {
    const getToken = () => this.signIn.getToken();
    switch (page.route) {
      case 'hosting':
        return html`<moz-platform-hosting api-base=${this.apiBase} .getToken=${getToken}></moz-platform-hosting>`;
      case 'discovery':
        return html`<moz-platform-discovery api-base=${this.apiBase} .getToken=${getToken}></moz-platform-discovery>`;
      case 'social':
        return html`<moz-platform-social api-base=${this.apiBase} .getToken=${getToken}></moz-platform-social>`;
      case 'community':
        return html`<moz-platform-community api-base=${this.apiBase} .getToken=${getToken}></moz-platform-community>`;
      case 'growth':
        return html`<moz-platform-growth api-base=${this.apiBase} .getToken=${getToken}></moz-platform-growth>`;
      case 'funding':
        return html`<moz-platform-funding api-base=${this.apiBase} .getToken=${getToken}></moz-platform-funding>`;
      case 'admin': {
        const view = ADMIN_VIEWS.includes(sub as AdminView) ? (sub as AdminView) : 'users';
        return html`<moz-platform-admin api-base=${this.apiBase} view=${view} .getToken=${getToken}></moz-platform-admin>`;
      }
      default:
        return html`<moz-platform-dashboard api-base=${this.apiBase} .getToken=${getToken}></moz-platform-dashboard>`;
    }
  }

  private async beginOidcSignIn(signIn: OidcSignIn): Promise<void> {
    this.busy = true;
    this.message = undefined;
    this.render();
    try {
      await signIn.begin(this.route.page && this.route.page !== 'sign-in' ? location.hash : '#/dashboard');
    } catch (error) {
      this.busy = false;
      this.message = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
      this.render();
    }
  }

  private renderSignIn() {
    if (this.signIn instanceof OidcSignIn) {
      const signIn = this.signIn;
      return html`<div class="sign-in">
        <p>You sign in on ${signIn.issuerName}, then come back here.</p>
        <button type="button" ?disabled=${this.busy} @click=${() => this.beginOidcSignIn(signIn)}>${this.busy ? 'Redirecting…' : 'Sign in'}</button>
      </div>`;
    }
    return html`<form class="sign-in" aria-labelledby="page-title" @submit=${(e: Event) => this.submitDevSignIn(e)}>
      <p>Local platform: the dev issuer signs a token for any tenant and user you name.</p>
      <div class="field">
        <label for="tenantId">Tenant</label>
        <input id="tenantId" name="tenantId" required pattern="[A-Za-z0-9_\\-]{1,64}" value="demo" autocomplete="off" />
      </div>
      <div class="field">
        <label for="userId">User</label>
        <input id="userId" name="userId" required maxlength="128" value="demo-owner" autocomplete="username" />
      </div>
      <fieldset>
        <legend>Roles (used on the user's first sign-in)</legend>
        ${BUILT_IN_ROLES.map(
          (role) => html`<label class="check"><input type="checkbox" name="roles" value=${role} ?checked=${role === 'owner'} /> ${role}</label>`,
        )}
      </fieldset>
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
    </form>`;
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const config = await loadConfig();
  const apiBase = (config.apiUrl ?? location.origin).replace(/\/+$/, '');
  const signIn: SignIn = config.signIn === 'oidc' ? new OidcSignIn(config) : new DevSignIn(apiBase);
  await new Shell(root, apiBase, signIn).start();
}

void main();
