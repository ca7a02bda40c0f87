// <moz-platform-dashboard>: the landing overview (moz.platform.dashboard `get_overview`). Each section
// says whether it loaded, is unavailable (the service failed) or is not allowed (roles or plan).
import { html, nothing, type TemplateResult } from 'lit';
import type { OutputOf } from '../../connectors/contracts/contract.ts';
import type { Conversation } from '../../connectors/contracts/community.ts';
import type { Position, Round } from '../../connectors/contracts/funding.ts';
import type { Campaign } from '../../connectors/contracts/growth.ts';
import type { HostingContract } from '../../connectors/contracts/hosting.ts';
import type { Page } from './api.ts';
import { PluginElement, when } from './ui.ts';
import './usage-chart.ts';
import type { UsageMetric } from './usage-chart.ts';

type Section<T> = { status: 'ok'; data: T } | { status: 'unavailable'; reason: string } | { status: 'not_allowed'; reason: string };

interface PlanSection {
  plan: string;
  features: string[];
  limits: Record<string, number | null>;
  periodEnd?: string;
  usage: Record<string, UsageMetric | number>;
}

interface Overview {
  generatedAt: string;
  sections: Partial<{
    apps: Section<OutputOf<HostingContract, 'getOverview'>>;
    plan: Section<PlanSection>;
    messages: Section<{ unreadMessages: number; unreadConversations: Conversation[]; more: boolean }>;
    fundingPositions: Section<Page<Position>>;
    fundingRounds: Section<Page<Round>>;
    campaigns: Section<Page<Campaign>>;
  }> &
    Record<string, Section<unknown>>;
}

const TITLES: Record<string, string> = {
  apps: 'Apps',
  plan: 'Plan and usage',
  messages: 'Messages',
  fundingPositions: 'Your funding positions',
  fundingRounds: 'Funding rounds',
  campaigns: 'Active campaigns',
};

const money = (cents: number) => (cents / 100).toLocaleString(undefined, { style: 'currency', currency: 'USD' });

export class MozPlatformDashboard extends PluginElement {
  static override properties = { overview: { state: true } };
  protected readonly plugin = 'moz.platform.dashboard';
  declare private overview: Overview | undefined;

  protected override async load(): Promise<void> {
    await this.run('overview', async () => void (this.overview = await this.execute<Overview>('get_overview')));
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    if (!this.can('get_overview')) return html`<div class="notice refused" role="alert">Your roles do not include the dashboard.</div>`;
    const overview = this.overview;
    return html`<h2>Overview</h2>
      ${this.problem('overview')}
      ${!overview
        ? this.op('overview').busy
          ? html`<p class="loading" role="status">Loading the overview…</p>`
          : nothing
        : html`<p class="hint">As of ${when(overview.generatedAt)}
              <button class="secondary" type="button" ?disabled=${this.op('overview').busy} @click=${() => this.load()}>Refresh</button>
            </p>
            <div class="grid">${Object.entries(overview.sections).map(([name, section]) => this.section(name, section))}</div>`}`;
  }

  private section(name: string, section: Section<unknown>): TemplateResult {
    const id = `section-${name}`;
    return html`<section class="card" aria-labelledby=${id} data-section=${name} data-status=${section.status}>
      <h3 id=${id}>${TITLES[name] ?? name}</h3>
      ${section.status === 'unavailable'
        ? html`<p class="notice error">Unavailable right now: ${section.reason}.</p>`
        : section.status === 'not_allowed'
          ? html`<p class="notice refused">Not available to you: ${section.reason}.
              ${section.reason.includes('plan') ? html`<a href=${this.upgradeHref}>See plans</a>` : nothing}</p>`
          : this.content(name, section.data)}
    </section>`;
  }

  private content(name: string, data: unknown): TemplateResult {
    const o = this.overview!.sections;
    switch (name) {
      case 'apps': {
        const apps = (o.apps as { data: OutputOf<HostingContract, 'getOverview'> }).data;
        if (apps.apps.length === 0) return html`<p class="empty">No apps yet.</p>`;
        return html`<p>${apps.counts.apps} app${apps.counts.apps === 1 ? '' : 's'}, ${apps.counts.domains} domain${apps.counts.domains === 1 ? '' : 's'}.</p>
          <table>
            <thead><tr><th scope="col">App</th><th scope="col">Status</th><th scope="col">Latest deployment</th></tr></thead>
            <tbody>
              ${apps.apps.map(
                (app) => html`<tr>
                  <td>${app.name}</td>
                  <td><span class="status">${app.status}</span></td>
                  <td>${app.recentDeployments[0] ? html`${app.recentDeployments[0].status}, ${when(app.recentDeployments[0].createdAt)}` : 'none'}</td>
                </tr>`,
              )}
            </tbody>
          </table>`;
      }
      case 'plan': {
        const plan = data as PlanSection;
        const metrics: Record<string, UsageMetric> = {};
        for (const [metric, value] of Object.entries(plan.usage)) {
          const limit = plan.limits[metric] ?? null;
          const used = typeof value === 'number' ? value : value.used;
          metrics[metric] = { used, limit, percentage: limit ? Math.round((used / limit) * 10_000) / 100 : null };
        }
        return html`<p>Plan <strong>${plan.plan}</strong>${plan.periodEnd ? html`, period ends ${when(plan.periodEnd)}` : nothing}.
            Features: ${plan.features.length > 0 ? plan.features.join(', ') : 'none'}.</p>
          <moz-usage-chart .metrics=${metrics}></moz-usage-chart>`;
      }
      case 'messages': {
        const m = data as { unreadMessages: number; unreadConversations: Conversation[]; more: boolean };
        if (m.unreadMessages === 0) return html`<p class="empty">No unread messages.</p>`;
        return html`<p><strong>${m.unreadMessages}</strong> unread message${m.unreadMessages === 1 ? '' : 's'}${m.more ? ' (and perhaps more)' : ''}.</p>
          <ul>
            ${m.unreadConversations.map(
              (c) => html`<li>${c.title ?? c.lastMessage?.senderName ?? c.conversationId}: ${c.unreadCount} unread${c.lastMessage ? html` · “${c.lastMessage.preview}”` : nothing}</li>`,
            )}
          </ul>`;
      }
      case 'fundingPositions': {
        const page = data as Page<Position>;
        if (page.items.length === 0) return html`<p class="empty">You have not pledged to any round.</p>`;
        return html`<ul>${page.items.map((p) => html`<li>${p.round.name}: pledged ${money(p.pledge.amountCents)} (${p.pledge.status})</li>`)}</ul>`;
      }
      case 'fundingRounds': {
        const page = data as Page<Round>;
        if (page.items.length === 0) return html`<p class="empty">No funding rounds.</p>`;
        return html`<ul>${page.items.map((r) => html`<li>${r.name} (${r.status}): ${money(r.raisedCents)} raised of ${money(r.targetCents)}</li>`)}</ul>`;
      }
      case 'campaigns': {
        const page = data as Page<Campaign>;
        if (page.items.length === 0) return html`<p class="empty">No active campaigns.</p>`;
        return html`<ul>${page.items.map((c) => html`<li>${c.name} (${c.channel}): ${money(c.spentCents)} spent of ${money(c.budgetCents)}</li>`)}</ul>`;
      }
      default:
        return html`<pre>${JSON.stringify(data, null, 2)}</pre>`;
    }
  }
}

customElements.get('moz-platform-dashboard') ?? customElements.define('moz-platform-dashboard', MozPlatformDashboard);
