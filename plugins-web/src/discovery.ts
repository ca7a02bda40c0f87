// <moz-platform-discovery>: the marketplace (search, listings, ratings, publishing your apps) and the
// tenant's quests with their progress and the points leaderboard (moz.platform.discovery).
import { css, html, nothing, type TemplateResult } from 'lit';
import type { LeaderboardEntry, Listing, Quest, QuestProgress } from '../../connectors/contracts/discovery.ts';
import type { App } from '../../connectors/contracts/hosting.ts';
import { appNameIn, type Page } from './api.ts';
import { appendPage, PluginElement, baseStyles, formValues, loadMore, when, plural } from './ui.ts';

type View = 'search' | 'publish' | 'quests';

const VIEW_LABELS: Record<View, string> = { search: 'Browse listings', publish: 'Publish an app', quests: 'Quests' };
const STARS = [1, 2, 3, 4, 5] as const;

/** "3 ratings", "1 rating". */

/** Splits "a, b ,c" into ['a', 'b', 'c']. */
const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

export class MozPlatformDiscovery extends PluginElement {
  static override properties = {
    view: { state: true },
    results: { state: true },
    query: { state: true },
    listing: { state: true },
    stars: { state: true },
    apps: { state: true },
    quests: { state: true },
    progress: { state: true },
    leaders: { state: true },
    notice: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      ul.listings, ul.steps, ul.quests { list-style: none; padding: 0; margin: 0; }
      .listing-card h3, .quest h3 { margin: 0 0 0.25rem; }
      .meta { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; font-size: 0.9rem; color: #374151; }
      .tag { display: inline-block; padding: 0 0.5rem; border-radius: 999px; border: 1px solid #6b7280; font-size: 0.85rem; color: #1b1f24; }
      .rating { font-weight: 600; color: #1b1f24; }
      .rating .star { color: #8a5300; }
      fieldset.stars { border: 1px solid #d1d5db; border-radius: 8px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
      fieldset.stars legend { font-weight: 600; padding: 0 0.25rem; }
      .star-choices { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-bottom: 0.5rem; }
      .star-choices label { display: inline-flex; align-items: center; gap: 0.25rem; padding: 0.2rem 0.5rem; border: 1px solid #d1d5db; border-radius: 6px; cursor: pointer; }
      .star-choices label:has(input:checked) { border-color: #8a5300; background: #fff7e6; }
      .star-choices .glyph { color: #8a5300; letter-spacing: 0.05em; }
      textarea { border: 1px solid #6b7280; border-radius: 6px; padding: 0.3rem 0.5rem; min-width: 18rem; }
      textarea[aria-invalid='true'], select[aria-invalid='true'] { border-color: #a4161a; }
      form.stacked { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.75rem; align-items: start; }
      form.stacked .wide { grid-column: 1 / -1; }
      ul.steps li { margin: 0.3rem 0; }
      button.step { background: #fff; color: #1b1f24; border-color: #6b7280; display: inline-flex; gap: 0.5rem; align-items: center; text-align: left; }
      button.step[aria-pressed='true'] { background: #e8f5ec; border-color: #1e6b34; color: #12421f; }
      button.step .box { display: inline-block; width: 1.1rem; text-align: center; font-weight: 700; }
      progress { width: 12rem; height: 0.9rem; vertical-align: middle; }
      .two-cols { display: grid; grid-template-columns: 2fr 1fr; gap: 1.5rem; }
      @media (max-width: 900px) { .two-cols { grid-template-columns: 1fr; } }
    `,
  ];
  protected readonly plugin = 'moz.platform.discovery';
  declare private view: View;
  declare private results: Page<Listing> | undefined;
  /** The search last run, for "Load more". */
  declare private query: Record<string, string>;
  declare private listing: Listing | undefined;
  declare private stars: number | undefined;
  declare private apps: App[] | undefined;
  declare private quests: Page<Quest> | undefined;
  /** Each listed quest's progress for the caller; null when not started. */
  declare private progress: Record<string, QuestProgress | null>;
  declare private leaders: Page<LeaderboardEntry> | undefined;
  declare private notice: string | undefined;

  constructor() {
    super();
    this.view = 'search';
    this.query = {};
    this.progress = {};
  }

  protected override async load(): Promise<void> {
    if (this.can('search_listings')) await this.search({});
  }

  private views(): View[] {
    return (['search', 'publish', 'quests'] as const).filter((view) =>
      view === 'search' ? this.can('search_listings') : view === 'publish' ? this.can('publish_listing') || this.can('unpublish_listing') : this.can('list_quests'),
    );
  }

  private async select(view: View): Promise<void> {
    this.view = view;
    this.notice = undefined;
    this.listing = undefined;
    this.ops = { manifest: this.op('manifest') };
    if (view === 'search') await this.search(this.query);
    else if (view === 'publish') await this.loadApps();
    else await Promise.all([this.loadQuests(), this.can('leaderboard') ? this.loadLeaders() : Promise.resolve()]);
  }

  /** The first API field error of `opName` for `name` or any of its parts (tags.0, steps.1.title). */
  private fieldError(opName: string, name: string): string | undefined {
    const fields = this.op(opName).error?.fields ?? {};
    return fields[name] ?? Object.entries(fields).find(([field]) => field.startsWith(`${name}.`))?.[1];
  }

  /** The API fields of `opName` that the form shows beside `names`. */
  private shown(opName: string, names: readonly string[]): string[] {
    return Object.keys(this.op(opName).error?.fields ?? {}).filter((field) => names.some((name) => field === name || field.startsWith(`${name}.`)));
  }

  private errorText(opName: string, name: string): TemplateResult | typeof nothing {
    const error = this.fieldError(opName, name);
    return error ? html`<span class="field-error" id=${`${opName}-${name}-error`}>${error}</span>` : nothing;
  }

  private describedBy(opName: string, name: string, hint = false): string | typeof nothing {
    if (this.fieldError(opName, name)) return `${opName}-${name}-error`;
    return hint ? `${opName}-${name}-hint` : nothing;
  }

  // ---- search and listings ----

  private async search(query: Record<string, string>, more = false): Promise<void> {
    await this.run(more ? 'moreResults' : 'search', async () => {
      const page = await this.execute<Page<Listing>>('search_listings', { ...query, ...(more && this.results?.nextCursor && { cursor: this.results.nextCursor }) });
      this.query = query;
      this.results = appendPage(more ? this.results : undefined, page);
    });
  }

  private async submitSearch(event: Event): Promise<void> {
    const values = formValues(event);
    this.results = undefined;
    const ok = await this.search(values).then(() => !this.op('search').error);
    if (!ok) await this.focusInvalid();
  }

  private async open(appId: string): Promise<void> {
    this.notice = undefined;
    this.listing = undefined;
    this.stars = undefined;
    this.ops = { ...this.ops, rate: {} };
    await this.run('listing', async () => {
      this.listing = await this.execute<Listing>('get_listing', { appId });
    });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#listing-title')?.focus();
  }

  private async rate(event: Event): Promise<void> {
    event.preventDefault();
    const listing = this.listing;
    const stars = this.stars;
    if (!listing || !stars) return;
    this.notice = undefined;
    await this.run('rate', async () => {
      const updated = await this.execute<Listing>('rate_listing', { appId: listing.appId, stars });
      this.listing = updated;
      this.notice = `You rated "${updated.name}" ${plural(stars, 'star')}. Its average is now ${updated.ratingAvg.toFixed(2)} from ${plural(updated.ratingCount, 'rating')}.`;
      // Keep the result list's card current too.
      if (this.results) this.results = { ...this.results, items: this.results.items.map((item) => (item.appId === updated.appId ? updated : item)) };
    });
  }

  private back(): void {
    const appId = this.listing?.appId;
    this.listing = undefined;
    this.notice = undefined;
    void this.updateComplete.then(() => {
      const target = appId ? this.renderRoot.querySelector<HTMLElement>(`[data-app-id="${CSS.escape(appId)}"]`) : null;
      target?.focus();
    });
  }

  // ---- publishing ----

  /** The caller's apps, from moz.platform.hosting (the same client, another plugin). */
  private async loadApps(): Promise<void> {
    await this.run('apps', async () => {
      this.apps = await this.client.tenantApps();
    });
  }

  private async publish(event: Event): Promise<void> {
    const values = formValues(event);
    this.notice = undefined;
    const input: Record<string, unknown> = { ...values };
    if ('tags' in values) input.tags = splitList(values.tags);
    const ok = await this.run('publish', async () => {
      const listing = await this.execute<Listing>('publish_listing', input);
      this.notice = `"${listing.name}" is published in the marketplace.`;
    });
    if (!ok) await this.focusInvalid();
  }

  private async unpublish(): Promise<void> {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#publish-appId');
    const appId = select?.value;
    if (!appId) return;
    const name = appNameIn(this.apps, appId);
    if (!confirm(`Remove "${name}" from the marketplace? Its ratings are kept for a later publish.`)) return;
    this.notice = undefined;
    await this.run('unpublish', async () => {
      await this.execute('unpublish_listing', { appId });
      this.notice = `"${name}" is no longer in the marketplace.`;
    });
  }

  // ---- quests ----

  private async loadQuests(more = false): Promise<void> {
    await this.run(more ? 'moreQuests' : 'quests', async () => {
      const page = await this.execute<Page<Quest & { myProgress?: QuestProgress }>>('list_quests', { ...(more && this.quests?.nextCursor && { cursor: this.quests.nextCursor }) });
      this.quests = appendPage(more ? this.quests : undefined, page);
      this.loadProgress(page.items);
    });
  }

  /** The caller's progress on each quest comes with the list (`myProgress`; absent: not started). */
  private loadProgress(quests: Array<Quest & { myProgress?: QuestProgress }>): void {
    this.progress = { ...this.progress, ...Object.fromEntries(quests.map((quest) => [quest.questId, quest.myProgress ?? null])) };
  }

  private async loadLeaders(more = false): Promise<void> {
    await this.run(more ? 'moreLeaders' : 'leaders', async () => {
      const page = await this.execute<Page<LeaderboardEntry>>('leaderboard', { ...(more && this.leaders?.nextCursor && { cursor: this.leaders.nextCursor }) });
      this.leaders = appendPage(more ? this.leaders : undefined, page);
    });
  }

  private async startQuest(quest: Quest): Promise<void> {
    this.notice = undefined;
    const ok = await this.run(`quest:${quest.questId}`, async () => {
      const progress = await this.execute<QuestProgress>('start_quest', { questId: quest.questId });
      this.progress = { ...this.progress, [quest.questId]: progress };
      this.notice = `Quest "${quest.title}" started.`;
    });
    if (ok) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-quest="${CSS.escape(quest.questId)}"] button.step`)?.focus();
    }
  }

  private async completeStep(quest: Quest, stepId: string): Promise<void> {
    const progress = this.progress[quest.questId];
    if (!progress || progress.completedSteps.includes(stepId)) return;
    this.notice = undefined;
    const ok = await this.run(`quest:${quest.questId}`, async () => {
      const updated = await this.execute<QuestProgress>('complete_quest_step', { questId: quest.questId, stepId });
      this.progress = { ...this.progress, [quest.questId]: updated };
      this.notice =
        updated.status === 'completed'
          ? `Quest "${quest.title}" completed: ${plural(updated.pointsAwarded, 'point')} awarded.`
          : `Step done: ${updated.completedSteps.length} of ${quest.steps.length} in "${quest.title}".`;
    });
    if (ok && this.can('leaderboard')) await this.loadLeaders();
  }

  private async createQuest(event: Event): Promise<void> {
    const form = event.currentTarget as HTMLFormElement;
    const active = (form.elements.namedItem('active') as HTMLInputElement | null)?.checked ?? true;
    const values = formValues(event);
    this.notice = undefined;
    const steps = (values.steps ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((title) => ({ title }));
    const points = values.rewardPoints === undefined ? 0 : Number(values.rewardPoints);
    const ok = await this.run('createQuest', async () => {
      const quest = await this.execute<Quest>('create_quest', {
        title: values.title ?? '',
        ...(values.description && { description: values.description }),
        steps,
        rewardPoints: Number.isFinite(points) ? points : values.rewardPoints,
        active,
      });
      this.notice = `Quest "${quest.title}" created.`;
    });
    if (ok) {
      form.reset();
      await this.loadQuests();
    } else await this.focusInvalid();
  }

  // ---- rendering ----

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    const views = this.views();
    if (views.length === 0) return html`<div class="notice refused" role="alert">Your roles do not let you use the marketplace.</div>`;
    const view = views.includes(this.view) ? this.view : views[0]!;
    return html`
      <nav class="tabs" aria-label="Marketplace sections">
        ${views.map(
          (v) => html`<button type="button" aria-current=${v === view ? 'page' : 'false'} @click=${() => this.select(v)}>${VIEW_LABELS[v]}</button>`,
        )}
      </nav>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${view === 'search' ? (this.listing || this.op('listing').busy || this.op('listing').error ? this.renderListing() : this.renderSearch()) : view === 'publish' ? this.renderPublish() : this.renderQuests()}
    `;
  }

  private renderRating(listing: Listing) {
    return listing.ratingCount === 0
      ? html`<span class="rating">No ratings yet</span>`
      : html`<span class="rating"><span class="star" aria-hidden="true">★</span> ${listing.ratingAvg.toFixed(2)}<span class="sr-only"> out of 5</span> (${plural(listing.ratingCount, 'rating')})</span>`;
  }

  private renderTags(tags: readonly string[]) {
    if (tags.length === 0) return nothing;
    return html`<span><span class="sr-only">Tags: </span>${tags.map((tag) => html`<span class="tag">#${tag}</span> `)}</span>`;
  }

  private renderSearch() {
    const results = this.results;
    const q = this.query;
    const fields = ['q', 'category', 'tag', 'sort'];
    return html`
      <h2>Search the marketplace</h2>
      <form class="inline card" role="search" aria-label="Search listings" @submit=${this.submitSearch}>
        ${this.field('search', 'q', 'Words', { type: 'search', value: q.q, hint: 'matches the start of words in names, taglines and tags' })}
        ${this.field('search', 'category', 'Category', { value: q.category, placeholder: 'e.g. demo' })}
        ${this.field('search', 'tag', 'Tag', { value: q.tag, placeholder: 'e.g. starter' })}
        <div class="field">
          <label for="search-sort">Sort by</label>
          <select id="search-sort" name="sort">
            <option value="newest" ?selected=${q.sort !== 'rating'}>Newest first</option>
            <option value="rating" ?selected=${q.sort === 'rating'}>Best rated first</option>
          </select>
        </div>
        <button type="submit" ?disabled=${this.op('search').busy}>Search</button>
      </form>
      ${this.problem('search', fields)}
      <h3 id="results-title">Listings</h3>
      ${!results || this.op('search').busy
        ? html`<p class="loading" role="status">Searching…</p>`
        : results.items.length === 0
          ? html`<p class="empty" role="status">${results.nextCursor ? 'Nothing on this page: load more to keep looking.' : 'No listings match your search.'}</p>`
          : html`<ul class="listings grid" aria-labelledby="results-title">
              ${results.items.map(
                (listing) => html`<li class="card listing-card">
                  <h3><button class="link" type="button" data-app-id=${listing.appId} @click=${() => this.open(listing.appId)}>${listing.name}</button></h3>
                  ${listing.tagline ? html`<p>${listing.tagline}</p>` : nothing}
                  <div class="meta">
                    <span><span class="sr-only">Category: </span><span class="status">${listing.category}</span></span>
                    ${this.renderTags(listing.tags)} ${this.renderRating(listing)}
                  </div>
                </li>`,
              )}
            </ul>`}
      ${this.problem('moreResults')}
      ${loadMore(results?.nextCursor, this.op('moreResults').busy, () => void this.search(this.query, true), 'listings')}
    `;
  }

  private renderListing() {
    const listing = this.listing;
    return html`
      <p><button class="link" type="button" @click=${this.back}>← Back to the results</button></p>
      ${this.problem('listing')}
      ${!listing
        ? this.op('listing').busy
          ? html`<p class="loading" role="status">Loading the listing…</p>`
          : nothing
        : html`
            <article class="card">
              <h2 id="listing-title" tabindex="-1">${listing.name}</h2>
              ${listing.logoUrl ? html`<img src=${listing.logoUrl} alt=${`${listing.name} logo`} width="64" height="64" />` : nothing}
              ${listing.tagline ? html`<p><strong>${listing.tagline}</strong></p>` : nothing}
              ${listing.description ? html`<p>${listing.description}</p>` : nothing}
              <dl class="card">
                <dt>Category</dt><dd><span class="status">${listing.category}</span></dd>
                <dt>Tags</dt><dd>${listing.tags.length ? listing.tags.map((tag) => html`<span class="tag">#${tag}</span> `) : html`<span class="hint">none</span>`}</dd>
                <dt>Rating</dt><dd data-rating>${this.renderRating(listing)}</dd>
                <dt>Published</dt><dd>${when(listing.publishedAt)}</dd>
              </dl>
              ${this.can('rate_listing')
                ? html`<form aria-label="Rate this app" @submit=${this.rate}>
                    <fieldset class="stars">
                      <legend>Your rating</legend>
                      <div class="star-choices">
                        ${STARS.map(
                          (n) => html`<label>
                            <input type="radio" name="stars" value=${n} .checked=${this.stars === n} @change=${() => (this.stars = n)} />
                            <span class="glyph" aria-hidden="true">${'★'.repeat(n)}</span>
                            <span class="sr-only">${plural(n, 'star')}</span>
                          </label>`,
                        )}
                      </div>
                      <button type="submit" ?disabled=${!this.stars || this.op('rate').busy}>${this.op('rate').busy ? 'Saving…' : 'Submit rating'}</button>
                      <span class="hint">Rating again replaces your earlier rating.</span>
                    </fieldset>
                  </form>
                  ${this.problem('rate')}`
                : nothing}
            </article>
          `}
    `;
  }

  private renderPublish() {
    const apps = this.apps;
    const op = 'publish';
    const fields = ['appId', 'name', 'tagline', 'description', 'category', 'tags', 'logoUrl'];
    return html`
      <h2>Publish one of your apps</h2>
      <p class="hint">Publishing an app that is already listed updates its listing; its ratings stay.</p>
      ${this.problem('apps')} ${this.problem(op, this.shown(op, fields))} ${this.problem('unpublish')}
      ${!apps
        ? this.op('apps').busy
          ? html`<p class="loading" role="status">Loading your apps…</p>`
          : nothing
        : apps.length === 0
          ? html`<p class="empty">You have no apps yet: create one in Hosting first.</p>`
          : html`<form class="stacked card" aria-label="Publish a listing" @submit=${this.publish}>
              <div class="field">
                <label for="publish-appId">App</label>
                <select id="publish-appId" name="appId" required aria-invalid=${this.fieldError(op, 'appId') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'appId')}>
                  ${apps.map((app) => html`<option value=${app.appId}>${app.name} (${app.slug})</option>`)}
                </select>
                ${this.errorText(op, 'appId')}
              </div>
              ${this.field(op, 'name', 'Listing name', { required: true })}
              ${this.field(op, 'tagline', 'Tagline', { hint: 'up to 160 characters' })}
              ${this.field(op, 'category', 'Category', { required: true, hint: 'lower-case letters, digits and -' })}
              <div class="field">
                <label for="publish-tags">Tags</label>
                <input id="publish-tags" name="tags" autocomplete="off" aria-invalid=${this.fieldError(op, 'tags') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'tags', true)} />
                ${this.fieldError(op, 'tags') ? nothing : html`<span class="hint" id="publish-tags-hint">comma separated, at most 10</span>`}
                ${this.errorText(op, 'tags')}
              </div>
              ${this.field(op, 'logoUrl', 'Logo URL', { type: 'url', placeholder: 'https://…', hint: 'https only' })}
              <div class="field wide">
                <label for="publish-description">Description</label>
                <textarea id="publish-description" name="description" rows="4" aria-invalid=${this.fieldError(op, 'description') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'description')}></textarea>
                ${this.errorText(op, 'description')}
              </div>
              <div class="actions wide">
                ${this.can('publish_listing') ? html`<button type="submit" ?disabled=${this.op(op).busy}>Publish</button>` : nothing}
                ${this.can('unpublish_listing')
                  ? html`<button type="button" class="danger" ?disabled=${this.op('unpublish').busy} @click=${this.unpublish}>Unpublish the selected app</button>`
                  : nothing}
              </div>
            </form>`}
    `;
  }

  private renderQuests() {
    const quests = this.quests;
    return html`
      <div class="two-cols">
        <section aria-labelledby="quests-title">
          <h2 id="quests-title">Quests</h2>
          ${this.problem('quests')}
          ${!quests
            ? html`<p class="loading" role="status">Loading quests…</p>`
            : quests.items.length === 0
              ? html`<p class="empty">No quests yet.</p>`
              : html`<ul class="quests">${quests.items.map((quest) => this.renderQuest(quest))}</ul>`}
          ${this.problem('moreQuests')}
          ${loadMore(quests?.nextCursor, this.op('moreQuests').busy, () => void this.loadQuests(true), 'quests')}
          ${this.can('create_quest') ? this.renderCreateQuest() : nothing}
        </section>
        ${this.can('leaderboard') ? this.renderLeaderboard() : nothing}
      </div>
    `;
  }

  private renderQuest(quest: Quest) {
    const progress = this.progress[quest.questId];
    const done = new Set(progress?.completedSteps ?? []);
    const busy = this.op(`quest:${quest.questId}`).busy;
    const progressId = `progress-${quest.questId}`;
    return html`<li class="card quest" data-quest=${quest.questId}>
      <h3>${quest.title} ${quest.active ? nothing : html`<span class="status">inactive</span>`}</h3>
      ${quest.description ? html`<p>${quest.description}</p>` : nothing}
      <p class="meta">
        <span>Reward: <strong>${plural(quest.rewardPoints, 'point')}</strong></span>
        ${progress
          ? html`<span>
              <label for=${progressId}>Progress:</label>
              <progress id=${progressId} max=${quest.steps.length} value=${done.size}></progress>
              <span data-progress>${done.size} of ${quest.steps.length} steps done${progress.status === 'completed' ? ` · completed, ${plural(progress.pointsAwarded, 'point')} awarded` : ''}</span>
            </span>`
          : progress === null
            ? html`<span>Not started</span>`
            : nothing}
      </p>
      ${progress
        ? html`<ul class="steps" aria-label=${`Steps of ${quest.title}`}>
            ${quest.steps.map((step) => {
              const isDone = done.has(step.stepId);
              return html`<li>
                <button
                  class="step"
                  type="button"
                  aria-pressed=${isDone ? 'true' : 'false'}
                  ?disabled=${busy || !this.can('complete_quest_step')}
                  @click=${() => this.completeStep(quest, step.stepId)}
                ><span class="box" aria-hidden="true">${isDone ? '✓' : '○'}</span>${step.title}</button>
              </li>`;
            })}
          </ul>`
        : html`<ol>${quest.steps.map((step) => html`<li>${step.title}</li>`)}</ol>
            ${quest.active && this.can('start_quest')
              ? html`<button type="button" ?disabled=${busy} aria-label=${`Start quest: ${quest.title}`} @click=${() => this.startQuest(quest)}>Start quest</button>`
              : nothing}`}
      ${this.problem(`quest:${quest.questId}`)}
    </li>`;
  }

  private renderCreateQuest() {
    const op = 'createQuest';
    const fields = ['title', 'description', 'steps', 'rewardPoints', 'active'];
    return html`
      <h3>Create a quest</h3>
      ${this.problem(op, this.shown(op, fields))}
      <form class="stacked card" aria-label="Create a quest" @submit=${this.createQuest}>
        ${this.field(op, 'title', 'Title', { required: true })}
        <div class="field">
          <label for="createQuest-rewardPoints">Reward points</label>
          <input id="createQuest-rewardPoints" name="rewardPoints" type="number" min="0" max="1000000" step="1" value="0" required aria-invalid=${this.fieldError(op, 'rewardPoints') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'rewardPoints')} />
          ${this.errorText(op, 'rewardPoints')}
        </div>
        <div class="field wide">
          <label for="createQuest-description">Description</label>
          <textarea id="createQuest-description" name="description" rows="2" aria-invalid=${this.fieldError(op, 'description') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'description')}></textarea>
          ${this.errorText(op, 'description')}
        </div>
        <div class="field wide">
          <label for="createQuest-steps">Steps</label>
          <textarea id="createQuest-steps" name="steps" rows="4" required aria-invalid=${this.fieldError(op, 'steps') ? 'true' : 'false'} aria-describedby=${this.describedBy(op, 'steps', true)}></textarea>
          ${this.fieldError(op, 'steps') ? nothing : html`<span class="hint" id="createQuest-steps-hint">one step per line, 1 to 20</span>`}
          ${this.errorText(op, 'steps')}
        </div>
        <div class="wide"><label><input type="checkbox" name="active" checked /> Active (users can start it)</label></div>
        <div class="wide"><button type="submit" ?disabled=${this.op(op).busy}>Create quest</button></div>
      </form>
    `;
  }

  private renderLeaderboard() {
    const leaders = this.leaders;
    return html`<section aria-labelledby="leaderboard-title">
      <h2 id="leaderboard-title">Leaderboard</h2>
      ${this.problem('leaders')}
      ${!leaders
        ? html`<p class="loading" role="status">Loading the leaderboard…</p>`
        : leaders.items.length === 0
          ? html`<p class="empty">No points yet: finish a quest to lead.</p>`
          : html`<table>
              <caption class="sr-only">Leaderboard: users by points</caption>
              <thead><tr><th scope="col">Rank</th><th scope="col">Name</th><th scope="col">Points</th></tr></thead>
              <tbody>
                ${leaders.items.map((entry, i) => html`<tr><td>${i + 1}</td><td>${entry.displayName}</td><td>${entry.points}</td></tr>`)}
              </tbody>
            </table>`}
      ${this.problem('moreLeaders')}
      ${loadMore(leaders?.nextCursor, this.op('moreLeaders').busy, () => void this.loadLeaders(true), 'entries')}
    </section>`;
  }
}

customElements.get('moz-platform-discovery') ?? customElements.define('moz-platform-discovery', MozPlatformDiscovery);
