// <moz-platform-community>: the caller's conversations (direct and group), their messages, sending,
// read markers (`mark_read` when a conversation is opened), starting a conversation, and the members
// of a group (moz.platform.community). Members are user ids; a name is shown once a message of that
// user has been seen (messages carry `senderName`). A conversation the caller may not open (the API
// answers 404 to a non-member, e.g. someone removed from a group since the list was read, and 403 to
// a refusal) shows a refusal in its place, and a conversation that is not theirs leaves the list.
import { css, html, nothing } from 'lit';
import type { Conversation, Message } from '../../connectors/contracts/community.ts';
import type { ApiError, Page } from './api.ts';
import { PluginElement, baseStyles, loadMore, renderProblem, when, plural, subjectOf } from './ui.ts';

const BODY_MAX = 4000;


export class MozPlatformCommunity extends PluginElement {
  static override properties = {
    conversations: { state: true },
    openId: { state: true },
    messages: { state: true },
    names: { state: true },
    me: { state: true },
    draft: { state: true },
    kind: { state: true },
    notice: { state: true },
    denied: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      .layout { display: grid; grid-template-columns: minmax(16rem, 24rem) 1fr; gap: 1rem; align-items: start; }
      @media (max-width: 50rem) { .layout { grid-template-columns: 1fr; } }
      ol.conversations, ol.messages { list-style: none; padding: 0; margin: 0; }
      ol.conversations > li { margin: 0.4rem 0; }
      button.conversation {
        display: grid; grid-template-columns: 1fr auto; gap: 0.1rem 0.5rem; width: 100%; text-align: left;
        background: #fff; color: #1b1f24; border: 1px solid #d1d5db; border-radius: 8px; padding: 0.5rem 0.75rem;
      }
      button.conversation[aria-current='true'] { border-color: #0b57b0; box-shadow: inset 4px 0 0 #0b57b0; background: #f0f6ff; }
      .conv-title { font-weight: 600; overflow-wrap: anywhere; }
      .conv-preview { grid-column: 1 / -1; color: #4b5563; font-size: 0.9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .conv-time { grid-column: 1 / -1; color: #4b5563; font-size: 0.8rem; }
      .badge { background: #a4161a; color: #fff; border-radius: 999px; padding: 0 0.5rem; font-size: 0.85rem; font-weight: 600; align-self: start; }
      ol.messages > li { border-left: 3px solid #d1d5db; padding: 0.25rem 0 0.25rem 0.75rem; margin: 0.5rem 0; }
      ol.messages > li.mine { border-left-color: #0b57b0; }
      .message-meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; font-size: 0.9rem; }
      .message-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2rem 0; }
      textarea { width: 100%; box-sizing: border-box; min-height: 3.5rem; resize: vertical; border: 1px solid #6b7280; border-radius: 6px; }
      textarea[aria-invalid='true'] { border-color: #a4161a; }
      form.send .actions { margin-top: 0.5rem; align-items: center; }
      fieldset.kind { border: none; padding: 0; margin: 0 0 0.5rem; display: flex; gap: 1rem; flex-wrap: wrap; }
      fieldset.kind legend { font-weight: 600; padding: 0; margin-bottom: 0.25rem; }
      fieldset.kind label { display: inline-flex; gap: 0.3rem; align-items: center; }
      form.start .field, form.members .field { margin-bottom: 0.5rem; }
      ul.members { padding-left: 1.2rem; margin: 0.25rem 0 0.5rem; }
      ul.members li { margin: 0.2rem 0; }
      section.conversation h3 { margin-top: 0; }
    `,
  ];
  protected readonly plugin = 'moz.platform.community';
  declare private conversations: Page<Conversation> | undefined;
  declare private openId: string | undefined;
  /** The open conversation's messages, oldest first (the API pages newest first). */
  declare private messages: Page<Message> | undefined;
  /** Display names seen on messages, by user id. */
  declare private names: Record<string, string>;
  declare private me: string | undefined;
  declare private draft: string;
  declare private kind: 'direct' | 'group';
  declare private notice: string | undefined;
  /** The conversation the API refused to open (403, or 404: not a member), and what it is called. */
  declare private denied: { conversationId: string; name: string; type: Conversation['type']; error: ApiError } | undefined;

  constructor() {
    super();
    this.names = {};
    this.draft = '';
    this.kind = 'direct';
  }

  protected override async load(): Promise<void> {
    try {
      this.me = subjectOf(await this.getToken!());
    } catch {
      this.me = undefined;
    }
    if (this.can('list_conversations')) await this.loadConversations();
  }

  private learnNames(pairs: Array<{ id: string; name: string }>): void {
    const fresh = pairs.filter((p) => p.name && this.names[p.id] !== p.name);
    if (fresh.length === 0) return;
    this.names = { ...this.names, ...Object.fromEntries(fresh.map((p) => [p.id, p.name])) };
  }

  private async loadConversations(more = false): Promise<void> {
    if (!more) this.conversations = undefined;
    await this.run(more ? 'moreConversations' : 'conversations', async () => {
      const page = await this.execute<Page<Conversation>>('list_conversations', { ...(more && this.conversations?.nextCursor && { cursor: this.conversations.nextCursor }) });
      this.learnNames(page.items.flatMap((c) => (c.lastMessage ? [{ id: c.lastMessage.senderId, name: c.lastMessage.senderName }] : [])));
      const items = more && this.conversations ? [...this.conversations.items, ...page.items.filter((c) => !this.conversations!.items.some((o) => o.conversationId === c.conversationId))] : page.items;
      this.conversations = { items, nextCursor: page.nextCursor };
    });
  }

  private patchConversation(next: Conversation, toTop = false): void {
    const items = this.conversations?.items ?? [];
    const rest = items.filter((c) => c.conversationId !== next.conversationId);
    const merged = items.some((c) => c.conversationId === next.conversationId) && !toTop
      ? items.map((c) => (c.conversationId === next.conversationId ? next : c))
      : [next, ...rest];
    this.conversations = { items: merged, nextCursor: this.conversations?.nextCursor };
  }

  private current(): Conversation | undefined {
    return this.conversations?.items.find((c) => c.conversationId === this.openId);
  }

  /** What a conversation is called: its title, or the other member of a direct one. */
  private nameOf(conversation: Conversation): string {
    if (conversation.title) return conversation.title;
    const others = conversation.members.filter((m) => m !== this.me);
    if (others.length === 0) return 'Only you';
    return others.map((m) => this.names[m] ?? m).join(', ');
  }

  private async open(conversation: Conversation): Promise<void> {
    const conversationId = conversation.conversationId;
    this.openId = conversationId;
    this.messages = undefined;
    this.draft = '';
    this.notice = undefined;
    this.denied = undefined;
    this.ops = { ...this.ops, send: {}, member: {}, markRead: {} };
    await this.loadMessages();
    if (this.openId !== conversationId) return;
    if (await this.refused('messages', conversation)) return;
    if (!this.can('mark_read') || conversation.unreadCount === 0) return;
    await this.run('markRead', async () => {
      const read = await this.execute<Conversation>('mark_read', { conversationId });
      this.patchConversation(read);
    });
    await this.refused('markRead', conversation);
  }

  /**
   * Whether operation `name` on the open conversation was refused because the caller may not use it:
   * 404 (the API's answer to a non-member, who may not even learn that it exists) or 403. If so, the
   * refusal takes the conversation's place and focus goes to it; on a 404 the conversation also leaves
   * the list, as it is not one of the caller's (any more).
   */
  private async refused(name: string, conversation: Conversation): Promise<boolean> {
    const error = this.op(name).error;
    if (!error || (error.status !== 404 && error.status !== 403)) return false;
    const { conversationId, type } = conversation;
    this.denied = { conversationId, name: this.nameOf(conversation), type, error };
    this.messages = undefined;
    this.draft = '';
    this.ops = { ...this.ops, [name]: {} };
    if (error.status === 404 && this.conversations) {
      this.conversations = { ...this.conversations, items: this.conversations.items.filter((c) => c.conversationId !== conversationId) };
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#conversation-heading')?.focus();
    return true;
  }

  private async loadMessages(more = false): Promise<void> {
    const conversationId = this.openId;
    if (!conversationId || !this.can('list_messages')) return;
    const current = this.messages;
    await this.run(more ? 'moreMessages' : 'messages', async () => {
      const page = await this.execute<Page<Message>>('list_messages', { conversationId, ...(more && current?.nextCursor && { cursor: current.nextCursor }) });
      if (this.openId !== conversationId) return; // another conversation was opened meanwhile
      this.learnNames(page.items.map((m) => ({ id: m.senderId, name: m.senderName })));
      const older = [...page.items].reverse();
      this.messages = { items: more && current ? [...older, ...current.items] : older, nextCursor: page.nextCursor };
    });
  }

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    const conversationId = this.openId;
    if (!conversationId) return;
    const body = this.draft;
    const ok = await this.run('send', async () => {
      const message = await this.execute<Message>('send_message', { conversationId, body });
      this.learnNames([{ id: message.senderId, name: message.senderName }]);
      if (this.openId === conversationId && this.messages) this.messages = { ...this.messages, items: [...this.messages.items, message] };
      const conv = this.conversations?.items.find((c) => c.conversationId === conversationId);
      if (conv) {
        this.patchConversation(
          { ...conv, unreadCount: 0, lastMessageAt: message.createdAt, lastMessage: { messageId: message.messageId, senderId: message.senderId, senderName: message.senderName, preview: message.body.slice(0, 200) } },
          true,
        );
      }
    });
    if (ok) this.draft = '';
    else {
      const conv = this.conversations?.items.find((c) => c.conversationId === conversationId);
      if (this.openId === conversationId && conv && (await this.refused('send', conv))) return;
      await this.focusInvalid();
    }
  }

  private async startConversation(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const input: Record<string, unknown> =
      this.kind === 'direct'
        ? { type: 'direct', userId: value('userId') }
        : { type: 'group', title: value('title'), members: value('members').split(',').map((m) => m.trim()).filter(Boolean) };
    let created: Conversation | undefined;
    const ok = await this.run('start', async () => {
      created = await this.execute<Conversation>('create_conversation', input);
      this.patchConversation(created, true);
    });
    if (ok && created) {
      form.reset();
      this.kind = 'direct';
      await this.open(created);
      this.notice = `Conversation with ${this.nameOf(created)} opened.`;
    } else await this.focusInvalid();
  }

  private async changeMember(event: Event, action: 'add_member' | 'remove_member', userId: string): Promise<void> {
    event.preventDefault();
    const conversationId = this.openId;
    if (!conversationId) return;
    const form = event.currentTarget instanceof HTMLFormElement ? event.currentTarget : undefined;
    this.notice = undefined;
    const ok = await this.run('member', async () => {
      const next = await this.execute<Conversation>(action, { conversationId, userId });
      this.patchConversation(next);
      this.notice = action === 'add_member' ? `${this.names[userId] ?? userId} is a member.` : `${this.names[userId] ?? userId} is no longer a member.`;
    });
    if (ok) form?.reset();
    else await this.focusInvalid();
  }

  override render() {
    if (!this.getToken) return html`<p class="empty">Not signed in.</p>`;
    if (this.op('manifest').error) return this.problem('manifest');
    if (!this.allowed) return html`<p class="loading" role="status">Loading…</p>`;
    if (!this.can('list_conversations')) return html`<div class="notice refused" role="alert">Your roles do not let you read this tenant's messages.</div>`;
    return html`
      ${this.notice ? html`<p class="notice ok" role="status">${this.notice}</p>` : nothing}
      <div class="layout">
        <section aria-labelledby="conversations-heading">
          <h2 id="conversations-heading">Conversations</h2>
          ${this.problem('conversations')}
          ${this.renderList()}
          ${this.problem('moreConversations')}
          ${loadMore(this.conversations?.nextCursor, this.op('moreConversations').busy, () => void this.loadConversations(true), 'conversations')}
          ${this.can('create_conversation') ? this.renderStart() : nothing}
        </section>
        ${this.renderConversation()}
      </div>
    `;
  }

  private renderList() {
    const list = this.conversations;
    if (!list) return this.op('conversations').error ? nothing : html`<p class="loading" role="status">Loading conversations…</p>`;
    if (list.items.length === 0) return html`<p class="empty">No conversations yet. Start one below.</p>`;
    return html`<ol class="conversations" aria-label="Conversations, most recent first">
      ${list.items.map((c) => {
        const name = this.nameOf(c);
        const preview = c.lastMessage ? `${c.lastMessage.senderId === this.me ? 'You' : c.lastMessage.senderName}: ${c.lastMessage.preview}` : 'No messages yet';
        return html`<li data-conversation=${c.conversationId} data-unread=${c.unreadCount}>
          <button class="conversation" type="button" aria-current=${this.openId === c.conversationId ? 'true' : 'false'} @click=${() => this.open(c)}>
            <span class="conv-title">${name}${c.type === 'group' ? html` <span class="hint">(group, ${plural(c.members.length, 'member', 'members')})</span>` : nothing}</span>
            ${c.unreadCount > 0
              ? html`<span class="badge unread"><span aria-hidden="true">${c.unreadCount}</span><span class="sr-only">${plural(c.unreadCount, 'unread message', 'unread messages')}</span></span>`
              : html`<span></span>`}
            <span class="conv-preview">${preview}</span>
            ${c.lastMessageAt ? html`<span class="conv-time"><time datetime=${c.lastMessageAt}>${when(c.lastMessageAt)}</time></span>` : nothing}
          </button>
        </li>`;
      })}
    </ol>`;
  }

  private renderStart() {
    const error = (name: string) => this.op('start').error?.fields[name];
    const input = (name: string, label: string, hint?: string) => {
      const id = `start-${name}`;
      const e = error(name);
      return html`<div class="field">
        <label for=${id}>${label}</label>
        <input id=${id} name=${name} autocomplete="off" aria-invalid=${e ? 'true' : 'false'} aria-describedby=${e ? `${id}-error` : hint ? `${id}-hint` : nothing} />
        ${hint && !e ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : nothing}
        ${e ? html`<span class="field-error" id=${`${id}-error`}>${e}</span>` : nothing}
      </div>`;
    };
    return html`<h3>Start a conversation</h3>
      <form class="card start" aria-label="Start a conversation" @submit=${this.startConversation}>
        <fieldset class="kind">
          <legend>With</legend>
          <label><input type="radio" name="type" value="direct" .checked=${this.kind === 'direct'} @change=${() => (this.kind = 'direct')} /> One person</label>
          <label><input type="radio" name="type" value="group" .checked=${this.kind === 'group'} @change=${() => (this.kind = 'group')} /> A group</label>
        </fieldset>
        ${this.kind === 'direct'
          ? input('userId', 'User id')
          : html`${input('title', 'Group title')}${input('members', 'Members', 'User ids, separated by commas; you are added')}`}
        <button type="submit" ?disabled=${this.op('start').busy}>${this.op('start').busy ? 'Starting…' : 'Start'}</button>
      </form>
      ${this.problem('start', this.kind === 'direct' ? ['userId'] : ['title', 'members'])}`;
  }

  /** A conversation the caller may not open: what it is, and why not, in place of its messages. */
  private renderDenied(denied: NonNullable<MozPlatformCommunity['denied']>) {
    const { name, type, error } = denied;
    return html`<section class="card conversation" aria-labelledby="conversation-heading">
      <h3 id="conversation-heading" tabindex="-1">${name}</h3>
      ${error.code === 'NOT_FOUND'
        ? html`<div class="notice refused" role="alert">
            <strong>Not allowed.</strong> You are not a member of this conversation (any more), so you cannot read or write in it.
            ${type === 'group' ? 'Its creator, or a moderator, can add you again.' : nothing} It is no longer in your list.
          </div>`
        : renderProblem(error, this.upgradeHref)}
    </section>`;
  }

  private renderConversation() {
    if (this.denied && this.denied.conversationId === this.openId) return this.renderDenied(this.denied);
    const conv = this.current();
    if (!conv) return html`<section aria-label="Conversation"><p class="empty">Choose a conversation to read its messages.</p></section>`;
    const name = this.nameOf(conv);
    const messages = this.messages;
    return html`<section class="card conversation" aria-labelledby="conversation-heading">
      <h3 id="conversation-heading">${name}</h3>
      ${this.problem('markRead')}
      ${this.problem('moreMessages')}
      ${loadMore(messages?.nextCursor, this.op('moreMessages').busy, () => void this.loadMessages(true), 'older messages')}
      ${this.problem('messages')}
      ${!messages
        ? this.op('messages').error
          ? nothing
          : html`<p class="loading" role="status">Loading messages…</p>`
        : messages.items.length === 0
          ? html`<p class="empty">No messages yet. Write the first one.</p>`
          : html`<ol class="messages" aria-label=${`Messages with ${name}, oldest first`}>
              ${messages.items.map(
                (m) => html`<li class=${m.senderId === this.me ? 'mine' : ''} data-message=${m.messageId}>
                  <div class="message-meta">
                    <strong class="sender">${m.senderName}${m.senderId === this.me ? html` <span class="hint">(you)</span>` : nothing}</strong>
                    <span class="hint"><time datetime=${m.createdAt}>${when(m.createdAt)}</time></span>
                  </div>
                  <p class="message-body">${m.body}</p>
                </li>`,
              )}
            </ol>`}
      ${this.can('send_message') ? this.renderSend() : nothing}
      ${conv.type === 'group' ? this.renderMembers(conv) : nothing}
    </section>`;
  }

  private renderSend() {
    const error = this.op('send').error?.fields['body'];
    return html`<form class="send" aria-label="Send a message" @submit=${this.send}>
        <div class="field">
          <label for="send-body">Your message</label>
          <textarea
            id="send-body"
            name="body"
            rows="2"
            .value=${this.draft}
            @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? 'send-body-error send-body-hint' : 'send-body-hint'}
          ></textarea>
          ${error ? html`<span class="field-error" id="send-body-error">${error}</span>` : nothing}
        </div>
        <div class="actions">
          <button type="submit" ?disabled=${this.op('send').busy}>${this.op('send').busy ? 'Sending…' : 'Send'}</button>
          <span class="hint" id="send-body-hint">${this.draft.trim().length} / ${BODY_MAX} characters</span>
        </div>
      </form>
      ${this.problem('send', ['body'])}`;
  }

  private renderMembers(conv: Conversation) {
    const canAdd = this.can('add_member');
    const canRemove = this.can('remove_member');
    const error = this.op('member').error?.fields['userId'];
    return html`<h4>Members</h4>
      <ul class="members">
        ${conv.members.map(
          (m) => html`<li>
            ${this.names[m] ?? m}${m === this.me ? html` <span class="hint">(you)</span>` : nothing}${m === conv.createdBy ? html` <span class="hint">(creator)</span>` : nothing}
            ${canRemove && m !== this.me
              ? html`<button class="link" type="button" aria-label=${`Remove ${this.names[m] ?? m}`} ?disabled=${this.op('member').busy} @click=${(e: Event) => this.changeMember(e, 'remove_member', m)}>Remove</button>`
              : nothing}
          </li>`,
        )}
      </ul>
      ${canAdd
        ? html`<form class="inline members" aria-label="Add a member" @submit=${(e: Event) => {
            const userId = String(new FormData(e.currentTarget as HTMLFormElement).get('userId') ?? '').trim();
            void this.changeMember(e, 'add_member', userId);
          }}>
            <div class="field">
              <label for="member-userId">Add a member (user id)</label>
              <input id="member-userId" name="userId" autocomplete="off" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'member-userId-error' : nothing} />
              ${error ? html`<span class="field-error" id="member-userId-error">${error}</span>` : nothing}
            </div>
            <button type="submit" ?disabled=${this.op('member').busy}>Add</button>
          </form>`
        : nothing}
      ${this.problem('member', ['userId'])}`;
  }
}

customElements.get('moz-platform-community') ?? customElements.define('moz-platform-community', MozPlatformCommunity);
