// Who the caller is and what they may do, cached per container so a warm request costs no extra
// service call: a user's stored roles and permissions (Identity), an app key's principal (Identity),
// and the tenant's plan and usage snapshot (Billing). Entries live `ttlMs`; a change made through
// this container invalidates its own entries at once, other containers see it within `ttlMs`.
import { createHash } from 'node:crypto';
import type { Entitlements } from '#connectors/contracts/billing';
import { APP_KEY_PATTERN } from '#connectors/contracts/identity';
import type { ConnectorBundle } from '#connectors/loader';
import { PlatformError, systemContext, type CallContext } from '#connectors/contracts/wire';
import type { TokenIdentity } from './auth.ts';
import { TtlCache } from './ttl-cache.ts';

/** The verified caller with the permissions the runtime checks actions against. */
export interface Caller extends CallContext {
  permissions: readonly string[];
}

export interface TenantPlan extends Entitlements {
  /** When the usage snapshot was read (ms), for the metering estimate. */
  fetchedAt: number;
}

export type CacheKind = 'permissions' | 'appKeys' | 'plan';

export interface AccessControl {
  userCaller(identity: TokenIdentity, correlationId: string): Promise<Caller>;
  appKeyCaller(key: string, correlationId: string): Promise<Caller>;
  plan(tenantId: string, correlationId: string): Promise<TenantPlan>;
  /** Forgets this container's cached entries of a kind for a tenant. */
  invalidate(tenantId: string, kind: CacheKind): void;
}

const unknownKey = () => new PlatformError('UNAUTHENTICATED', 'Unknown or revoked app key');

export function createAccessControl(
  { identity, billing }: Pick<ConnectorBundle, 'identity' | 'billing'>,
  { ttlMs, now = Date.now }: { ttlMs: number; now?: () => number },
): AccessControl {
  const users = new TtlCache<{ roles: string[]; permissions: string[]; suspended: boolean; displayName: string }>(ttlMs, 5000, now);
  const keys = new TtlCache<Caller>(ttlMs, 1000, now);
  const plans = new TtlCache<TenantPlan>(ttlMs, 1000, now);
  // Bumping a tenant's generation orphans all its entries of that kind without scanning the cache.
  const generations = new Map<string, number>();
  const generation = (tenantId: string, kind: CacheKind) => generations.get(`${kind}\u0000${tenantId}`) ?? 0;
  const keyOf = (tenantId: string, kind: CacheKind, rest: string) => `${tenantId}\u0000${generation(tenantId, kind)}\u0000${rest}`;

  return {
    async userCaller({ tenantId, userId, tokenRoles, profile }, correlationId) {
      const system = { tenantId, userId, roles: tokenRoles, correlationId };
      const resolved = await users.getOrLoad(keyOf(tenantId, 'permissions', userId), async () => {
        const { user, roles, permissions } = await identity.resolveUser(system, { ...profile, tokenRoles });
        return { roles, permissions, suspended: user.status === 'suspended', displayName: user.displayName };
      });
      if (resolved.suspended) throw new PlatformError('FORBIDDEN', 'Your account is suspended in this tenant');
      return { tenantId, userId, roles: resolved.roles, permissions: resolved.permissions, correlationId, displayName: resolved.displayName };
    },

    async appKeyCaller(key, correlationId) {
      const tenantId = APP_KEY_PATTERN.exec(key)?.[1];
      if (!tenantId) throw unknownKey();
      // Cache by the key's hash: the key itself is a secret and must not sit in memory as a map key.
      const digest = createHash('sha256').update(key).digest('base64url');
      const caller = await keys.getOrLoad(keyOf(tenantId, 'appKeys', digest), async () => {
        const principal = await identity.resolveAppKey(systemContext(tenantId, 'app-key', correlationId), { key }).catch((error: unknown) => {
          throw error instanceof PlatformError && error.code === 'NOT_FOUND' ? unknownKey() : error;
        });
        return { tenantId: principal.tenantId, userId: principal.userId, roles: principal.roles, permissions: principal.permissions, correlationId };
      });
      return { ...caller, correlationId };
    },

    plan(tenantId, correlationId) {
      return plans.getOrLoad(keyOf(tenantId, 'plan', ''), async () => {
        const fetchedAt = now();
        const entitlements = await billing.getEntitlements(systemContext(tenantId, 'entitlements', correlationId), {});
        return { ...entitlements, fetchedAt };
      });
    },

    invalidate(tenantId, kind) {
      generations.set(`${kind}\u0000${tenantId}`, generation(tenantId, kind) + 1);
    },
  };
}
