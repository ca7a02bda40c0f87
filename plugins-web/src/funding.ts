// <moz-platform-funding>: revenue-share rounds (moz.platform.funding). The tenant's side: its rounds
// (filter by status, Load more), a create form, a round's detail with the lifecycle moves its status
// allows, draft editing, its pledges and a uPlot chart of raised against target, and revenue recorded
// by hand. The investor's side: a round looked up by id and pledged to, the caller's positions (cancel
// while open) and payouts, with a uPlot chart of payouts over time. Money is integer cents on the wire
// and dollars in the forms; revenue share and cap are basis points on the wire, % and × in the forms.
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import type { Listing } from '../../connectors/contracts/discovery.ts';
import type { Payout, Pledge, Position, PublicRound, RevenueResult, Round, RoundMove, RoundStatus } from '../../connectors/contracts/funding.ts';
import type { App } from '../../connectors/contracts/hosting.ts';
import { appNameIn, type ApiError, type Page } from './api.ts';
import { appendPage, PluginElement, baseStyles, dateInput, fromDateInput, loadMore, money, numberFromField, plural, renderProblem, when } from './ui.ts';

type View = 'rounds' | 'invest' | 'positions' | 'payouts';

const VIEW_LABELS: Record<View, string> = { rounds: 'Your rounds', invest: 'Invest', positions: 'Your positions', payouts: 'Payouts' };
const STATUSES: readonly RoundStatus[] = ['draft', 'open', 'closed', 'canceled', 'repaid'];

/** The moves each status allows, in the order the buttons show (`repaid` comes from payouts only). */
const MOVES: Record<RoundStatus, readonly RoundMove[]> = { draft: ['open', 'cancel'], open: ['close', 'cancel'], closed: [], canceled: [], repaid: [] };
const MOVE_LABELS: Record<RoundMove, string> = { open: 'Open round', close: 'Close round', cancel: 'Cancel round' };

