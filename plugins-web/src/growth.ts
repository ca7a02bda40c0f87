// <moz-platform-growth>: the tenant's marketing campaigns (moz.platform.growth): the list (filter by
// status, Load more), a create form, a campaign's detail with the lifecycle moves its status allows,
// draft editing, and its stats with a small uPlot bar chart (the same numbers in a table beside it).
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import type { App } from '../../connectors/contracts/hosting.ts';
import type { Campaign, CampaignMove, CampaignStatus } from '../../connectors/contracts/growth.ts';
import { appNameIn, type ApiError, type Page } from './api.ts';
import { appendPage, PluginElement, baseStyles, dateInput, fromDateInput, loadMore, money, numberFromField, renderProblem, when } from './ui.ts';

const STATUSES: readonly CampaignStatus[] = ['draft', 'scheduled', 'active', 'paused', 'completed', 'canceled'];
const CHANNELS = ['email', 'social', 'ads', 'referral'] as const;
const METRICS = ['clicks', 'conversions'] as const;

interface CampaignStats {
  campaignId: string;
  status: CampaignStatus;
  impressions: number;
  clicks: number;
  conversions: number;
  spentCents: number;
  budgetCents: number;
  ctr: number | null;
  conversionRate: number | null;
  costPerConversionCents: number | null;
  goalProgress: number;
  budgetRemainingCents: number;
}

/** The moves each status allows, in the order the buttons show. */
const MOVES: Record<CampaignStatus, readonly CampaignMove[]> = {
  draft: ['launch', 'cancel'],
  scheduled: ['launch', 'cancel'],
  active: ['pause', 'complete'],
  paused: ['resume', 'complete'],
  completed: [],
  canceled: [],
};
const MOVE_LABELS: Record<CampaignMove, string> = { launch: 'Launch', pause: 'Pause', resume: 'Resume', complete: 'Complete', cancel: 'Cancel campaign' };

const percent = (fraction: number | null): string => (fraction === null ? '–' : `${(fraction * 100).toFixed(fraction * 100 >= 10 ? 1 : 2)}%`);

