// What every plugin element shares: the `api-base` / `getToken` API a host page sets, the caller's
// allowed actions (from GET /api/plugins), and how an API refusal is shown: field errors beside their
// fields, 402 as an upgrade prompt, 403 as a refusal, 401 as an event the host page signs out on.
import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, PlatformClient, type Page, type TokenGetter } from './api.ts';

export const baseStyles = css`
  :host {
    display: block;
    color: #1b1f24;
    font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  h2 { font-size: 1.35rem; margin: 1.2rem 0 0.6rem; }
  h3 { font-size: 1.1rem; margin: 1rem 0 0.5rem; }
  a { color: #0b57b0; }
  button, input, select, textarea { font: inherit; }
  button {
    border: 1px solid #0b57b0; background: #0b57b0; color: #fff; border-radius: 6px;
    padding: 0.35rem 0.85rem; cursor: pointer;
  }
  button.secondary { background: #fff; color: #0b57b0; }
  button.danger { background: #fff; color: #a4161a; border-color: #a4161a; }
  button.link { background: none; border: none; color: #0b57b0; text-decoration: underline; padding: 0; }
  button:disabled { opacity: 0.6; cursor: progress; }
  :is(a, button, input, select, textarea, [tabindex]):focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
  input, select, textarea { border: 1px solid #6b7280; border-radius: 6px; padding: 0.3rem 0.5rem; background: #fff; color: #1b1f24; }
  input[aria-invalid='true'] { border-color: #a4161a; }
  form.inline { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-start; }
  form.inline > button { margin-top: 1.6rem; }
  .field { display: flex; flex-direction: column; gap: 0.2rem; }
  .field label { font-weight: 600; font-size: 0.9rem; }
  .field-error { color: #a4161a; font-size: 0.875rem; }
  .hint { color: #4b5563; font-size: 0.875rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #d1d5db; vertical-align: top; }
  th { background: #f3f4f6; font-size: 0.9rem; }
  code { background: #f3f4f6; padding: 0.05rem 0.3rem; border-radius: 4px; word-break: break-all; }
  .notice { border-radius: 6px; padding: 0.6rem 0.8rem; margin: 0.5rem 0; border: 1px solid; }
  .notice.error { background: #fdecea; border-color: #a4161a; color: #6b0f12; }
  .notice.upgrade { background: #fff7e6; border-color: #8a5300; color: #4d2e00; }
  .notice.refused { background: #f3f4f6; border-color: #4b5563; color: #1b1f24; }
  .notice.ok { background: #e8f5ec; border-color: #1e6b34; color: #12421f; }
  .status { display: inline-block; padding: 0 0.5rem; border-radius: 999px; background: #e5e7eb; font-size: 0.85rem; }
  .empty, .loading { color: #4b5563; font-style: italic; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .card { border: 1px solid #d1d5db; border-radius: 8px; padding: 0.75rem 1rem; margin: 0.75rem 0; background: #fff; }
  .tabs { display: flex; gap: 0.25rem; border-bottom: 2px solid #d1d5db; margin-bottom: 0.75rem; flex-wrap: wrap; }
  .tabs button { background: #fff; color: #1b1f24; border: 1px solid #d1d5db; border-bottom: none; border-radius: 6px 6px 0 0; }
  .tabs button[aria-current='page'] { background: #0b57b0; color: #fff; border-color: #0b57b0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0 0.75rem; }
  .grid .card { margin: 0.4rem 0; }
  dl.card { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
  dl.card dd { margin: 0; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** Where the 402 prompt sends people by default: the shell's admin plan view. */
export const DEFAULT_UPGRADE_HREF = '#/admin/plan';

/** What one form or list is doing: busy, and the last refusal. */
export interface Op {
  busy?: boolean;
  error?: ApiError;
}

export abstract class PluginElement extends LitElement {
  static override properties: PropertyDeclarations = {
    apiBase: { type: String, attribute: 'api-base' },
    getToken: { attribute: false },
    upgradeHref: { type: String, attribute: 'upgrade-href' },
    allowed: { state: true },
    ops: { state: true },
  };
  static override styles = [baseStyles];

  /** The platform's origin (the API is under {apiBase}/api). */
  declare apiBase: string;
  /** Returns a bearer token for the signed-in user. */
  declare getToken: TokenGetter | undefined;
  /** Where the upgrade prompt of a 402 leads. @default '#/admin/plan' */
  declare upgradeHref: string;
  /** The actions of this plugin the caller may use; undefined while loading. */
  declare protected allowed: Set<string> | undefined;
  declare protected ops: Record<string, Op>;

  protected abstract readonly plugin: string;
  private loadedFor?: string;

  constructor() {
    super();
    this.apiBase = '';
    this.upgradeHref = DEFAULT_UPGRADE_HREF;
    this.ops = {};
  }

  protected get client(): PlatformClient {
    const getToken = this.getToken;
    if (!getToken) throw new Error('getToken is not set');
    return new PlatformClient(this.apiBase || location.origin, getToken);
  }

  protected can(action: string): boolean {
    return this.allowed?.has(action) ?? false;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((changed.has('apiBase') || changed.has('getToken')) && this.getToken) {
      const key = this.apiBase;
      if (this.loadedFor === key && !changed.has('getToken')) return;
      this.loadedFor = key;
      void this.start();
    }
  }

  /** Loads the manifest, then the element's first data. */
  private async start(): Promise<void> {
    await this.run('manifest', async () => {
      this.allowed = await this.client.allowedActions(this.plugin);
    });
    if (this.allowed) await this.load();
  }

  /** The element's first data, once the caller's actions are known. */
  protected abstract load(): Promise<void>;

  protected op(name: string): Op {
    return this.ops[name] ?? {};
  }

  /** Runs `work` as operation `name`: marks it busy, keeps its refusal; resolves whether it worked. */
  protected async run(name: string, work: () => Promise<void>): Promise<boolean> {
    this.ops = { ...this.ops, [name]: { busy: true } };
    try {
      await work();
      this.ops = { ...this.ops, [name]: {} };
      return true;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'INTERNAL', error instanceof Error ? error.message : String(error));
      this.ops = { ...this.ops, [name]: { error: apiError } };
      if (apiError.status === 401) this.dispatchEvent(new CustomEvent('moz-unauthenticated', { bubbles: true, composed: true, detail: { message: apiError.message } }));
      return false;
    }
  }

  /** Calls an action of this plugin. */
  protected execute<T>(action: string, input: Record<string, unknown> = {}): Promise<T> {
    return this.client.execute<T>(this.plugin, action, input);
  }

  /** The refusal of operation `name`, if any, as the UI shows it (field errors are shown by `field`). */
  protected problem(name: string, fieldsShown: readonly string[] = []): TemplateResult | typeof nothing {
    const error = this.op(name).error;
    if (!error) return nothing;
    return renderProblem(error, this.upgradeHref, fieldsShown);
  }

  /** A labelled input whose API field error is shown beside it. */
  protected field(opName: string, name: string, label: string, options: FieldOptions = {}): TemplateResult {
    const error = fieldError(this.op(opName).error, name);
    const id = `${opName}-${name}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${options.type === 'select'
        ? html`<select id=${id} name=${name} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}>
            ${(options.choices ?? []).map((choice) => html`<option value=${choice} ?selected=${choice === options.value}>${choice}</option>`)}
          </select>`
        : html`<input
            id=${id}
            name=${name}
            type=${options.type ?? 'text'}
            .value=${options.value ?? ''}
            placeholder=${options.placeholder ?? nothing}
            ?required=${options.required ?? false}
            autocomplete="off"
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? `${id}-error` : options.hint ? `${id}-hint` : nothing}
          />`}
      ${options.hint && !error ? html`<span class="hint" id=${`${id}-hint`}>${options.hint}</span>` : nothing}
      ${error ? html`<span class="field-error" id=${`${id}-error`}>${error}</span>` : nothing}
    </div>`;
  }

  /** Moves focus to the first invalid field of operation `name` after a refusal. */
  protected async focusInvalid(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }
}

export interface FieldOptions {
  type?: 'text' | 'search' | 'select' | 'url';
  value?: string;
  placeholder?: string;
  required?: boolean;
  hint?: string;
  choices?: readonly string[];
}

/** Whether an API field is `name` or one of its list's items (`name.0`, `name.1`, ...). */
const isFieldOf = (field: string, name: string): boolean => field === name || (field.startsWith(`${name}.`) && /^\d+$/.test(field.slice(name.length + 1)));

/**
 * The API's error for field `name`: its own, else that of the first item of its list it names
 * (`permissions.1` -> "item 2: ..."), so a list typed into one field gets its error beside that field.
 */
export function fieldError(error: ApiError | undefined, name: string): string | undefined {
  if (!error) return undefined;
  if (error.fields[name] !== undefined) return error.fields[name];
  const item = Object.entries(error.fields).find(([field]) => field !== name && isFieldOf(field, name));
  return item && `item ${Number(item[0].slice(name.length + 1)) + 1}: ${item[1]}`;
}

export function renderProblem(error: ApiError, upgradeHref: string, fieldsShown: readonly string[] = []): TemplateResult {
  switch (error.code) {
    case 'FEATURE_NOT_IN_PLAN':
      return html`<div class="notice upgrade" role="alert">
        <strong>Your plan does not allow this.</strong> ${error.message}
        <a href=${upgradeHref}>See plans and upgrade</a>
      </div>`;
    case 'FORBIDDEN':
      return html`<div class="notice refused" role="alert"><strong>Not allowed.</strong> ${error.message}. Ask an owner or admin of your tenant if you need it.</div>`;
    case 'UNAUTHENTICATED':
      return html`<div class="notice error" role="alert"><strong>Signed out.</strong> Your session is no longer valid: sign in again.</div>`;
    case 'QUOTA_EXCEEDED':
      return html`<div class="notice upgrade" role="alert">
        <strong>Monthly quota reached.</strong> ${error.message} <a href=${upgradeHref}>See plans and upgrade</a>
      </div>`;
    case 'VALIDATION_FAILED': {
      const rest = Object.entries(error.fields).filter(([field]) => !fieldsShown.some((shown) => isFieldOf(field, shown)));
      return html`<div class="notice error" role="alert">
        <strong>Please check the form.</strong>
        ${rest.length > 0 ? html`<ul>${rest.map(([field, message]) => html`<li>${field}: ${message}</li>`)}</ul>` : fieldsShown.length > 0 ? ' The fields marked below need a change.' : ` ${error.message}`}
      </div>`;
    }
    default:
      return html`<div class="notice error" role="alert">
        <strong>${error.code === 'NETWORK' ? 'Network error.' : error.code === 'NOT_FOUND' ? 'Not found.' : error.code === 'CONFLICT' ? 'Conflict.' : 'Something went wrong.'}</strong>
        ${error.message}${error.correlationId ? html` <span class="hint">(reference ${error.correlationId})</span>` : nothing}
      </div>`;
  }
}

/** Reads a form's fields as strings, dropping empty optional ones. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string' && value.trim() !== '') values[key] = value.trim();
  });
  return values;
}

/** `1 like`, `2 likes`; `many` defaults to `one` + s. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The `sub` of a JWT bearer token (who "you" are), or undefined when it cannot be read. */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) return undefined;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

export const when = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : '');

/** Cents as dollars: $12 or $12.50. */
export const money = (cents: number): string =>
  (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 });
/** An ISO time as a date input's value (its UTC day), and a date input's value as local midnight in ISO. */
export const dateInput = (iso: string | undefined): string => (iso ? new Date(iso).toISOString().slice(0, 10) : '');
export const fromDateInput = (value: string): string => new Date(`${value}T00:00:00`).toISOString();

/**
 * A number from a form field, times `factor` and rounded when scaled (dollars -> cents: 0.29 x 100 is
 * 28.999...), or the text itself when it is no number, so the API's error names the field.
 */
export function numberFromField(value: string, factor = 1): number | string {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return value;
  return factor === 1 ? n : Math.round(n * factor);
}

/** A list's "Load more" and its states. */
/** The next page appended to what is shown (`previous`), or the first page when there is none. */
export const appendPage = <T>(previous: Page<T> | undefined, page: Page<T>): Page<T> =>
  previous ? { items: [...previous.items, ...page.items], nextCursor: page.nextCursor } : page;

export function loadMore(nextCursor: string | undefined, busy: boolean | undefined, onClick: () => void, what: string): TemplateResult | typeof nothing {
  if (!nextCursor) return nothing;
  return html`<button class="secondary" type="button" ?disabled=${busy} @click=${onClick}>${busy ? 'Loading…' : `Load more ${what}`}</button>`;
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
