// moz.platform.admin: users, roles, app keys (Identity) and the plan (Billing) of the caller's tenant.
import * as z from 'zod/mini';
import { billingContract as billing } from '#connectors/contracts/billing';
import { PlatformError, invalid } from '#connectors/contracts/wire';
import { forOwnApp } from './guards.ts';
import { removeTenant } from './tenant-removal.ts';
import { action, forwarder, type Plugin } from './types.ts';

const toIdentity = forwarder('identity');
const toBilling = forwarder('billing');

/** A Billing action about an app's own plan (`scope: "app"`) is about an app of the caller's tenant. */
const appScope = (input: Record<string, unknown>) => (input.scope === 'app' ? input.appId : undefined);
/** What a tenant over its monthly quota still needs to see its usage and upgrade. */
const unmetered = { unmetered: true } as const;

/**
 * How long one `remove_tenant` request keeps starting purge calls: one call may take up to the service
 * deadline (9 s) and the execute function stops at 12 s, so a longer removal answers `done: false` and
 * the owner calls again.
 */
export const REMOVE_TENANT_BUDGET_MS = 2_500;

const percentage = (used: number, limit: number | null) => (limit === null || limit === 0 ? null : Math.round((used / limit) * 10_000) / 100);

export const adminPlugin: Plugin = {
  name: 'moz.platform.admin',
  actions: {
    list_users: toIdentity('listUsers', 'Users of your tenant (search by username/email prefix, filter by role)', 'read:users'),
    get_user: toIdentity('getUser', 'One user; yourself without userId', 'read:users'),
    update_user_roles: toIdentity('updateUserRoles', "Replace a member's roles (only owners change owners)", 'manage:roles', { invalidates: ['permissions'] }),
    suspend_user: toIdentity('suspendUser', 'Suspend a member', 'write:users', { invalidates: ['permissions'] }),
    unsuspend_user: toIdentity('unsuspendUser', 'Lift a suspension', 'write:users', { invalidates: ['permissions'] }),
    list_roles: toIdentity('listRoles', 'Built-in and custom roles with their permissions', 'read:users'),
    upsert_role: toIdentity('upsertRole', 'Define or change a custom role', 'manage:roles', { feature: 'custom_roles', invalidates: ['permissions'] }),
    check_permissions: toIdentity('checkPermissions', 'Which of these permissions a user (default: you) has', 'read:users'),
    get_subscription: forOwnApp(toBilling('getSubscription', 'Your plan and subscription status', 'read:billing', unmetered), appScope),
    get_usage: action({
      description: 'Usage against your plan limits: api_calls this period, apps, domains, team members',
      permission: 'read:billing',
      unmetered: true,
      input: billing.getUsage.input,
      // The counts live in the services that own them; ask them all at once.
      run: async (ctx, input, connectors, plan) => {
        const [usage, counts, users] = await Promise.all([
          connectors.billing.getUsage(ctx, input),
          connectors.hosting.getCounts(ctx, {}),
          connectors.identity.countUsers(ctx, {}),
        ]);
        const metric = (used: number, limit: number | null) => ({ used, limit, percentage: percentage(used, limit) });
        return {
          ...usage,
          metrics: {
            ...usage.metrics,
            apps: metric(counts.apps, plan.limits.apps),
            domains: metric(counts.domains, plan.limits.domains),
            team_members: metric(users.count, plan.limits.team_members),
          },
        };
      },
    }),
    create_checkout: forOwnApp(toBilling('createCheckout', 'Start a plan change; open checkoutUrl to pay', 'manage:billing', unmetered), appScope),
    complete_checkout: toBilling('completeCheckout', "The payment provider's confirmation: activates the plan, writes the invoice", 'manage:billing', {
      invalidates: ['plan'],
      ...unmetered,
    }),
    cancel_subscription: forOwnApp(toBilling('cancelSubscription', 'Cancel at the end of the current period', 'manage:billing', { invalidates: ['plan'] }), appScope),
    list_invoices: toBilling('listInvoices', 'Your invoices, newest first', 'read:billing', unmetered),
    create_app_key: toIdentity('createAppKey', 'Create an API key for your managed runtime (the secret is shown once)', 'manage:keys'),
    list_app_keys: toIdentity('listAppKeys', 'Your app keys (never their secrets)', 'manage:keys'),
    revoke_app_key: toIdentity('revokeAppKey', 'Revoke an app key', 'manage:keys', { invalidates: ['appKeys'] }),
    remove_tenant: action({
      description: 'Delete everything of your tenant in every service (owners only; confirm with your tenant id). Call again while done is false',
      // Owners only: manage:billing keeps it from admins (and off their manifest); the run checks the owner role itself,
      // since an owner may give manage:billing to a custom role.
      permission: 'manage:billing',
      // Counting it would write a usage item for the tenant after its removal; a tenant over its quota can still leave.
      unmetered: true,
      // This container forgets the tenant's users, keys and plan at once (others within 30 s).
      invalidates: ['permissions', 'appKeys', 'plan'],
      input: z.strictObject({ confirm: z.string().check(z.maxLength(64)) }),
      run: async (ctx, { confirm }, connectors) => {
        if (!ctx.roles.includes('owner')) throw new PlatformError('FORBIDDEN', 'remove_tenant is for owners of the tenant only');
        if (confirm !== ctx.tenantId) {
          const message = 'must be your tenant id, to confirm that everything of it is deleted';
          throw invalid(`confirm: ${message}`, { issues: [{ field: 'confirm', message }] });
        }
        // Deleting Billing's records does not stop the payment provider's charges: cancel first.
        const subscription = await connectors.billing.getSubscription(ctx, { scope: 'platform' });
        const bought = subscription.currentPeriodEnd !== undefined; // the default plan has no period
        if (bought && subscription.plan !== 'free' && subscription.status === 'active' && !subscription.cancelAtPeriodEnd) {
          throw new PlatformError('CONFLICT', `Cancel the tenant's ${subscription.plan} subscription first (cancel_subscription): removing the tenant does not stop its payments`);
        }
        const { removed, done } = await removeTenant(connectors, ctx.tenantId, { budgetMs: REMOVE_TENANT_BUDGET_MS, correlationId: ctx.correlationId });
        return { removed, done };
      },
    }),
  },
};