export class MozPlatformGrowth extends PluginElement {
  static override properties = {
    campaigns: { state: true },
    statusFilter: { state: true },
    apps: { state: true },
    creating: { state: true },
    campaign: { state: true },
    stats: { state: true },
    editing: { state: true },
    notice: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      form.campaign { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.75rem; align-items: start; }
      form.campaign .actions { grid-column: 1 / -1; }
      .filter { display: flex; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
      .filter label { font-weight: 600; }
      .stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem; margin: 0.5rem 0; padding: 0; list-style: none; }
      .stats li { border: 1px solid #d1d5db; border-radius: 8px; padding: 0.5rem 0.75rem; }
      .stats .label { display: block; color: #4b5563; font-size: 0.85rem; }
      .stats .value { font-size: 1.2rem; font-weight: 600; }
      progress { width: 100%; }
    `,
  ];
  protected readonly plugin = 'moz.platform.growth';
  declare private campaigns: Page<Campaign> | undefined;
  declare private statusFilter: CampaignStatus | '';
  declare private apps: App[] | undefined;
  declare private creating: boolean;
  declare private campaign: Campaign | undefined;
  declare private stats: CampaignStats | undefined;
  declare private editing: boolean;
  declare private notice: string | undefined;

  constructor() {
    super();
    this.statusFilter = '';
    this.creating = false;
    this.editing = false;
  }

  protected override async load(): Promise<void> {
    if (this.can('list_campaigns')) await Promise.all([this.loadCampaigns(), this.loadApps()]);
  }

  private async loadCampaigns(more = false): Promise<void> {
    if (!more) this.campaigns = undefined;
    const status = this.statusFilter;
    await this.run(more ? 'moreCampaigns' : 'campaigns', async () => {
      const page = await this.execute<Page<Campaign>>('list_campaigns', {
        ...(status && { status }),
        ...(more && this.campaigns?.nextCursor && { cursor: this.campaigns.nextCursor }),
      });
      if (status !== this.statusFilter) return; // the filter changed meanwhile: that load wins
      this.campaigns = appendPage(more ? this.campaigns : undefined, page);
    });
  }

  /** The tenant's apps (Hosting), for the create form and to name a campaign's app. */
  private async loadApps(): Promise<void> {
    await this.run('apps', async () => {
      this.apps = await this.client.tenantApps();
    });
  }


  private setFilter(status: CampaignStatus | ''): void {
    this.statusFilter = status;
    void this.loadCampaigns();
  }

  /** The form's fields as the API's input (budget in dollars -> cents; dates -> ISO; goal nested). */
  private input(form: HTMLFormElement, forUpdate: boolean): Record<string, unknown> {
    const data = new FormData(form);
    const text = (name: string) => (typeof data.get(name) === 'string' ? (data.get(name) as string).trim() : '');
    const input: Record<string, unknown> = { name: text('name'), channel: text('channel') };
    if (!forUpdate) input['appId'] = text('appId');
    const budget = text('budget');
    if (budget !== '') {
      const dollars = numberFromField(budget);
      input['budgetCents'] = typeof dollars === 'number' ? Math.round(dollars * 100) : dollars;
    }
    input['goal'] = { metric: text('goalMetric'), target: numberFromField(text('goalTarget')) };
    for (const key of ['startAt', 'endAt'] as const) {
      const value = text(key);
      if (value) input[key] = fromDateInput(value);
      else if (forUpdate) input[key] = null;
    }
    return input;
  }

  private async create(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = this.input(form, false);
    this.notice = undefined;
    const ok = await this.run('create', async () => {
      const campaign = await this.execute<Campaign>('create_campaign', input);
      this.notice = `Campaign "${campaign.name}" created as a draft.`;
    });
    if (ok) {
      form.reset();
      this.creating = false;
      await this.loadCampaigns();
    } else await this.focusInvalid();
  }

  private async open(campaignId: string): Promise<void> {
    this.notice = undefined;
    this.campaign = undefined;
    this.stats = undefined;
    this.editing = false;
    await this.refresh(campaignId);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#campaign-title')?.focus();
  }

  private async refresh(campaignId: string): Promise<void> {
    await this.run('campaign', async () => {
      const [campaign, stats] = await Promise.all([
        this.execute<Campaign>('get_campaign', { campaignId }),
        this.can('get_campaign_stats') ? this.execute<CampaignStats>('get_campaign_stats', { campaignId }) : Promise.resolve(undefined),
      ]);
      this.campaign = campaign;
      this.stats = stats;
    });
  }

  private async move(move: CampaignMove): Promise<void> {
    const campaign = this.campaign;
    if (!campaign) return;
    if (move === 'cancel' && !confirm(`Cancel "${campaign.name}"? This cannot be undone.`)) return;
    if (move === 'complete' && !confirm(`Complete "${campaign.name}"? It will take no more metrics.`)) return;
    this.notice = undefined;
    const ok = await this.run('move', async () => {
      const next = await this.execute<Campaign>(`${move}_campaign`, { campaignId: campaign.campaignId });
      this.notice = `"${next.name}" is now ${next.status}.`;
    });
    // On a 409 the campaign changed elsewhere: show its current state under the notice.
    if (ok || this.op('move').error?.status === 409) {
      const error = this.op('move').error;
      await this.refresh(campaign.campaignId);
      if (error) this.ops = { ...this.ops, move: { error } };
    }
  }

  private async startEdit(): Promise<void> {
    this.editing = true;
    this.notice = undefined;
    this.ops = { ...this.ops, edit: {} };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#edit-name')?.focus();
  }

  private async saveEdit(event: Event): Promise<void> {
    event.preventDefault();
    const campaign = this.campaign;
    if (!campaign) return;
    const input = this.input(event.currentTarget as HTMLFormElement, true);
    const ok = await this.run('edit', async () => {
      const next = await this.execute<Campaign>('update_campaign', { campaignId: campaign.campaignId, expectedVersion: campaign.version, ...input });
      this.campaign = next;
      this.notice = 'The draft is saved.';
    });
    if (ok) {
      this.editing = false;
      await this.refresh(campaign.campaignId);
    } else await this.focusInvalid();
  }

  private back(): void {
    this.campaign = undefined;
    this.stats = undefined;
    this.editing = false;
    this.notice = undefined;
    this.ops = {};
    void this.loadCampaigns();
  }

  /** A refusal; a 409 is a notice that names the campaign's current status. */
  private refusal(name: string, fieldsShown: readonly string[] = []): TemplateResult | typeof nothing {
    const error: ApiError | undefined = this.op(name).error;
    if (!error) return nothing;
    if (error.status === 409) {
      const status = (error.details as { status?: string } | undefined)?.status;
      return html`<div class="notice error" role="alert">
        <strong>Not possible${status ? ` while the campaign is ${status}` : ''}.</strong> ${error.message}
      </div>`;
    }
    return renderProblem(error, this.upgradeHref, fieldsShown);
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    if (!this.can('list_campaigns')) return html`<div class="notice refused" role="alert">Your roles or plan do not let you see the campaigns of this tenant.</div>`;
    return html`
      ${this.notice ? html`<p class="notice ok" role="status">${this.notice}</p>` : nothing}
      ${this.campaign || this.op('campaign').busy || this.op('campaign').error ? this.renderDetail() : this.renderList()}
    `;
  }

  // ---- the form (create and draft editing) ----

  private formField(op: string, apiField: string, name: string, label: string, control: (id: string, describedBy: string | typeof nothing, invalid: boolean) => TemplateResult, hint?: string) {
    const error = this.op(op).error?.fields[apiField];
    const id = `${op}-${name}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control(id, error ? `${id}-error` : hint ? `${id}-hint` : nothing, !!error)}
      ${hint && !error ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : nothing}
      ${error ? html`<span class="field-error" id=${`${id}-error`}>${error}</span>` : nothing}
    </div>`;
  }

  private select(op: string, apiField: string, name: string, label: string, choices: ReadonlyArray<readonly [string, string]>, value?: string) {
    return this.formField(op, apiField, name, label, (id, describedBy, invalid) => html`<select id=${id} name=${name} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}>
        ${choices.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>`);
  }

  private inputField(op: string, apiField: string, name: string, label: string, options: { type?: string; value?: string; hint?: string; step?: string; required?: boolean } = {}) {
    return this.formField(
      op,
      apiField,
      name,
      label,
      (id, describedBy, invalid) => html`<input id=${id} name=${name} type=${options.type ?? 'text'} .value=${options.value ?? ''} step=${options.step ?? nothing}
          ?required=${options.required ?? false} autocomplete="off" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`,
      options.hint,
    );
  }

  private renderForm(op: 'create' | 'edit', campaign?: Campaign) {
    const shown = ['appId', 'name', 'channel', 'budgetCents', 'goal.metric', 'goal.target', 'goal', 'startAt', 'endAt'];
    const apps = this.apps ?? [];
    return html`<form class="card campaign" novalidate aria-label=${op === 'create' ? 'New campaign' : 'Edit the draft'} @submit=${(e: Event) => (op === 'create' ? this.create(e) : this.saveEdit(e))}>
        ${op === 'create' ? this.select(op, 'appId', 'appId', 'App', apps.map((a) => [a.appId, a.name] as const)) : nothing}
        ${this.inputField(op, 'name', 'name', 'Name', { value: campaign?.name, required: true })}
        ${this.select(op, 'channel', 'channel', 'Channel', CHANNELS.map((c) => [c, c] as const), campaign?.channel)}
        ${this.inputField(op, 'budgetCents', 'budget', 'Budget (USD)', { type: 'number', step: '0.01', value: campaign ? String(campaign.budgetCents / 100) : '', required: true, hint: 'In dollars, e.g. 250.00' })}
        ${this.select(op, 'goal.metric', 'goalMetric', 'Goal metric', METRICS.map((m) => [m, m] as const), campaign?.goal.metric)}
        ${this.inputField(op, 'goal.target', 'goalTarget', 'Goal target', { type: 'number', step: '1', value: campaign ? String(campaign.goal.target) : '', required: true })}
        ${this.inputField(op, 'startAt', 'startAt', 'Start (optional)', { type: 'date', value: dateInput(campaign?.startAt) })}
        ${this.inputField(op, 'endAt', 'endAt', 'End (optional)', { type: 'date', value: dateInput(campaign?.endAt) })}
        <div class="actions">
          <button type="submit" ?disabled=${this.op(op).busy}>${op === 'create' ? 'Create draft' : 'Save draft'}</button>
          <button class="secondary" type="button" @click=${() => (op === 'create' ? (this.creating = false) : (this.editing = false))}>Cancel</button>
        </div>
      </form>
      ${this.refusal(op, shown)}`;
  }

  // ---- the list ----

  private renderList() {
    const page = this.campaigns;
    return html`
      <h2>Your campaigns</h2>
      ${this.can('create_campaign')
        ? this.creating
          ? html`${this.problem('apps')}
              ${this.apps && this.apps.length === 0 ? html`<p class="empty">Create an app in Hosting first: a campaign promotes one of your apps.</p>` : this.renderForm('create')}`
          : html`<p><button type="button" @click=${() => {
              this.creating = true;
              this.notice = undefined;
              this.ops = { ...this.ops, create: {} };
            }}>New campaign</button></p>`
        : nothing}
      <div class="filter">
        <label for="status-filter">Status</label>
        <select id="status-filter" @change=${(e: Event) => this.setFilter((e.target as HTMLSelectElement).value as CampaignStatus | '')}>
          <option value="" ?selected=${this.statusFilter === ''}>All</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.statusFilter === s}>${s}</option>`)}
        </select>
      </div>
      ${this.problem('campaigns')}
      ${!page
        ? this.op('campaigns').error
          ? nothing
          : html`<p class="loading" role="status">Loading campaigns…</p>`
        : page.items.length === 0
          ? html`<p class="empty">${this.statusFilter ? `No ${this.statusFilter} campaigns.` : 'No campaigns yet.'}</p>`
          : html`<table class="campaigns">
              <caption class="sr-only">Campaigns, newest first</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">App</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Spent of budget</th></tr></thead>
              <tbody>
                ${page.items.map(
                  (c) => html`<tr data-campaign=${c.campaignId}>
                    <td><button class="link" type="button" @click=${() => this.open(c.campaignId)}>${c.name}</button></td>
                    <td>${appNameIn(this.apps, c.appId)}</td>
                    <td>${c.channel}</td>
                    <td><span class="status">${c.status}</span></td>
                    <td class="spent">${money(c.spentCents)} of ${money(c.budgetCents)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.problem('moreCampaigns')}
      ${loadMore(page?.nextCursor, this.op('moreCampaigns').busy, () => void this.loadCampaigns(true), 'campaigns')}
    `;
  }

  // ---- one campaign ----

  private renderDetail() {
    const c = this.campaign;
    const moves = c ? MOVES[c.status].filter((m) => this.can(`${m}_campaign`)) : [];
    return html`
      <p><button class="link" type="button" @click=${this.back}>← All campaigns</button></p>
      ${this.problem('campaign')}
      ${!c
        ? this.op('campaign').error
          ? nothing
          : html`<p class="loading" role="status">Loading the campaign…</p>`
        : html`
            <h2 id="campaign-title" tabindex="-1">${c.name} <span class="status">${c.status}</span></h2>
            <dl class="card">
              <dt>App</dt><dd>${appNameIn(this.apps, c.appId)}</dd>
              <dt>Channel</dt><dd>${c.channel}</dd>
              <dt>Budget</dt><dd>${money(c.spentCents)} spent of ${money(c.budgetCents)}</dd>
              <dt>Goal</dt><dd>${c.goal.target.toLocaleString()} ${c.goal.metric}</dd>
              <dt>Runs</dt><dd>${c.startAt ? when(c.startAt) : 'from launch'} – ${c.endAt ? when(c.endAt) : 'until completed'}</dd>
              <dt>Updated</dt><dd>${when(c.updatedAt)}</dd>
            </dl>
            ${moves.length > 0 || (c.status === 'draft' && this.can('update_campaign') && !this.editing)
              ? html`<div class="actions" role="group" aria-label="Campaign lifecycle">
                  ${moves.map(
                    (m) => html`<button class=${m === 'cancel' || m === 'complete' ? 'danger' : m === 'pause' ? 'secondary' : ''} type="button" ?disabled=${this.op('move').busy} @click=${() => this.move(m)}>
                      ${MOVE_LABELS[m]}
                    </button>`,
                  )}
                  ${c.status === 'draft' && this.can('update_campaign') && !this.editing
                    ? html`<button class="secondary" type="button" @click=${this.startEdit}>Edit draft</button>`
                    : nothing}
                </div>`
              : nothing}
            ${this.refusal('move')}
            ${this.editing ? this.renderForm('edit', c) : nothing}
            ${this.renderStats()}
          `}
    `;
  }

  private renderStats() {
    const s = this.stats;
    if (!this.can('get_campaign_stats')) return nothing;
    if (!s) return html`<p class="loading" role="status">Loading the stats…</p>`;
    const goal = this.campaign?.goal;
    return html`<section aria-labelledby="stats-title">
      <h3 id="stats-title">Stats</h3>
      <ul class="stats">
        <li><span class="label">Click-through rate</span><span class="value" data-stat="ctr">${percent(s.ctr)}</span></li>
        <li><span class="label">Conversion rate (per click)</span><span class="value" data-stat="conversionRate">${percent(s.conversionRate)}</span></li>
        <li><span class="label">Cost per conversion</span><span class="value" data-stat="costPerConversion">${s.costPerConversionCents === null ? '–' : money(s.costPerConversionCents)}</span></li>
        <li>
          <span class="label" id="goal-progress-label">Goal progress${goal ? ` (${goal.target.toLocaleString()} ${goal.metric})` : ''}</span>
          <span class="value" data-stat="goalProgress">${percent(s.goalProgress)}</span>
          <progress max="1" .value=${Math.min(1, s.goalProgress)} aria-labelledby="goal-progress-label"></progress>
        </li>
        <li><span class="label">Budget remaining</span><span class="value" data-stat="budgetRemaining">${money(s.budgetRemainingCents)}</span></li>
      </ul>
      <moz-campaign-chart .counts=${{ impressions: s.impressions, clicks: s.clicks, conversions: s.conversions }}></moz-campaign-chart>
    </section>`;
  }
}

interface Counts {
  impressions: number;
  clicks: number;
  conversions: number;
}

/** Impressions, clicks and conversions as a uPlot bar chart (log scale), with the numbers in a table. */
export class MozCampaignChart extends LitElement {
  static override properties = { counts: { attribute: false } };
  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host { display: block; }
      figure { margin: 0.5rem 0; }
      .chart { max-width: 480px; overflow: hidden; }
      table { border-collapse: collapse; margin-top: 0.5rem; }
      caption { text-align: left; font-size: 0.875rem; color: #4b5563; }
      th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #d1d5db; }
      td { text-align: right; }
      th { background: #f3f4f6; }
    `,
  ];
  declare counts: Counts | undefined;
  private plot?: uPlot;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private rows(): Array<[string, number]> {
    const c = this.counts;
    return c ? [['Impressions', c.impressions], ['Clicks', c.clicks], ['Conversions', c.conversions]] : [];
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('counts')) return;
    this.plot?.destroy();
    this.plot = undefined;
    const rows = this.rows();
    const target = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!target || rows.length === 0) return;
    const xs = rows.map((_, i) => i);
    const names = rows.map(([name]) => name);
    const values = rows.map(([, v]) => v);
    const max = Math.max(...values);
    // The counts differ by orders of magnitude: a log scale when every bar is above 0, linear otherwise.
    const log = values.every((v) => v > 0);
    const top = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, max)) + 0.001));
    const powers: number[] = [];
    for (let p = 1; p <= top; p *= 10) powers.push(p);
    this.plot = new uPlot(
      {
        width: Math.min(480, Math.max(240, target.clientWidth || 320)),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, rows.length - 0.5] },
          y: log ? { distr: 3, log: 10, range: [1, top] } : { range: [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          { splits: () => xs, values: (_u, splits) => splits.map((i) => names[i] ?? ''), stroke: '#1b1f24', grid: { show: false } },
          {
            // Log: only the powers of ten, so the labels never crowd.
            ...(log && { splits: () => powers }),
            values: (_u, splits) => splits.map((v) => (v == null ? '' : v >= 1000 ? `${v / 1000}k` : String(v))),
            stroke: '#1b1f24',
            size: 56,
          },
        ],
        series: [{}, { label: 'Count', fill: '#0b57b0', stroke: '#0b57b0', paths: uPlot.paths.bars!({ size: [0.5, 70] }), points: { show: false } }],
      },
      [xs, values],
      target,
    );
  }

  override render() {
    const rows = this.rows();
    if (rows.length === 0) return nothing;
    const summary = rows.map(([name, v]) => `${name}: ${v.toLocaleString()}`).join('; ');
    const scale = rows.every(([, v]) => v > 0) ? ' (log scale)' : '';
    return html`<figure>
      <div class="chart" role="img" aria-label=${`Impressions, clicks and conversions${scale}. ${summary}`}></div>
      <figcaption>
        <table>
          <caption>Impressions, clicks and conversions (the chart's numbers)</caption>
          <thead><tr><th scope="col">Metric</th><th scope="col">Count</th></tr></thead>
          <tbody>${rows.map(([name, v]) => html`<tr><th scope="row">${name}</th><td>${v.toLocaleString()}</td></tr>`)}</tbody>
        </table>
      </figcaption>
    </figure>`;
  }
}

customElements.get('moz-campaign-chart') ?? customElements.define('moz-campaign-chart', MozCampaignChart);
customElements.get('moz-platform-growth') ?? customElements.define('moz-platform-growth', MozPlatformGrowth);
