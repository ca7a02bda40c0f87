// The persistence port of Identity. Operations decide; stores write atomically under the conditions
// given (expected version, the active-owner count, defined custom roles) and report a lost race as
// CONFLICT. Every method is tenant-first.
import type { AppKey, User } from '#connectors/identity/contract';
import { invalid } from '#connectors/wire';
import type { Page, PageRequest } from '#functions/shared/paging';
export type { Page, PageRequest };

/** The stored user: the public shape plus the version every change is conditioned on. */
export interface UserRecord extends User {
  version: number;
}

/** A tenant's own role; `permissions` are stored expanded (`read:*` already spelled out). */
export interface CustomRole {
  name: string;
  permissions: string[];
}

/** The stored key: only the SHA-256 of the whole key string, never the key itself. */
export interface AppKeyRecord extends AppKey {
  hash: string;
}

export interface UserFilter {
  /** Lower-case prefix of the username or the email. */
  search?: string;
  role?: string;
}

export interface UserChange {
  expectedVersion: number;
  /** How the tenant's count of active owners moves; -1 only while more than one remains. */
  ownerDelta: -1 | 0 | 1;
  /** Custom roles the new roles hold: each must still be defined when the write lands. */
  customRoles: string[];
}

export interface IdentityStore {
  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /** Users in user-id order; a filtered page is still full unless the list ends. */
  listUsers(tenantId: string, page: PageRequest, filter: UserFilter): Promise<Page<UserRecord>>;
  countUsers(tenantId: string): Promise<number>;
  activeOwnerCount(tenantId: string): Promise<number>;
  /**
   * Creates a user seen for the first time; an active owner is counted in the same transaction, and
   * with `firstOwner` only while the tenant has none. False when a concurrent first sight of the
   * same user, or another first owner, won: read again and decide again.
   */
  createUser(tenantId: string, user: UserRecord, options: { firstOwner: boolean }): Promise<boolean>;
  /** Replaces the user at `expectedVersion`, moving the owner count and checking custom roles in one transaction. */
  updateUser(tenantId: string, user: UserRecord, change: UserChange): Promise<void>;
  /** Best effort, and outside the version: a login must not make a concurrent role change fail. */
  recordLogin(tenantId: string, userId: string, at: string): Promise<void>;

  /** The tenant's custom roles, by name. */
  listRoles(tenantId: string): Promise<CustomRole[]>;
  putRole(tenantId: string, role: CustomRole): Promise<void>;

  getAppKey(tenantId: string, keyId: string): Promise<AppKeyRecord | undefined>;
  /** Newest first (key ids are time-ordered). */
  listAppKeys(tenantId: string, page: PageRequest): Promise<Page<AppKeyRecord>>;
  createAppKey(tenantId: string, key: AppKeyRecord): Promise<void>;
  /** Sets `revokedAt` unless the key is already revoked; false if it was (or is gone). */
  revokeAppKey(tenantId: string, keyId: string, at: string): Promise<boolean>;
}

export const CHANGED_CONCURRENTLY = 'The user changed while you were updating it; read it again and retry';
export const KEY_ID_TAKEN = 'An app key with this id already exists; try again';
export const LAST_OWNER = 'A tenant keeps at least one owner';
/** A role that is neither built in nor defined in the tenant; names the role so the caller can fix it. */
export const unknownRole = (role: string) =>
  invalid(`roles: ${role} is not a role of this tenant`, { issues: [{ field: 'roles', message: `${role} is not a role of this tenant` }] });

/** Whether the user counts in the tenant's active-owner count. */
export const isActiveOwner = (user: Pick<User, 'roles' | 'status'>): boolean => user.status === 'active' && user.roles.includes('owner');
