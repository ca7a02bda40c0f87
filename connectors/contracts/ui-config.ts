// What the plugins site's `/config.json` tells the shell: where the API is and how to sign in. The stack
// writes it on AWS, the local platform answers it locally, and the shell reads it (one type for all three).

/** Hosted sign-in: the authorization-code flow with PKCE against an OIDC issuer's discovery document. */
export interface OidcSignInConfig {
  readonly signIn: 'oidc';
  /** The issuer (`iss`); its `/.well-known/openid-configuration` gives the endpoints. */
  readonly issuer: string;
  /** The public client of the UIs; the ID tokens it receives carry it as `aud`, which the API accepts. */
  readonly clientId: string;
  /** The ID token claim holding the tenant, and the one holding the roles. */
  readonly tenantClaim: string;
  readonly rolesClaim: string;
  /** @default 'openid email profile' */
  readonly scope?: string;
  /** Where signing out sends the browser so the issuer's session ends too (Cognito's /logout URL). */
  readonly logoutUrl?: string;
}

export type UiConfig = { readonly apiUrl?: string } & ({ readonly signIn: 'dev' } | OidcSignInConfig);
