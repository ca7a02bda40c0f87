// The plugin UIs' one way to the platform: POST {apiBase}/api/execute/{plugin} and GET /api/plugins.
// Only types come from the contracts (`import type`), so nothing of the server ends up in the bundle.
import type { ErrorCode, WireError } from '../../connectors/contracts/wire.ts';
import type { FieldIssue } from '../../connectors/contracts/schema.ts';
import type { App } from '../../connectors/contracts/hosting.ts';

export type { ErrorCode };

/** Gets a fresh bearer token; the host page decides how (dev issuer, OIDC, ...). */
export type TokenGetter = () => Promise<string>;

export interface PluginManifest {
  plan: string;
  plugins: Array<{ name: string; actions: Array<{ name: string; description: string; permission: string; feature?: string }> }>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** An API refusal, shaped for the UI: which code, which HTTP status, and the field errors by field. */
export class ApiError extends Error {
  readonly fields: Record<string, string>;
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.fields = {};
    const issues = (details as { issues?: FieldIssue[] } | undefined)?.issues;
    if (Array.isArray(issues)) {
      for (const issue of issues) if (issue && typeof issue.field === 'string') this.fields[issue.field] ??= issue.message;
    }
  }
}

export class PlatformClient {
  constructor(
    readonly apiBase: string,
    private readonly getToken: TokenGetter,
  ) {}

  private url(path: string): string {
    return `${this.apiBase.replace(/\/+$/, '')}${path}`;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let token: string;
    try {
      token = await this.getToken();
    } catch (error) {
      throw new ApiError(401, 'UNAUTHENTICATED', error instanceof Error ? error.message : 'Not signed in');
    }
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', `The platform could not be reached (${error instanceof Error ? error.message : String(error)})`);
    }
    let envelope: { ok?: boolean; data?: T; error?: WireError; correlationId?: string; message?: string } | undefined;
    try {
      envelope = (await response.json()) as typeof envelope;
    } catch {
      envelope = undefined;
    }
    if (response.ok && envelope?.ok) return envelope.data as T;
    const error = envelope?.error;
    throw new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? envelope?.message ?? `HTTP ${response.status}`, error?.details, envelope?.correlationId);
  }

  /** Runs one action of one plugin. */
  execute<T>(plugin: string, action: string, input: Record<string, unknown> = {}): Promise<T> {
    return this.request<T>('POST', `/api/execute/${encodeURIComponent(plugin)}`, { action, ...input });
  }

  /** The plugins and actions the caller may use. */
  plugins(): Promise<PluginManifest> {
    return this.request<PluginManifest>('GET', '/api/plugins');
  }

  /** The names of the actions of `plugin` the caller may use. */
  async allowedActions(plugin: string): Promise<Set<string>> {
    const manifest = await this.plugins();
    return new Set(manifest.plugins.find((p) => p.name === plugin)?.actions.map((a) => a.name) ?? []);
  }

  /** The tenant's apps (Hosting's list_apps, every page up to 500): what the forms that pick an app offer. */
  async tenantApps(): Promise<App[]> {
    const apps: App[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.execute<Page<App>>('moz.platform.hosting', 'list_apps', { limit: 100, ...(cursor && { cursor }) });
      apps.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && apps.length < 500);
    return apps;
  }
}

/** An app's name among the tenant's apps (`tenantApps`), or its id while they load or if it is gone. */
export const appNameIn = (apps: readonly App[] | undefined, appId: string): string => apps?.find((app) => app.appId === appId)?.name ?? appId;
