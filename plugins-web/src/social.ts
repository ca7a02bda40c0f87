// <moz-platform-social>: the tenant's feed (all / following), posts, likes, comments and follows
// (moz.platform.social). Each post of the feed carries the caller's own state (`likedByMe`,
// `followingAuthor`), so the Like and Follow toggle buttons (`aria-pressed`) start as they are and then
// show what the like/follow answers said (both are idempotent).
import { css, html, nothing } from 'lit';
import type { Comment, Post } from '../../connectors/contracts/social.ts';
import type { Page } from './api.ts';
import { appendPage, PluginElement, baseStyles, loadMore, when, plural, subjectOf } from './ui.ts';

type Scope = 'all' | 'following';

const POST_MAX = 5000;
const COMMENT_MAX = 2000;


export class MozPlatformSocial extends PluginElement {
  static override properties = {
    scope: { state: true },
    feed: { state: true },
    me: { state: true },
    editing: { state: true },
    comments: { state: true },
    draft: { state: true },
    notice: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      fieldset.scope { border: none; padding: 0; margin: 0.5rem 0; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
      fieldset.scope legend { font-weight: 600; float: left; margin-right: 0.5rem; padding: 0; }
      fieldset.scope label { display: inline-flex; gap: 0.3rem; align-items: center; }
      textarea { width: 100%; box-sizing: border-box; min-height: 4.5rem; resize: vertical; }
      textarea[aria-invalid='true'] { border-color: #a4161a; }
      .compose .actions, .edit .actions { margin-top: 0.5rem; align-items: center; }
      ol.posts, ol.comments { list-style: none; padding: 0; margin: 0; }
      article header { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; }
      article header h3 { margin: 0; font-size: 1.05rem; }
      .post-body, .comment-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.4rem 0; }
      .counts { color: #4b5563; font-size: 0.9rem; margin: 0.25rem 0 0.5rem; }
      button[aria-pressed='true'] { background: #0b57b0; color: #fff; }
      button[aria-pressed='false'] { background: #fff; color: #0b57b0; }
      section.comments { border-top: 1px solid #d1d5db; margin-top: 0.75rem; padding-top: 0.5rem; }
      section.comments h4 { margin: 0.25rem 0 0.5rem; font-size: 1rem; }
      ol.comments > li { border-left: 3px solid #d1d5db; padding: 0.25rem 0 0.25rem 0.75rem; margin: 0.5rem 0; }
      .comment-meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; font-size: 0.9rem; }
      form.add-comment { display: flex; gap: 0.5rem; align-items: flex-end; flex-wrap: wrap; margin-top: 0.5rem; }
      form.add-comment .field { flex: 1 1 18rem; }
      form.add-comment input { width: 100%; box-sizing: border-box; }
      input[aria-invalid='true'] { border-color: #a4161a; }
    `,
  ];
  protected readonly plugin = 'moz.platform.social';
  declare private scope: Scope;
  declare private feed: Page<Post> | undefined;
  declare private me: string | undefined;
  /** The post being edited. */
  declare private editing: string | undefined;
  /** The open comment lists, by post id (undefined while loading). */
  declare private comments: Record<string, Page<Comment> | undefined>;
  declare private draft: string;
  declare private notice: string | undefined;

  constructor() {
    super();
    this.scope = 'all';
    this.comments = {};
    this.draft = '';
  }

  protected override async load(): Promise<void> {
    try {
      this.me = subjectOf(await this.getToken!());
    } catch {
      this.me = undefined;
    }
    if (this.can('get_feed')) await this.loadFeed();
  }

  private async loadFeed(more = false): Promise<void> {
    if (!more) this.feed = undefined;
    const scope = this.scope;
    await this.run(more ? 'moreFeed' : 'feed', async () => {
      const page = await this.execute<Page<Post>>('get_feed', { scope, ...(more && this.feed?.nextCursor && { cursor: this.feed.nextCursor }) });
      if (scope !== this.scope) return; // the scope changed meanwhile: that load wins
      this.feed = appendPage(more ? this.feed : undefined, page);
    });
  }

  private setScope(scope: Scope): void {
    if (scope === this.scope) return;
    this.scope = scope;
    this.notice = undefined;
    void this.loadFeed();
  }

  /** Replaces one post of the feed (or drops it when `next` is undefined). */
  private patchPost(postId: string, next: ((post: Post) => Post) | undefined): void {
    if (!this.feed) return;
    const items = next ? this.feed.items.map((p) => (p.postId === postId ? next(p) : p)) : this.feed.items.filter((p) => p.postId !== postId);
    this.feed = { ...this.feed, items };
  }

  private async createPost(event: Event): Promise<void> {
    event.preventDefault();
    this.notice = undefined;
    const body = this.draft;
    const ok = await this.run('create', async () => {
      const post = await this.execute<Post>('create_post', { body });
      // Newest first: the new post goes on top (of either scope: it is yours).
      if (this.feed) this.feed = { ...this.feed, items: [post, ...this.feed.items.filter((p) => p.postId !== post.postId)] };
      this.notice = 'Your post is published.';
    });
    if (ok) this.draft = '';
    else await this.focusInvalid();
  }

  private async toggleLike(post: Post): Promise<void> {
    const action = post.likedByMe ? 'unlike_post' : 'like_post';
    await this.run(`post:${post.postId}`, async () => {
      const state = await this.execute<{ postId: string; liked: boolean; likeCount: number }>(action, { postId: post.postId });
      this.patchPost(post.postId, (p) => ({ ...p, likedByMe: state.liked, likeCount: state.likeCount }));
    });
  }

  private async toggleFollow(post: Post): Promise<void> {
    const userId = post.authorId;
    const action = post.followingAuthor ? 'unfollow' : 'follow';
    const ok = await this.run(`post:${post.postId}`, async () => {
      const state = await this.execute<{ userId: string; following: boolean }>(action, { userId });
      // Every post of that author shows the new state, not only the one whose button was pressed.
      if (this.feed) this.feed = { ...this.feed, items: this.feed.items.map((p) => (p.authorId === userId ? { ...p, followingAuthor: state.following } : p)) };
      this.notice = state.following ? `You follow ${post.authorName}.` : `You no longer follow ${post.authorName}.`;
    });
    if (ok && this.scope === 'following') await this.loadFeed();
  }

  private async startEdit(post: Post): Promise<void> {
    this.editing = post.postId;
    this.ops = { ...this.ops, [`edit:${post.postId}`]: {} };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>(`#edit-${CSS.escape(post.postId)}-body`)?.focus();
  }

  private async cancelEdit(postId: string): Promise<void> {
    this.editing = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-edit="${CSS.escape(postId)}"]`)?.focus();
  }

  private async saveEdit(event: Event, postId: string): Promise<void> {
    event.preventDefault();
    const body = (event.currentTarget as HTMLFormElement).querySelector('textarea')?.value ?? '';
    const ok = await this.run(`edit:${postId}`, async () => {
      const post = await this.execute<Post>('edit_post', { postId, body });
      this.patchPost(postId, () => post);
      this.notice = 'Your post is updated.';
    });
    if (ok) await this.cancelEdit(postId);
    else await this.focusInvalid();
  }

  private async deletePost(post: Post): Promise<void> {
    const mine = post.authorId === this.me;
    if (!confirm(mine ? 'Delete your post?' : `Delete the post by ${post.authorName}?`)) return;
    const ok = await this.run(`post:${post.postId}`, async () => {
      await this.execute('delete_post', { postId: post.postId });
    });
    if (ok) {
      this.patchPost(post.postId, undefined);
      this.notice = 'The post is deleted.';
    }
  }

  private async toggleComments(postId: string): Promise<void> {
    if (postId in this.comments) {
      const { [postId]: _closed, ...rest } = this.comments;
      this.comments = rest;
      return;
    }
    await this.loadComments(postId);
  }

  private async loadComments(postId: string, more = false): Promise<void> {
    const current = this.comments[postId];
    if (!more) this.comments = { ...this.comments, [postId]: undefined };
    await this.run(more ? `moreComments:${postId}` : `comments:${postId}`, async () => {
      const page = await this.execute<Page<Comment>>('list_comments', { postId, ...(more && current?.nextCursor && { cursor: current.nextCursor }) });
      if (!(postId in this.comments)) return; // closed meanwhile
      this.comments = { ...this.comments, [postId]: appendPage(more ? current : undefined, page) };
    });
  }

  private async addComment(event: Event, postId: string): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = form.querySelector('input')?.value ?? '';
    const ok = await this.run(`comment:${postId}`, async () => {
      const comment = await this.execute<Comment>('add_comment', { postId, body });
      const page = this.comments[postId];
      // Oldest first: the new comment is the last one, so it shows now only if every page is here.
      if (page && !page.nextCursor) this.comments = { ...this.comments, [postId]: { ...page, items: [...page.items, comment] } };
      this.patchPost(postId, (p) => ({ ...p, commentCount: p.commentCount + 1 }));
    });
    if (ok) form.reset();
    else await this.focusInvalid();
  }

  private async deleteComment(postId: string, comment: Comment): Promise<void> {
    if (!confirm(comment.authorId === this.me ? 'Delete your comment?' : `Delete the comment by ${comment.authorName}?`)) return;
    const ok = await this.run(`deleteComment:${comment.commentId}`, async () => {
      await this.execute('delete_comment', { postId, commentId: comment.commentId });
    });
    if (ok) {
      const page = this.comments[postId];
      if (page) this.comments = { ...this.comments, [postId]: { ...page, items: page.items.filter((c) => c.commentId !== comment.commentId) } };
      this.patchPost(postId, (p) => ({ ...p, commentCount: Math.max(0, p.commentCount - 1) }));
    }
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    if (!this.can('get_feed')) return html`<div class="notice refused" role="alert">Your roles do not let you read this tenant's feed.</div>`;
    return html`
      ${this.can('create_post') ? this.renderCompose() : nothing}
      ${this.notice ? html`<p class="notice ok" role="status">${this.notice}</p>` : nothing}
      <h2>Posts</h2>
      <fieldset class="scope">
        <legend>Show</legend>
        ${(['all', 'following'] as const).map(
          (scope) => html`<label>
            <input type="radio" name="scope" value=${scope} .checked=${this.scope === scope} @change=${() => this.setScope(scope)} />
            ${scope === 'all' ? 'All posts' : 'You and the people you follow'}
          </label>`,
        )}
      </fieldset>
      ${this.problem('feed')}
      ${this.renderFeed()}
      ${this.problem('moreFeed')}
      ${loadMore(this.feed?.nextCursor, this.op('moreFeed').busy, () => void this.loadFeed(true), 'posts')}
    `;
  }

  private renderCompose() {
    const error = this.op('create').error?.fields['body'];
    const length = this.draft.trim().length;
    return html`<form class="card compose" aria-label="New post" @submit=${this.createPost}>
        <div class="field">
          <label for="create-body">Write a post</label>
          <textarea
            id="create-body"
            name="body"
            rows="3"
            .value=${this.draft}
            @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? 'create-body-error create-body-hint' : 'create-body-hint'}
          ></textarea>
          ${error ? html`<span class="field-error" id="create-body-error">${error}</span>` : nothing}
        </div>
        <div class="actions">
          <button type="submit" ?disabled=${this.op('create').busy}>${this.op('create').busy ? 'Posting…' : 'Post'}</button>
          <span class="hint" id="create-body-hint">${length} / ${POST_MAX} characters</span>
        </div>
      </form>
      ${this.problem('create', ['body'])}`;
  }

  private renderFeed() {
    const feed = this.feed;
    if (!feed) return html`<p class="loading" role="status">Loading the feed…</p>`;
    if (feed.items.length === 0) {
      return html`<p class="empty">${this.scope === 'following' ? 'No posts by you or the people you follow yet.' : 'No posts yet. Write the first one above.'}</p>`;
    }
    return html`<ol class="posts" aria-label="Posts, newest first">
      ${feed.items.map((post) => html`<li class="card" data-post=${post.postId}>${this.renderPost(post)}</li>`)}
    </ol>`;
  }

  private renderPost(post: Post) {
    const mine = !!this.me && post.authorId === this.me;
    const headingId = `post-${post.postId}-author`;
    const busy = this.op(`post:${post.postId}`).busy;
    const liked = post.likedByMe;
    const following = post.followingAuthor;
    const open = post.postId in this.comments;
    const editing = this.editing === post.postId;
    return html`<article aria-labelledby=${headingId}>
      <header>
        <h3 id=${headingId}>${post.authorName}${mine ? html` <span class="hint">(you)</span>` : nothing}</h3>
        <span class="hint"><time datetime=${post.createdAt}>${when(post.createdAt)}</time>${post.editedAt ? html` · edited <time datetime=${post.editedAt}>${when(post.editedAt)}</time>` : nothing}</span>
      </header>
      ${editing ? this.renderEdit(post) : html`<p class="post-body">${post.body}</p>`}
      <p class="counts">
        <span class="like-count">${plural(post.likeCount, 'like', 'likes')}</span> ·
        <span class="comment-count">${plural(post.commentCount, 'comment', 'comments')}</span>
      </p>
      <div class="actions" role="group" aria-label=${`Actions on the post by ${post.authorName}`}>
        ${this.can(liked ? 'unlike_post' : 'like_post')
          ? html`<button type="button" class="like" aria-pressed=${liked ? 'true' : 'false'} ?disabled=${busy} @click=${() => this.toggleLike(post)}><span aria-hidden="true">${liked ? '✓ ' : ''}</span>Like</button>`
          : nothing}
        ${this.can('list_comments')
          ? html`<button class="secondary" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls=${`comments-${post.postId}`} @click=${() => this.toggleComments(post.postId)}>
              ${open ? 'Hide comments' : 'Comments'}
            </button>`
          : nothing}
        ${mine && !editing && this.can('edit_post')
          ? html`<button class="secondary" type="button" data-edit=${post.postId} @click=${() => this.startEdit(post)}>Edit</button>`
          : nothing}
        ${this.can('delete_post') ? html`<button class="danger" type="button" ?disabled=${busy} @click=${() => this.deletePost(post)}>Delete</button>` : nothing}
        ${!mine && this.me && this.can(following ? 'unfollow' : 'follow')
          ? html`<button type="button" class="follow" aria-pressed=${following ? 'true' : 'false'} ?disabled=${busy} @click=${() => this.toggleFollow(post)}>
              <span aria-hidden="true">${following ? '✓ ' : ''}</span>Follow ${post.authorName}
            </button>`
          : nothing}
      </div>
      ${this.problem(`post:${post.postId}`)}
      ${open ? this.renderComments(post) : nothing}
    </article>`;
  }

  private renderEdit(post: Post) {
    const op = `edit:${post.postId}`;
    const id = `edit-${post.postId}-body`;
    const error = this.op(op).error?.fields['body'];
    return html`<form class="edit" aria-label="Edit post" @submit=${(e: Event) => this.saveEdit(e, post.postId)}>
        <div class="field">
          <label for=${id}>Edit your post</label>
          <textarea id=${id} name="body" rows="3" .value=${post.body} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}></textarea>
          ${error ? html`<span class="field-error" id=${`${id}-error`}>${error}</span>` : nothing}
        </div>
        <div class="actions">
          <button type="submit" ?disabled=${this.op(op).busy}>Save</button>
          <button class="secondary" type="button" @click=${() => this.cancelEdit(post.postId)}>Cancel</button>
        </div>
      </form>
      ${this.problem(op, ['body'])}`;
  }

  private renderComments(post: Post) {
    const page = this.comments[post.postId];
    const addOp = `comment:${post.postId}`;
    const inputId = `comment-${post.postId}-body`;
    const error = this.op(addOp).error?.fields['body'];
    return html`<section class="comments" id=${`comments-${post.postId}`}>
      <h4>Comments</h4>
      ${this.problem(`comments:${post.postId}`)}
      ${!page
        ? this.op(`comments:${post.postId}`).error
          ? nothing
          : html`<p class="loading" role="status">Loading comments…</p>`
        : page.items.length === 0
          ? html`<p class="empty">No comments yet.</p>`
          : html`<ol class="comments">
              ${page.items.map(
                (c) => html`<li>
                  <div class="comment-meta">
                    <strong>${c.authorName}</strong>
                    <span class="hint"><time datetime=${c.createdAt}>${when(c.createdAt)}</time></span>
                    ${this.can('delete_comment')
                      ? html`<button class="link" type="button" aria-label=${`Delete the comment by ${c.authorName}`} ?disabled=${this.op(`deleteComment:${c.commentId}`).busy} @click=${() => this.deleteComment(post.postId, c)}>Delete</button>`
                      : nothing}
                  </div>
                  <p class="comment-body">${c.body}</p>
                  ${this.problem(`deleteComment:${c.commentId}`)}
                </li>`,
              )}
            </ol>`}
      ${this.problem(`moreComments:${post.postId}`)}
      ${loadMore(page?.nextCursor, this.op(`moreComments:${post.postId}`).busy, () => void this.loadComments(post.postId, true), 'comments')}
      ${this.can('add_comment')
        ? html`<form class="add-comment" @submit=${(e: Event) => this.addComment(e, post.postId)}>
              <div class="field">
                <label for=${inputId}>Add a comment</label>
                <input id=${inputId} name="body" autocomplete="off" maxlength=${COMMENT_MAX} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${inputId}-error` : nothing} />
                ${error ? html`<span class="field-error" id=${`${inputId}-error`}>${error}</span>` : nothing}
              </div>
              <button type="submit" ?disabled=${this.op(addOp).busy}>Comment</button>
            </form>
            ${this.problem(addOp, ['body'])}`
        : nothing}
    </section>`;
  }
}

customElements.get('moz-platform-social') ?? customElements.define('moz-platform-social', MozPlatformSocial);
