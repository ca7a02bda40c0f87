// Roles and permissions (SERVICES.md, "Roles and permissions"): plain data and pure functions,
// shared by the Identity service (which stores role assignments) and the execute runtime (which checks).

export const PERMISSIONS = [
  'read:users',
  'write:users',
  'manage:roles',
  'manage:hosting',
  'read:hosting',
  'manage:billing',
  'read:billing',
  'manage:discovery',
  // Reading the dashboard, the marketplace, the feed, one's conversations, campaigns and rounds: not in
  // SERVICES.md's list, added so that `read:*` covers them like every other read (README, "Design decisions").
  'read:dashboard',
  'read:discovery',
  'read:social',
  'read:community',
  'post:social',
  'moderate:social',
  'message:community',
  'moderate:community',
  'read:growth',
  'manage:growth',
  'report:growth',
  'read:funding',
  'manage:funding',
  'invest:funding',
  'report:funding',
  'report:hosting',
  'manage:keys',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** What a role may list: a permission, or `read:*` for every `read:` permission. */
export const GRANTS = [...PERMISSIONS, 'read:*'] as const;
export type Grant = (typeof GRANTS)[number];

const READS = PERMISSIONS.filter((p) => p.startsWith('read:'));

export const BUILT_IN_ROLES: Readonly<Record<string, readonly Grant[]>> = {
  owner: PERMISSIONS,
  // Everything but billing; changing owners is refused by Identity itself.
  admin: PERMISSIONS.filter((p) => p !== 'manage:billing'),
  moderator: ['read:*', 'moderate:social', 'moderate:community'],
  member: ['read:*', 'post:social', 'message:community', 'invest:funding'],
  app: ['read:*', 'report:hosting', 'report:growth', 'report:funding'],
};

/** The built-in roles a person can hold (`app` is the role of app keys only): Cognito's groups, the dev sign-in's choices. */
export const PERSON_ROLES = ['owner', 'admin', 'moderator', 'member'] as const;

export const isBuiltInRole = (role: string): boolean => Object.hasOwn(BUILT_IN_ROLES, role);

/** Expands grants (`read:*`) into the sorted, de-duplicated permission list. */
export function expandGrants(grants: Iterable<string>): Permission[] {
  const out = new Set<Permission>();
  for (const grant of grants) {
    if (grant === 'read:*') READS.forEach((p) => out.add(p));
    else if ((PERMISSIONS as readonly string[]).includes(grant)) out.add(grant as Permission);
  }
  return [...out].sort();
}

/** Permissions of a set of roles; custom roles come from the tenant's definitions. */
export function permissionsOf(roles: Iterable<string>, customRoles: Readonly<Record<string, readonly string[]>> = {}): Permission[] {
  const grants: string[] = [];
  // Own properties only: a role named `constructor` or `__proto__` must not reach Object.prototype.
  const own = (record: Readonly<Record<string, readonly string[]>>, role: string) => (Object.hasOwn(record, role) ? record[role] : undefined);
  for (const role of roles) grants.push(...(own(BUILT_IN_ROLES, role) ?? own(customRoles, role) ?? []));
  return expandGrants(grants);
}

/** Whether a permission list (already expanded) grants `permission`. */
export const hasGrant = (permissions: readonly string[], permission: string): boolean => permissions.includes(permission);
