// Identity's key layout, one table, tenant-first: every item of a tenant lives under `T#<tenantId>`,
// so no read can reach another tenant. Sort keys: `USER#<userId>`, `ROLE#<name>` (custom roles),
// `KEY#<keyId>` (time-ordered ids: newest first is reverse key order) and `OWNERS`, the tenant's count
// of active owners, written in the same transaction as every change that makes or unmakes one.
export { decodeCursor, encodeCursor, newId, tenantKey, tenantPk } from '#functions/shared/keys';

export const USER_PREFIX = 'USER#';
export const ROLE_PREFIX = 'ROLE#';
export const KEY_PREFIX = 'KEY#';
export const userSk = (userId: string) => USER_PREFIX + userId;
export const roleSk = (name: string) => ROLE_PREFIX + name;
export const keySk = (keyId: string) => KEY_PREFIX + keyId;
export const OWNERS_SK = 'OWNERS';