const percentOfBps = (bps: number): string => `${(bps / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
const multipleOfBps = (bps: number): string => `${(bps / 10_000).toLocaleString('en-US', { maximumFractionDigits: 4 })}×`;
/** What the investors of a round get back at most: raised × the cap multiple (the service's floor). */
const capOf = (round: Pick<PublicRound, 'raisedCents' | 'capMultipleBps'>): number => Math.floor((round.raisedCents * round.capMultipleBps) / 10_000);
const day = (iso: string): string => new Date(iso).toLocaleDateString();
const isOwn = (round: Round | PublicRound): round is Round => 'paidOutCents' in round;

/** The units the forms use for the API's cents and basis-point fields, to restate its limits in them. */
const UNITS: Record<string, (n: number) => string> = {
  targetCents: money,
  minPledgeCents: money,
  amountCents: money,
  grossCents: money,
  revenueShareBps: percentOfBps,
  capMultipleBps: multipleOfBps,
};
const FIELD_WORDS: Record<string, string> = { targetCents: 'the target', minPledgeCents: 'the minimum pledge', opensAt: 'the opening date', closesAt: 'the closing date' };
const COMPARISONS: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };

/** An API message in the form's words: "N cents" as money, a field's bounds in its unit, field names as words. */
export function readable(message: string, field = ''): string {
  const unit = UNITS[field];
  let text = message.replace(/(-?\d+) cents/g, (_, n: string) => money(Number(n)));
  if (unit) text = text.replace(/(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)/g, (_, op: string, n: string) => `${COMPARISONS[op]} ${unit(Number(n))}`);
  return text.replace(/\b(targetCents|minPledgeCents|opensAt|closesAt)\b/g, (name: string) => FIELD_WORDS[name] ?? name);
}

/** A report id for a revenue report recorded by hand: the day and a random part (ids are `A-Za-z0-9_-`). */
const newReportId = (): string => `manual-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`;

export class MozPlatformFunding extends PluginElement {
  static override properties = {
    view: { state: true },
    rounds: { state: true },
    statusFilter: { state: true },
    apps: { state: true },
    creating: { state: true },
    round: { state: true },
    pledges: { state: true },
    editing: { state: true },
    recording: { state: true },
    reportId: { state: true },
    revenue: { state: true },
    lookup: { state: true },
    lookupId: { state: true },
    listing: { state: true },
    positions: { state: true },
    payouts: { state: true },
    notice: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      form.round { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.75rem; align-items: start; }
      form.round .actions, form.round .wide { grid-column: 1 / -1; }
      .filter { display: flex; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
      .filter label { font-weight: 600; }
      .summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem; margin: 0.5rem 0; padding: 0; list-style: none; }
      .summary li { border: 1px solid #d1d5db; border-radius: 8px; padding: 0.5rem 0.75rem; }
      .summary .label { display: block; color: #4b5563; font-size: 0.85rem; }
      .summary .value { font-size: 1.2rem; font-weight: 600; }
      td.num, th.num { text-align: right; }
      ul.plain { list-style: none; padding: 0; margin: 0.25rem 0; }
      ul.plain li { margin: 0.25rem 0; }
      progress { width: 100%; max-width: 24rem; }
    `,
  ];
  protected readonly plugin = 'moz.platform.funding';
  declare private view: View;
  declare private rounds: Page<Round> | undefined;
  declare private statusFilter: RoundStatus | '';
  declare private apps: App[] | undefined;
  declare private creating: boolean;
  /** The tenant's round open in the detail view. */
  declare private round: Round | undefined;
  declare private pledges: Page<Pledge> | undefined;
  declare private editing: boolean;
  declare private recording: boolean;
  declare private reportId: string;
  declare private revenue: RevenueResult | undefined;
  /** The round looked up under Invest: all of it when it is the tenant's own, its public terms otherwise. */
  declare private lookup: Round | PublicRound | undefined;
  /** What the look-up field holds: the id last looked up, or typed. */
  declare private lookupId: string;
  /** The Marketplace listing of the looked-up round's app; null when it could not be read. */
  declare private listing: Listing | null | undefined;
  declare private positions: Page<Position> | undefined;
  declare private payouts: Page<Payout> | undefined;
  declare private notice: string | undefined;

  constructor() {
    super();
    this.view = 'rounds';
    this.statusFilter = '';
    this.creating = false;
    this.editing = false;
    this.recording = false;
    this.reportId = '';
    this.lookupId = '';
  }

  /**
   * The sections the caller may use. "Your rounds" needs read:funding and the plan's funding_rounds;
   * my_positions needs read:funding alone, so when it is listed and list_rounds is not, only the plan
   * is missing: the section is shown, and list_rounds' 402 there becomes the upgrade prompt.
   */
  private views(): View[] {
    return (['rounds', 'invest', 'positions', 'payouts'] as const).filter((view) =>
      view === 'rounds'
        ? this.can('list_rounds') || this.can('my_positions') || this.can('record_revenue')
        : view === 'invest'
          ? this.can('get_round')
          : view === 'positions'
            ? this.can('my_positions')
            : this.can('list_payouts'),
    );
  }

  protected override async load(): Promise<void> {
    const views = this.views();
    if (!views.includes(this.view) && views[0]) this.view = views[0];
    await this.loadView();
  }

  private async loadView(): Promise<void> {
    switch (this.view) {
      case 'rounds':
        await Promise.all([
          this.can('list_rounds') || this.can('my_positions') ? this.loadRounds() : undefined,
          this.can('list_rounds') || this.can('record_revenue') ? this.loadApps() : undefined,
        ]);
        return;
      case 'invest':
        await Promise.all([this.lookup ? this.lookupRound(this.lookup.roundId, false) : undefined, this.can('my_positions') ? this.loadPositions() : undefined]);
        return;
      case 'positions':
        await this.loadPositions();
        return;
      case 'payouts':
        // The positions name the rounds the payouts came from.
        await Promise.all([this.loadPayouts(), this.can('my_positions') ? this.loadPositions() : undefined]);
    }
  }

  private async selectView(view: View): Promise<void> {
    if (view === this.view) return;
    this.view = view;
    this.notice = undefined;
    this.round = undefined;
    this.pledges = undefined;
    this.editing = false;
    this.creating = false;
    this.recording = false;
    this.ops = { manifest: this.op('manifest') };
    await this.loadView();
  }

  // ---- the tenant's rounds ----

  private async loadRounds(more = false): Promise<void> {
    if (!more) this.rounds = undefined;
    const status = this.statusFilter;
    await this.run(more ? 'moreRounds' : 'rounds', async () => {
      const page = await this.execute<Page<Round>>('list_rounds', {
        ...(status && { status }),
        ...(more && this.rounds?.nextCursor && { cursor: this.rounds.nextCursor }),
      });
      if (status !== this.statusFilter) return; // the filter changed meanwhile: that load wins
      this.rounds = appendPage(more ? this.rounds : undefined, page);
    });
  }

  /** The tenant's apps (Hosting), for the forms and to name a round's app. */
  private async loadApps(): Promise<void> {
    await this.run('apps', async () => {
      this.apps = await this.client.tenantApps();
    });
  }


  private setFilter(status: RoundStatus | ''): void {
    this.statusFilter = status;
    void this.loadRounds();
  }

  /** The round form's fields as the API's input (dollars -> cents, % and × -> basis points, dates -> ISO). */
  private input(form: HTMLFormElement, forUpdate: boolean): Record<string, unknown> {
    const data = new FormData(form);
    const text = (name: string) => (typeof data.get(name) === 'string' ? (data.get(name) as string).trim() : '');
    const input: Record<string, unknown> = {
      name: text('name'),
      targetCents: numberFromField(text('target'), 100),
      minPledgeCents: numberFromField(text('minPledge'), 100),
      revenueShareBps: numberFromField(text('revenueShare'), 100),
      capMultipleBps: numberFromField(text('capMultiple'), 10_000),
    };
    if (!forUpdate) input['appId'] = text('appId');
    for (const key of ['opensAt', 'closesAt'] as const) {
      const value = text(key);
      if (value) input[key] = fromDateInput(value);
      else if (forUpdate) input[key] = null;
    }
    return input;
  }

  private startCreate(): void {
    this.creating = true;
    this.recording = false;
    this.notice = undefined;
    this.ops = { ...this.ops, create: {} };
  }

  private async create(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = this.input(form, false);
    this.notice = undefined;
    const ok = await this.run('create', async () => {
      const round = await this.execute<Round>('create_round', input);
      this.notice = `Round "${round.name}" created as a draft.`;
    });
    if (ok) {
      form.reset();
      this.creating = false;
      await this.loadRounds();
    } else await this.focusInvalid();
  }

  private async open(roundId: string): Promise<void> {
    this.notice = undefined;
    this.round = undefined;
    this.pledges = undefined;
    this.editing = false;
    this.ops = { ...this.ops, move: {}, edit: {} };
    await this.refresh(roundId);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#round-title')?.focus();
  }

  private async refresh(roundId: string): Promise<void> {
    await this.run('round', async () => {
      const [round, pledges] = await Promise.all([
        this.execute<Round>('get_round', { roundId }),
        this.can('list_pledges') ? this.execute<Page<Pledge>>('list_pledges', { roundId }) : Promise.resolve(undefined),
      ]);
      this.round = round;
      this.pledges = pledges;
    });
  }

  private async morePledges(): Promise<void> {
    const round = this.round;
    const cursor = this.pledges?.nextCursor;
    if (!round || !cursor) return;
    await this.run('morePledges', async () => {
      const page = await this.execute<Page<Pledge>>('list_pledges', { roundId: round.roundId, cursor });
      this.pledges = appendPage(this.pledges, page);
    });
  }

  private async move(move: RoundMove): Promise<void> {
    const round = this.round;
    if (!round) return;
    if (move === 'cancel' && !confirm(`Cancel "${round.name}"? It takes no more pledges and cannot be reopened.`)) return;
    if (move === 'close' && !confirm(`Close "${round.name}"? It takes no more pledges; revenue starts paying its investors.`)) return;
    this.notice = undefined;
    const ok = await this.run('move', async () => {
      const next = await this.execute<Round>(`${move}_round`, { roundId: round.roundId });
      this.notice = `"${next.name}" is now ${next.status}.`;
    });
    // On a 409 the round changed elsewhere: show its current state under the notice.
    if (ok || this.op('move').error?.status === 409) {
      const error = this.op('move').error;
      this.editing = false;
      await this.refresh(round.roundId);
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
    const round = this.round;
    if (!round) return;
    const input = this.input(event.currentTarget as HTMLFormElement, true);
    const ok = await this.run('edit', async () => {
      this.round = await this.execute<Round>('update_round', { roundId: round.roundId, expectedVersion: round.version, ...input });
      this.notice = 'The draft is saved.';
    });
    if (ok) this.editing = false;
    else if (this.op('edit').error?.status === 409) {
      const error = this.op('edit').error;
      await this.refresh(round.roundId);
      this.ops = { ...this.ops, edit: { error } };
    } else await this.focusInvalid();
  }

  private back(): void {
    this.round = undefined;
    this.pledges = undefined;
    this.editing = false;
    this.notice = undefined;
    this.ops = { manifest: this.op('manifest'), apps: this.op('apps') };
    void this.loadRounds();
  }

  private async copyRoundId(roundId: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(roundId);
      this.notice = 'The round id is copied.';
    } catch {
      this.notice = 'Copying was refused: select the id and copy it.';
    }
  }

  // ---- revenue (the runtime reports it with its app key; an owner may record a report here) ----

  private startRecording(): void {
    this.recording = true;
    this.creating = false;
    this.revenue = undefined;
    this.reportId = newReportId();
    this.notice = undefined;
    this.ops = { ...this.ops, revenue: {} };
  }

  private async recordRevenue(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => (typeof data.get(name) === 'string' ? (data.get(name) as string).trim() : '');
    const input = { appId: text('appId'), grossCents: numberFromField(text('gross'), 100), reportId: text('reportId') };
    this.notice = undefined;
    this.revenue = undefined;
    const ok = await this.run('revenue', async () => {
      const result = await this.execute<RevenueResult>('record_revenue', input);
      this.revenue = result;
      const paid = result.rounds.filter((r) => !r.alreadyRecorded).reduce((sum, r) => sum + r.paidCents, 0);
      this.notice = result.rounds.length === 0 ? `Report "${result.reportId}" recorded: no closed round of this app to pay.` : `Report "${result.reportId}" recorded: ${money(paid)} paid out.`;
    });
    if (ok) {
      this.recording = false;
      if (this.can('list_rounds')) await this.loadRounds();
    } else await this.focusInvalid();
  }

  // ---- investing ----

  private async submitLookup(event: Event): Promise<void> {
    event.preventDefault();
    const roundId = String(new FormData(event.currentTarget as HTMLFormElement).get('roundId') ?? '').trim();
    this.lookupId = roundId;
    this.notice = undefined;
    this.ops = { ...this.ops, pledge: {} };
    await this.lookupRound(roundId);
  }

  /** Reads a round as the caller may see it; `focus` moves focus to it (a new look-up). */
  private async lookupRound(roundId: string, focus = true): Promise<void> {
    if (focus) {
      this.lookup = undefined;
      this.listing = undefined;
    }
    const ok = await this.run('lookup', async () => {
      const round = await this.execute<Round | PublicRound>('get_round', { roundId });
      this.lookup = round;
      if (this.listing?.appId !== round.appId) this.listing = undefined;
    });
    if (!ok) {
      this.lookup = undefined;
      if (focus) await this.focusInvalid();
      return;
    }
    // The app's Marketplace card says what the round funds. Pledges need the app published, so an open
    // round's app has one; other rounds' apps may not (a 404 then), so they go without it.
    const round = this.lookup;
    if (round && round.status === 'open' && this.listing === undefined) {
      try {
        this.listing = await this.client.execute<Listing>('moz.platform.discovery', 'get_listing', { appId: round.appId });
      } catch {
        this.listing = null;
      }
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#lookup-title')?.focus();
    }
  }

  private async showRound(roundId: string): Promise<void> {
    this.view = 'invest';
    this.lookupId = roundId;
    this.notice = undefined;
    this.ops = { manifest: this.op('manifest') };
    await Promise.all([this.lookupRound(roundId), this.can('my_positions') && !this.positions ? this.loadPositions() : undefined]);
  }

  private async pledge(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const round = this.lookup;
    if (!round) return;
    const amountCents = numberFromField(String(new FormData(form).get('amount') ?? '').trim(), 100);
    this.notice = undefined;
    const ok = await this.run('pledge', async () => {
      const pledge = await this.execute<Pledge>('pledge', { roundId: round.roundId, amountCents });
      this.notice = `You pledged ${money(pledge.amountCents)} to "${round.name}".`;
    });
    if (ok) {
      form.reset();
      await Promise.all([this.lookupRound(round.roundId, false), this.can('my_positions') ? this.loadPositions() : undefined]);
    } else if (this.op('pledge').error?.status === 409) {
      // Raised or the status changed meanwhile: show the round as it is now, under the refusal.
      const error = this.op('pledge').error;
      await this.lookupRound(round.roundId, false);
      this.ops = { ...this.ops, pledge: { error } };
    } else await this.focusInvalid();
  }

  private async loadPositions(more = false): Promise<void> {
    await this.run(more ? 'morePositions' : 'positions', async () => {
      const page = await this.execute<Page<Position>>('my_positions', { ...(more && this.positions?.nextCursor ? { cursor: this.positions.nextCursor } : { limit: 50 }) });
      this.positions = appendPage(more ? this.positions : undefined, page);
    });
  }

  private async cancelPledge(position: Position): Promise<void> {
    if (!confirm(`Cancel your pledge of ${money(position.pledge.amountCents)} to "${position.round.name}"?`)) return;
    this.notice = undefined;
    const ok = await this.run('cancelPledge', async () => {
      await this.execute<Pledge>('cancel_pledge', { pledgeId: position.pledge.pledgeId });
      this.notice = `Your pledge of ${money(position.pledge.amountCents)} to "${position.round.name}" is canceled.`;
    });
    if (ok || this.op('cancelPledge').error?.status === 409) {
      const error = this.op('cancelPledge').error;
      await this.loadPositions();
      if (error) this.ops = { ...this.ops, cancelPledge: { error } };
    }
  }

  private async loadPayouts(more = false): Promise<void> {
    await this.run(more ? 'morePayouts' : 'payouts', async () => {
      const page = await this.execute<Page<Payout>>('list_payouts', { ...(more && this.payouts?.nextCursor ? { cursor: this.payouts.nextCursor } : { limit: 50 }) });
      this.payouts = appendPage(more ? this.payouts : undefined, page);
    });
  }

  private roundName(roundId: string): string {
    return this.positions?.items.find((p) => p.round.roundId === roundId)?.round.name ?? roundId;
  }

  /** A refusal; a 409 is a notice that names the round's current status (money in dollars). */
  private refusal(name: string, fieldsShown: readonly string[] = []): TemplateResult | typeof nothing {
    const error: ApiError | undefined = this.op(name).error;
    if (!error) return nothing;
    if (error.status === 409) {
      const details = error.details as { status?: string; remainingCents?: number } | undefined;
      const status = details?.status;
      return html`<div class="notice error" role="alert">
        <strong>${typeof details?.remainingCents === 'number' ? `Only ${money(details.remainingCents)} remain to the target.` : `Not possible${status ? ` while the round is ${status}` : ''}.`}</strong>
        ${readable(error.message)}
      </div>`;
    }
    return renderProblem(error, this.upgradeHref, fieldsShown);
  }

  // ---- rendering ----

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    const views = this.views();
    if (views.length === 0) return html`<div class="notice refused" role="alert">Your roles do not let you use Funding.</div>`;
    const view = views.includes(this.view) ? this.view : views[0]!;
    return html`
      <nav class="tabs" aria-label="Funding sections">
        ${views.map((v) => html`<button type="button" aria-current=${v === view ? 'page' : 'false'} @click=${() => this.selectView(v)}>${VIEW_LABELS[v]}</button>`)}
      </nav>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${view === 'rounds'
        ? this.round || this.op('round').busy || this.op('round').error
          ? this.renderRound()
          : this.renderRounds()
        : view === 'invest'
          ? this.renderInvest()
          : view === 'positions'
            ? this.renderPositions()
            : this.renderPayouts()}
    `;
  }

  // ---- form helpers (API field errors beside their fields, in the form's units) ----

  private formField(op: string, apiField: string, name: string, label: string, control: (id: string, describedBy: string | typeof nothing, invalid: boolean) => TemplateResult, hint?: string) {
    const raw = this.op(op).error?.fields[apiField];
    const error = raw === undefined ? undefined : readable(raw, apiField);
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

  private inputField(op: string, apiField: string, name: string, label: string, options: { type?: string; value?: string; hint?: string; step?: string; min?: string; required?: boolean } = {}) {
    return this.formField(
      op,
      apiField,
      name,
      label,
      (id, describedBy, invalid) => html`<input id=${id} name=${name} type=${options.type ?? 'text'} .value=${options.value ?? ''} step=${options.step ?? nothing} min=${options.min ?? nothing}
          ?required=${options.required ?? false} autocomplete="off" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`,
      options.hint,
    );
  }

  /** The tenant's apps a round or a report may name (archived apps take no money). */
  private appChoices(): Array<readonly [string, string]> {
    return (this.apps ?? []).filter((a) => a.status !== 'archived').map((a) => [a.appId, a.name] as const);
  }

  private renderForm(op: 'create' | 'edit', round?: Round) {
    const shown = ['appId', 'name', 'targetCents', 'minPledgeCents', 'revenueShareBps', 'capMultipleBps', 'opensAt', 'closesAt'];
    return html`<form class="card round" novalidate aria-label=${op === 'create' ? 'New round' : 'Edit the draft'} @submit=${(e: Event) => (op === 'create' ? this.create(e) : this.saveEdit(e))}>
        ${op === 'create' ? this.select(op, 'appId', 'appId', 'App', this.appChoices()) : nothing}
        ${this.inputField(op, 'name', 'name', 'Name', { value: round?.name, required: true })}
        ${this.inputField(op, 'targetCents', 'target', 'Target (USD)', { type: 'number', step: '0.01', min: '0.01', value: round ? String(round.targetCents / 100) : '', required: true, hint: 'What the round raises at most, e.g. 50000' })}
        ${this.inputField(op, 'minPledgeCents', 'minPledge', 'Minimum pledge (USD)', { type: 'number', step: '0.01', min: '0.01', value: round ? String(round.minPledgeCents / 100) : '', required: true, hint: 'At most the target' })}
        ${this.inputField(op, 'revenueShareBps', 'revenueShare', 'Revenue share (%)', { type: 'number', step: '0.01', min: '0.01', value: round ? String(round.revenueShareBps / 100) : '', required: true, hint: 'Of net revenue, paid to the investors: 0.01 to 50' })}
        ${this.inputField(op, 'capMultipleBps', 'capMultiple', 'Repayment cap (× raised)', { type: 'number', step: '0.1', min: '1', value: round ? String(round.capMultipleBps / 10_000) : '2', required: true, hint: 'Investors are paid until they get this multiple back: 1 to 10' })}
        ${this.inputField(op, 'opensAt', 'opensAt', 'Opens (optional)', { type: 'date', value: dateInput(round?.opensAt), hint: 'For information: you open the round' })}
        ${this.inputField(op, 'closesAt', 'closesAt', 'Closes (optional)', { type: 'date', value: dateInput(round?.closesAt), hint: 'For information: you close the round' })}
        <div class="actions">
          <button type="submit" ?disabled=${this.op(op).busy}>${op === 'create' ? 'Create draft' : 'Save draft'}</button>
          <button class="secondary" type="button" @click=${() => (op === 'create' ? (this.creating = false) : (this.editing = false))}>Cancel</button>
        </div>
      </form>
      ${this.refusal(op, shown)}`;
  }

  // ---- the tenant's rounds ----

  private renderRounds() {
    const page = this.rounds;
    const listed = this.can('list_rounds');
    return html`
      <h2>Your rounds</h2>
      ${this.can('create_round')
        ? this.creating
          ? html`${this.problem('apps')}
              ${this.apps && this.appChoices().length === 0 ? html`<p class="empty">Create an app in Hosting first: a round funds one of your apps.</p>` : this.renderForm('create')}`
          : html`<p><button type="button" @click=${this.startCreate}>New round</button></p>`
        : nothing}
      ${listed
        ? html`<div class="filter">
            <label for="status-filter">Status</label>
            <select id="status-filter" @change=${(e: Event) => this.setFilter((e.target as HTMLSelectElement).value as RoundStatus | '')}>
              <option value="" ?selected=${this.statusFilter === ''}>All</option>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.statusFilter === s}>${s}</option>`)}
            </select>
          </div>`
        : nothing}
      ${this.problem('rounds')}
      ${!page
        ? this.op('rounds').error || !this.op('rounds').busy
          ? nothing
          : html`<p class="loading" role="status">Loading rounds…</p>`
        : page.items.length === 0
          ? html`<p class="empty">${this.statusFilter ? `No ${this.statusFilter} rounds.` : 'No rounds yet.'}</p>`
          : html`<table class="rounds">
              <caption class="sr-only">Your rounds, newest first</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">App</th><th scope="col">Status</th><th scope="col">Raised of target</th><th scope="col">Pledges</th><th scope="col">Paid out</th></tr></thead>
              <tbody>
                ${page.items.map(
                  (r) => html`<tr data-round=${r.roundId}>
                    <td><button class="link" type="button" @click=${() => this.open(r.roundId)}>${r.name}</button></td>
                    <td>${appNameIn(this.apps, r.appId)}</td>
                    <td><span class="status">${r.status}</span></td>
                    <td class="raised">${money(r.raisedCents)} of ${money(r.targetCents)}</td>
                    <td class="pledge-count">${r.pledgeCount}</td>
                    <td class="paid">${money(r.paidOutCents)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.problem('moreRounds')}
      ${loadMore(page?.nextCursor, this.op('moreRounds').busy, () => void this.loadRounds(true), 'rounds')}
      ${this.renderRevenue()}
    `;
  }

  private renderRevenue() {
    if (!this.can('record_revenue')) return nothing;
    const result = this.revenue;
    const name = (roundId: string) => this.rounds?.items.find((r) => r.roundId === roundId)?.name ?? roundId;
    return html`<section aria-labelledby="revenue-title">
      <h3 id="revenue-title">Revenue</h3>
      <p class="hint">Your app's runtime reports revenue with its app key; you can record a report by hand. Each closed round of the app is paid its share, once per report id.</p>
      ${this.recording
        ? html`${this.problem('apps')}
            <form class="card round" novalidate aria-label="Record revenue" @submit=${this.recordRevenue}>
              ${this.select('revenue', 'appId', 'appId', 'App', this.appChoices())}
              ${this.inputField('revenue', 'grossCents', 'gross', 'Gross revenue (USD)', { type: 'number', step: '0.01', min: '0', required: true, hint: 'Before the platform fee of 3%' })}
              ${this.inputField('revenue', 'reportId', 'reportId', 'Report id', { value: this.reportId, required: true, hint: 'The same id again pays nothing twice' })}
              <div class="actions">
                <button type="submit" ?disabled=${this.op('revenue').busy}>Record report</button>
                <button class="secondary" type="button" @click=${() => (this.recording = false)}>Cancel</button>
              </div>
            </form>
            ${this.refusal('revenue', ['appId', 'grossCents', 'reportId'])}`
        : html`<p><button class="secondary" type="button" @click=${this.startRecording}>Record revenue</button></p>`}
      ${result
        ? html`<div class="card revenue-result">
            <p>Report <code>${result.reportId}</code> for ${appNameIn(this.apps, result.appId)}: gross ${money(result.grossCents)}, platform fee ${money(result.feeCents)}, net ${money(result.netCents)}.</p>
            ${result.rounds.length === 0
              ? html`<p class="empty">No closed round of this app: nothing was paid.</p>`
              : html`<ul class="plain">
                  ${result.rounds.map(
                    (r) => html`<li data-round=${r.roundId}>
                      <strong>${name(r.roundId)}</strong>:
                      ${r.alreadyRecorded ? html`already paid by this report (${money(r.paidCents)}); nothing paid again.` : html`paid ${money(r.paidCents)} of a ${money(r.poolCents)} pool`}
                      <span class="status">${r.status}</span>
                    </li>`,
                  )}
                </ul>`}
          </div>`
        : nothing}
    </section>`;
  }

  // ---- one of the tenant's rounds ----

  private renderTerms(r: Round | PublicRound) {
    return html`<dt>Terms</dt>
      <dd>${percentOfBps(r.revenueShareBps)} of net revenue until investors get ${multipleOfBps(r.capMultipleBps)} what they pledged</dd>
      <dt>Target</dt><dd>${money(r.targetCents)}</dd>
      <dt>Raised</dt><dd class="raised">${money(r.raisedCents)}${isOwn(r) ? ` from ${plural(r.pledgeCount, 'pledge')}` : ''}</dd>
      <dt>Minimum pledge</dt><dd>${money(r.minPledgeCents)}</dd>
      ${r.opensAt || r.closesAt ? html`<dt>Schedule</dt><dd>${r.opensAt ? day(r.opensAt) : 'when opened'} – ${r.closesAt ? day(r.closesAt) : 'until closed'}</dd>` : nothing}`;
  }

  private renderRound() {
    const r = this.round;
    const moves = r ? MOVES[r.status].filter((m) => this.can(`${m}_round`)) : [];
    const canEdit = r?.status === 'draft' && this.can('update_round') && !this.editing;
    return html`
      <p><button class="link" type="button" @click=${this.back}>← All rounds</button></p>
      ${this.problem('round')}
      ${!r
        ? this.op('round').error
          ? nothing
          : html`<p class="loading" role="status">Loading the round…</p>`
        : html`
            <h2 id="round-title" tabindex="-1">${r.name} <span class="status">${r.status}</span></h2>
            <dl class="card">
              <dt>App</dt><dd>${appNameIn(this.apps, r.appId)}</dd>
              <dt>Round id</dt>
              <dd>
                <code class="round-id">${r.roundId}</code>
                <button class="secondary" type="button" aria-label="Copy the round id" @click=${() => this.copyRoundId(r.roundId)}>Copy</button>
                <span class="hint">Investors look the round up by this id under Invest while it is open.</span>
              </dd>
              ${this.renderTerms(r)}
              <dt>Paid out</dt><dd class="paid">${money(r.paidOutCents)} of a ${money(capOf(r))} cap</dd>
              <dt>Updated</dt><dd>${when(r.updatedAt)}</dd>
            </dl>
            ${moves.length > 0 || canEdit
              ? html`<div class="actions" role="group" aria-label="Round lifecycle">
                  ${moves.map(
                    (m) => html`<button class=${m === 'open' ? '' : 'danger'} type="button" ?disabled=${this.op('move').busy} @click=${() => this.move(m)}>${MOVE_LABELS[m]}</button>`,
                  )}
                  ${canEdit ? html`<button class="secondary" type="button" @click=${this.startEdit}>Edit draft</button>` : nothing}
                </div>`
              : nothing}
            ${this.refusal('move')}
            ${this.editing ? this.renderForm('edit', r) : this.refusal('edit')}
            <section aria-labelledby="raised-title">
              <h3 id="raised-title">Raised against the target</h3>
              <moz-round-chart .round=${r}></moz-round-chart>
            </section>
            ${this.renderPledges()}
          `}
    `;
  }

  private renderPledges() {
    if (!this.can('list_pledges')) return nothing;
    const page = this.pledges;
    return html`<section aria-labelledby="pledges-title">
      <h3 id="pledges-title">Pledges</h3>
      ${!page
        ? html`<p class="loading" role="status">Loading the pledges…</p>`
        : page.items.length === 0
          ? html`<p class="empty">No pledges yet.</p>`
          : html`<table class="pledges">
              <caption class="sr-only">Pledges to this round, newest first</caption>
              <thead><tr><th scope="col">Investor</th><th scope="col">Their tenant</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col" class="num">Paid out</th><th scope="col">Pledged</th></tr></thead>
              <tbody>
                ${page.items.map(
                  (p) => html`<tr data-pledge=${p.pledgeId}>
                    <td>${p.investorName}</td>
                    <td>${p.investorTenantId}</td>
                    <td class="num amount">${money(p.amountCents)}</td>
                    <td><span class="status">${p.status}</span></td>
                    <td class="num">${money(p.paidOutCents)}</td>
                    <td>${when(p.createdAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.problem('morePledges')}
      ${loadMore(page?.nextCursor, this.op('morePledges').busy, () => void this.morePledges(), 'pledges')}
    </section>`;
  }

  // ---- invest ----

  private renderInvest() {
    const r = this.lookup;
    const backed = new Map<string, PublicRound>();
    for (const p of this.positions?.items ?? []) if (p.round.status === 'open' && p.pledge.status === 'committed') backed.set(p.round.roundId, p.round);
    return html`
      <h2>Invest in a round</h2>
      <p class="hint">A round is shared by its id: ask the app's team for it. You can pledge to an open round of an app published in the Marketplace, from any tenant.</p>
      <form class="inline" role="search" aria-label="Look up a round" novalidate @submit=${this.submitLookup}>
        ${this.inputField('lookup', 'roundId', 'roundId', 'Round id', { value: this.lookupId, required: true })}
        <button type="submit" ?disabled=${this.op('lookup').busy}>Look up</button>
      </form>
      ${this.op('lookup').error?.code === 'NOT_FOUND'
        ? html`<div class="notice error" role="alert"><strong>No round to show.</strong> No round has this id, or it is not open and you have not pledged to it.</div>`
        : this.problem('lookup', ['roundId'])}
      ${this.op('lookup').busy && !r ? html`<p class="loading" role="status">Looking the round up…</p>` : nothing}
      ${r ? this.renderLookup(r) : nothing}
      ${backed.size > 0
        ? html`<section aria-labelledby="backed-title">
            <h3 id="backed-title">Open rounds you back</h3>
            <ul class="plain">
              ${[...backed.values()].map(
                (b) => html`<li><button class="link" type="button" @click=${() => this.showRound(b.roundId)}>${b.name}</button> · ${money(b.raisedCents)} of ${money(b.targetCents)} raised</li>`,
              )}
            </ul>
          </section>`
        : nothing}
    `;
  }

  private renderLookup(r: Round | PublicRound) {
    const remaining = Math.max(0, r.targetCents - r.raisedCents);
    const listing = this.listing?.appId === r.appId ? this.listing : undefined;
    return html`<section class="card" aria-labelledby="lookup-title" data-round=${r.roundId}>
      <h3 id="lookup-title" tabindex="-1">${r.name} <span class="status">${r.status}</span></h3>
      <dl class="card">
        <dt>App</dt><dd>${listing ? html`${listing.name}${listing.tagline ? html` <span class="hint">— ${listing.tagline}</span>` : nothing}` : isOwn(r) ? appNameIn(this.apps, r.appId) : html`<code>${r.appId}</code>`}</dd>
        ${this.renderTerms(r)}
        <dt>Left to the target</dt><dd class="remaining">${money(remaining)}</dd>
      </dl>
      <moz-round-chart .round=${r}></moz-round-chart>
      ${r.status !== 'open'
        ? html`<p class="empty">This round is ${r.status}: it takes no pledges.</p>`
        : !this.can('pledge')
          ? html`<p class="empty">Your roles do not let you pledge.</p>`
          : remaining === 0
            ? html`<p class="empty">This round has reached its target.</p>`
            : html`<form class="inline" novalidate aria-label=${`Pledge to ${r.name}`} @submit=${this.pledge}>
                  ${this.inputField('pledge', 'amountCents', 'amount', 'Amount (USD)', {
                    type: 'number',
                    step: '0.01',
                    min: String(r.minPledgeCents / 100),
                    required: true,
                    hint: `At least ${money(r.minPledgeCents)}, at most ${money(remaining)}`,
                  })}
                  <button type="submit" ?disabled=${this.op('pledge').busy}>Pledge</button>
                </form>
                <p class="hint">A pledge is a commitment, not a charge. You can cancel it while the round is open.</p>`}
      ${this.refusal('pledge', ['amountCents'])}
    </section>`;
  }

  // ---- positions ----

  private renderPositions() {
    const page = this.positions;
    const committed = page?.items.filter((p) => p.pledge.status === 'committed') ?? [];
    return html`
      <h2>Your positions</h2>
      ${this.problem('positions')}
      ${this.refusal('cancelPledge')}
      ${!page
        ? this.op('positions').error
          ? nothing
          : html`<p class="loading" role="status">Loading your positions…</p>`
        : page.items.length === 0
          ? html`<p class="empty">You have not pledged to any round. Look a round up under Invest.</p>`
          : html`<ul class="summary" aria-label="Your positions in sum">
                <li><span class="label">Committed pledges</span><span class="value" data-total="pledged">${money(committed.reduce((s, p) => s + p.pledge.amountCents, 0))}</span></li>
                <li><span class="label">Paid out to you</span><span class="value" data-total="paid">${money(page.items.reduce((s, p) => s + p.pledge.paidOutCents, 0))}</span></li>
              </ul>
              <table class="positions">
                <caption class="sr-only">Your pledges, newest first</caption>
                <thead><tr><th scope="col">Round</th><th scope="col">Round status</th><th scope="col" class="num">Pledged</th><th scope="col">Pledge</th><th scope="col" class="num">Paid out</th><th scope="col">Pledged</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                <tbody>
                  ${page.items.map(
                    (p) => html`<tr data-pledge=${p.pledge.pledgeId} data-round=${p.round.roundId}>
                      <td>${this.can('get_round') ? html`<button class="link" type="button" @click=${() => this.showRound(p.round.roundId)}>${p.round.name}</button>` : p.round.name}</td>
                      <td><span class="status round-status">${p.round.status}</span></td>
                      <td class="num amount">${money(p.pledge.amountCents)}</td>
                      <td><span class="status pledge-status">${p.pledge.status}</span></td>
                      <td class="num paid">${money(p.pledge.paidOutCents)}</td>
                      <td>${when(p.pledge.createdAt)}</td>
                      <td>
                        ${this.can('cancel_pledge') && p.pledge.status === 'committed' && p.round.status === 'open'
                          ? html`<button class="danger" type="button" ?disabled=${this.op('cancelPledge').busy} aria-label=${`Cancel pledge of ${money(p.pledge.amountCents)} to ${p.round.name}`} @click=${() => this.cancelPledge(p)}>Cancel pledge</button>`
                          : nothing}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      ${this.problem('morePositions')}
      ${loadMore(page?.nextCursor, this.op('morePositions').busy, () => void this.loadPositions(true), 'positions')}
    `;
  }

  // ---- payouts ----

  private renderPayouts() {
    const page = this.payouts;
    return html`
      <h2>Your payouts</h2>
      <p class="hint">What the rounds you back have paid you from their apps' revenue.</p>
      ${this.problem('payouts')}
      ${!page
        ? this.op('payouts').error
          ? nothing
          : html`<p class="loading" role="status">Loading your payouts…</p>`
        : page.items.length === 0
          ? html`<p class="empty">No payouts yet: a round pays once it is closed and its app reports revenue.</p>`
          : html`<ul class="summary" aria-label="Your payouts in sum">
                <li><span class="label">Paid to you${page.nextCursor ? ' (loaded)' : ''}</span><span class="value" data-total="payouts">${money(page.items.reduce((s, p) => s + p.amountCents, 0))}</span></li>
                <li><span class="label">Payouts</span><span class="value">${page.items.length.toLocaleString()}</span></li>
              </ul>
              <section aria-labelledby="payouts-chart-title">
                <h3 id="payouts-chart-title">Payouts over time</h3>
                <moz-payouts-chart .payouts=${page.items}></moz-payouts-chart>
              </section>
              <table class="payouts">
                <caption class="sr-only">Your payouts, newest first</caption>
                <thead><tr><th scope="col">Paid</th><th scope="col">Round</th><th scope="col" class="num">Amount</th><th scope="col">Report</th></tr></thead>
                <tbody>
                  ${page.items.map(
                    (p) => html`<tr data-payout=${p.payoutId}>
                      <td>${when(p.createdAt)}</td>
                      <td>${this.roundName(p.roundId)}</td>
                      <td class="num amount">${money(p.amountCents)}</td>
                      <td><code>${p.reportId}</code></td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      ${this.problem('morePayouts')}
      ${loadMore(page?.nextCursor, this.op('morePayouts').busy, () => void this.loadPayouts(true), 'payouts')}
    `;
  }
}

const chartStyles = [
  unsafeCSS(uplotCss),
  css`
    :host { display: block; }
    figure { margin: 0.5rem 0; }
    .chart { max-width: 520px; overflow: hidden; }
    table { border-collapse: collapse; margin-top: 0.5rem; }
    caption { text-align: left; font-size: 0.875rem; color: #4b5563; }
    th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #d1d5db; }
    td { text-align: right; }
    th { background: #f3f4f6; }
    .empty { color: #4b5563; font-style: italic; }
  `,
];

/** Dollars on an axis: $500, $12k, $1.5M. */
const axisMoney = (dollars: number): string =>
  dollars >= 1_000_000 ? `$${+(dollars / 1_000_000).toFixed(2)}M` : dollars >= 1000 ? `$${+(dollars / 1000).toFixed(1)}k` : `$${+dollars.toFixed(2)}`;

type ChartRound = Pick<PublicRound, 'name' | 'status' | 'targetCents' | 'raisedCents' | 'capMultipleBps'> & { paidOutCents?: number };

/** A round's raised against its target as a uPlot bar chart (with what it paid and its cap once closed), the numbers in a table. */
export class MozRoundChart extends LitElement {
  static override properties = { round: { attribute: false } };
  static override styles = chartStyles;
  declare round: ChartRound | undefined;
  private plot?: uPlot;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private rows(): Array<[string, number]> {
    const r = this.round;
    if (!r) return [];
    const rows: Array<[string, number]> = [
      ['Raised', r.raisedCents],
      ['Target', r.targetCents],
    ];
    if (r.paidOutCents !== undefined && (r.status === 'closed' || r.status === 'repaid')) rows.push(['Paid out', r.paidOutCents], ['Repayment cap', capOf(r)]);
    return rows;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('round')) return;
    this.plot?.destroy();
    this.plot = undefined;
    const rows = this.rows();
    const target = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!target || rows.length === 0) return;
    const xs = rows.map((_, i) => i);
    const names = rows.map(([name]) => name);
    // What happened (raised, paid out) in blue; what it is measured against (target, cap) in grey.
    const actual = rows.map(([name, cents]) => (name === 'Raised' || name === 'Paid out' ? cents / 100 : null));
    const goal = rows.map(([name, cents]) => (name === 'Raised' || name === 'Paid out' ? null : cents / 100));
    const max = Math.max(1, ...rows.map(([, cents]) => cents / 100));
    const bars = uPlot.paths.bars!({ size: [0.5, 70] });
    this.plot = new uPlot(
      {
        width: Math.min(520, Math.max(260, target.clientWidth || 360)),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, rows.length - 0.5] }, y: { range: [0, max * 1.1] } },
        axes: [
          { splits: () => xs, values: (_u, splits) => splits.map((i) => names[i] ?? ''), stroke: '#1b1f24', grid: { show: false } },
          { values: (_u, splits) => splits.map((v) => (v == null ? '' : axisMoney(v))), stroke: '#1b1f24', size: 64 },
        ],
        series: [
          {},
          { label: 'Raised and paid out', fill: '#0b57b0', stroke: '#0b57b0', paths: bars, points: { show: false } },
          { label: 'Target and cap', fill: '#d1d5db', stroke: '#4b5563', paths: bars, points: { show: false } },
        ],
      },
      [xs, actual, goal],
      target,
    );
  }

  override render() {
    const r = this.round;
    const rows = this.rows();
    if (!r || rows.length === 0) return nothing;
    const share = r.targetCents > 0 ? Math.round((r.raisedCents / r.targetCents) * 1000) / 10 : 0;
    const summary = rows.map(([name, cents]) => `${name}: ${money(cents)}`).join('; ');
    return html`<figure>
      <div class="chart" role="img" aria-label=${`Raised ${money(r.raisedCents)} of the ${money(r.targetCents)} target (${share}%). ${summary}`}></div>
      <figcaption>
        <table>
          <caption>Raised against the target (the chart's numbers: blue bars are money raised or paid, grey ones what they are measured against)</caption>
          <thead><tr><th scope="col">Amount</th><th scope="col">USD</th></tr></thead>
          <tbody>${rows.map(([name, cents]) => html`<tr><th scope="row">${name}</th><td>${money(cents)}</td></tr>`)}</tbody>
        </table>
      </figcaption>
    </figure>`;
  }
}

/** Payouts over time: the running total as a stepped uPlot line, and the totals by day in a table. */
export class MozPayoutsChart extends LitElement {
  static override properties = { payouts: { attribute: false } };
  static override styles = chartStyles;
  declare payouts: readonly Payout[] | undefined;
  private plot?: uPlot;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** The running total (cents) at each second a payout landed, oldest first. */
  private points(): Array<[number, number]> {
    const bySecond = new Map<number, number>();
    for (const p of this.payouts ?? []) {
      const second = Math.floor(Date.parse(p.createdAt) / 1000);
      bySecond.set(second, (bySecond.get(second) ?? 0) + p.amountCents);
    }
    let total = 0;
    return [...bySecond.entries()].sort(([a], [b]) => a - b).map(([second, cents]) => [second, (total += cents)]);
  }

  /** Paid per day and the running total, oldest first. */
  private days(): Array<{ day: string; cents: number; total: number }> {
    const byDay = new Map<string, number>();
    const sorted = [...(this.payouts ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const p of sorted) byDay.set(day(p.createdAt), (byDay.get(day(p.createdAt)) ?? 0) + p.amountCents);
    let total = 0;
    return [...byDay.entries()].map(([d, cents]) => ({ day: d, cents, total: (total += cents) }));
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('payouts')) return;
    this.plot?.destroy();
    this.plot = undefined;
    const points = this.points();
    const target = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!target || points.length === 0) return;
    const first = points[0]![0];
    const last = points[points.length - 1]![0];
    // One moment alone gets a day either side, so the step has room; the line starts at $0 before the first payout.
    const pad = last - first < 3600 ? 86_400 : (last - first) * 0.05;
    const total = points[points.length - 1]![1] / 100;
    const xs = [first - pad, ...points.map(([x]) => x), last + pad];
    const ys = [0, ...points.map(([, cents]) => cents / 100), total];
    this.plot = new uPlot(
      {
        width: Math.min(520, Math.max(260, target.clientWidth || 360)),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: [first - pad, last + pad] }, y: { range: [0, Math.max(1, total) * 1.15] } },
        axes: [{ stroke: '#1b1f24' }, { values: (_u, splits) => splits.map((v) => (v == null ? '' : axisMoney(v))), stroke: '#1b1f24', size: 64 }],
        series: [
          {},
          { label: 'Paid to you in all', stroke: '#0b57b0', width: 2, fill: 'rgba(11, 87, 176, 0.12)', paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
      },
      [xs, ys],
      target,
    );
  }

  override render() {
    const days = this.days();
    if (days.length === 0) return html`<p class="empty">No payouts to chart.</p>`;
    const total = days[days.length - 1]!.total;
    const count = this.payouts?.length ?? 0;
    return html`<figure>
      <div class="chart" role="img" aria-label=${`Payouts over time: ${money(total)} in ${plural(count, 'payout')}, from ${days[0]!.day} to ${days[days.length - 1]!.day}.`}></div>
      <figcaption>
        <table>
          <caption>Payouts by day (the chart's numbers: it shows the running total)</caption>
          <thead><tr><th scope="col">Day</th><th scope="col">Paid</th><th scope="col">Running total</th></tr></thead>
          <tbody>${days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${money(d.cents)}</td><td>${money(d.total)}</td></tr>`)}</tbody>
        </table>
      </figcaption>
    </figure>`;
  }
}

customElements.get('moz-round-chart') ?? customElements.define('moz-round-chart', MozRoundChart);
customElements.get('moz-payouts-chart') ?? customElements.define('moz-payouts-chart', MozPayoutsChart);
customElements.get('moz-platform-funding') ?? customElements.define('moz-platform-funding', MozPlatformFunding);
