// The Identity wire contract: users of a tenant, roles and permissions, app API keys.
import * as z from 'zod/mini';
import { defineContract } from './contract.ts';
import { id, lazy, isoTime, page, pageInput } from './schema.ts';
import { GRANTS, PERMISSIONS } from './permissions.ts';

export const USER_STATUSES = ['active', 'suspended'] as const;

const roleName = () => z.string().check(z.minLength(1), z.maxLength(40), z.regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -'));
const userId = () => z.string().check(z.minLength(1), z.maxLength(128));

export const user = lazy(() => z.object({
  userId: z.string(),
  username: z.string(),
  email: z.string(),
  displayName: z.string(),
  avatarUrl: z.optional(z.string()),
  bio: z.optional(z.string()),
  roles: z.array(z.string()),
  status: z.enum(USER_STATUSES),
  createdAt: isoTime(),
  lastLoginAt: z.optional(isoTime()),
}));
export type User = z.output<ReturnType<typeof user>>;

export const role = lazy(() => z.object({ name: z.string(), permissions: z.array(z.string()), builtIn: z.boolean() }));
export type Role = z.output<ReturnType<typeof role>>;

export const appKey = lazy(() => z.object({
  keyId: z.string(),
  name: z.string(),
  /** The first characters of the key, to recognise it in a list. */
  prefix: z.string(),
  createdAt: isoTime(),
  createdBy: z.string(),
  revokedAt: z.optional(isoTime()),
}));
export type AppKey = z.output<ReturnType<typeof appKey>>;

const rolesAndPermissions = lazy(() => z.object({ roles: z.array(z.string()), permissions: z.array(z.string()) }));

/** Profile hints from the verified token, used when a user is seen for the first time. */
const tokenProfile = lazy(() => ({
  email: z.optional(z.string().check(z.maxLength(254))),
  username: z.optional(z.string().check(z.maxLength(128))),
  displayName: z.optional(z.string().check(z.maxLength(128))),
  /** Roles the token carries; they become the user's first roles (built-in ones only). */
  tokenRoles: z._default(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(20)), []),
}));

export const identityContract = defineContract({
  /** The runtime's call on a cache miss: the caller's user (created on first sight), roles and permissions. */
  resolveUser: () => ({
    input: z.strictObject(tokenProfile()),
    output: z.object({ user: user(), roles: z.array(z.string()), permissions: z.array(z.string()) }),
  }),
  getCurrentUser: () => ({ input: z.strictObject({}), output: user() }),
  getUser: () => ({ input: z.strictObject({ userId: z.optional(userId()) }), output: user() }),
  listUsers: () => ({
    input: z.strictObject({ ...pageInput, search: z.optional(z.string().check(z.minLength(1), z.maxLength(128))), role: z.optional(roleName()) }),
    output: page(user()),
  }),
  countUsers: () => ({ input: z.strictObject({}), output: z.object({ count: z.int() }) }),
  getUserRoles: () => ({ input: z.strictObject({ userId: z.optional(userId()) }), output: rolesAndPermissions() }),
  updateUserRoles: () => ({
    input: z.strictObject({ userId: userId(), roles: z.array(roleName()).check(z.minLength(1), z.maxLength(20)) }),
    output: user(),
  }),
  checkPermission: () => ({
    input: z.strictObject({ permission: z.enum(PERMISSIONS), userId: z.optional(userId()) }),
    output: z.object({ permission: z.string(), allowed: z.boolean() }),
  }),
  checkPermissions: () => ({
    input: z.strictObject({ permissions: z.array(z.enum(PERMISSIONS)).check(z.minLength(1), z.maxLength(50)), userId: z.optional(userId()) }),
    output: z.object({ results: z.record(z.string(), z.boolean()) }),
  }),
  listRoles: () => ({ input: z.strictObject({}), output: z.object({ items: z.array(role()) }) }),
  /** Custom roles only; needs the `custom_roles` feature (checked by the runtime). */
  upsertRole: () => ({
    input: z.strictObject({ name: roleName(), permissions: z.array(z.enum(GRANTS)).check(z.minLength(1), z.maxLength(30)) }),
    output: role(),
  }),
  suspendUser: () => ({ input: z.strictObject({ userId: userId() }), output: user() }),
  unsuspendUser: () => ({ input: z.strictObject({ userId: userId() }), output: user() }),
  createAppKey: () => ({
    input: z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) }),
    /** `secret` is the whole key; it is shown here once and stored only as a hash. */
    output: z.object({ ...appKey().shape, secret: z.string() }),
  }),
  listAppKeys: () => ({ input: z.strictObject(pageInput), output: page(appKey()) }),
  revokeAppKey: () => ({ input: z.strictObject({ keyId: id() }), output: appKey() }),
  /** Internal (the runtime's): a presented key -> the `app` principal of its tenant; NOT_FOUND if unknown or revoked. */
  resolveAppKey: () => ({
    input: z.strictObject({ key: z.string().check(z.minLength(10), z.maxLength(300)) }),
    output: z.object({ tenantId: z.string(), keyId: z.string(), userId: z.string(), roles: z.array(z.string()), permissions: z.array(z.string()) }),
  }),
});

export type IdentityContract = typeof identityContract;

/** App keys name their tenant (`mzk.<tenantId>.<keyId>.<secret>`), so resolving one reads only that tenant's partition. */
export const APP_KEY_PATTERN = /^mzk\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{20,})$/;
