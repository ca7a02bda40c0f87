import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PERSON_ROLES } from '#connectors/contracts/permissions';
import type { OidcSignInConfig } from '#connectors/contracts/ui-config';

export interface PlatformAuthProps {
  /**
   * Issuer of an external OIDC provider. With `oidcAudience`, it replaces the Cognito user pool.
   * @default - a Cognito user pool is created
   */
  readonly oidcIssuer?: string;
  /**
   * Audience (`aud`) the external provider puts in the tokens meant for the platform.
   * @default - a Cognito user pool is created
   */
  readonly oidcAudience?: string;
  /**
   * Claim of the external provider's tokens that holds the tenant (mozaiks app id).
   * @default 'tenantId'
   */
  readonly oidcTenantClaim?: string;
  /**
   * Claim of the external provider's tokens that holds the roles (a list of strings).
   * @default 'roles'
   */
  readonly oidcRolesClaim?: string;
  /**
   * Where the external provider publishes its signing keys.
   * @default `${oidcIssuer}/.well-known/jwks.json`
   */
  readonly oidcJwksUri?: string;
  /**
   * The external provider's public client for the plugin UIs (authorization code + PKCE); its ID tokens
   * must carry `oidcAudience` as `aud`.
   * @default oidcAudience
   */
  readonly oidcClientId?: string;
  /**
   * Prefix of the Cognito hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), unique per
   * region: lower-case letters, digits and hyphens.
   * @default `<stack name in lower case>-<account id>`
   */
  readonly domainPrefix?: string;
  /**
   * Cognito threat protection (compromised credentials, risky sign-ins): `audit` only reports, `full`
   * also blocks or asks for MFA. Either needs the user pool's Plus feature plan, which is billed per user.
   * @default 'off'
   */
  readonly threatProtection?: 'off' | 'audit' | 'full';
  /**
   * What happens to the Cognito user pool (and its users) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Who may call the platform: the token settings the execute Lambda verifies against.
 * A Cognito user pool by default; any OIDC provider when `oidcIssuer` + `oidcAudience` are given
 * (pluggable provider, sensible default).
 */
export interface PlatformAuthConstructProps extends PlatformAuthProps {
  /** Where the hosted sign-in sends the browser back (and signing out lands): the plugins site's `/`. */
  readonly signInCallbackUrl: string;
}

export class PlatformAuth extends Construct {
  public readonly issuer: string;
  public readonly audience: string;
  public readonly jwksUri: string;
  public readonly tenantClaim: string;
  public readonly rolesClaim: string;
  /** Present only in the Cognito variant. */
  public readonly userPool?: cognito.UserPool;
  /** Present only in the Cognito variant. */
  public readonly userPoolClient?: cognito.UserPoolClient;
  /** Present only in the Cognito variant: the hosted sign-in's domain. */
  public readonly domain?: cognito.UserPoolDomain;
  /** How the plugin UIs sign in (published in the plugins site's `config.json`). */
  public readonly signIn: OidcSignInConfig;

  constructor(scope: Construct, id: string, props: PlatformAuthConstructProps) {
    super(scope, id);

    if (props.oidcIssuer !== undefined || props.oidcAudience !== undefined) {
      if (!props.oidcIssuer || !props.oidcAudience) {
        throw new Error('PlatformAuth: oidcIssuer and oidcAudience must be given together');
      }
      const issuer = props.oidcIssuer.replace(/\/+$/, '');
      this.issuer = issuer;
      this.audience = props.oidcAudience;
      this.jwksUri = props.oidcJwksUri ?? `${issuer}/.well-known/jwks.json`;
      this.tenantClaim = props.oidcTenantClaim ?? 'tenantId';
      this.rolesClaim = props.oidcRolesClaim ?? 'roles';
      this.signIn = { signIn: 'oidc', issuer, clientId: props.oidcClientId ?? this.audience, tenantClaim: this.tenantClaim, rolesClaim: this.rolesClaim };
      return;
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Tenants' users are invited by an operator; nobody creates an account on their own.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // Set once when the user is created: a user never moves to another tenant.
      customAttributes: { tenantId: new cognito.StringAttribute({ mutable: false, minLen: 1, maxLen: 128 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // Deleting the pool deletes every tenant's users: only a DESTROY (dev) stage may.
      deletionProtection: (props.removalPolicy ?? RemovalPolicy.RETAIN) !== RemovalPolicy.DESTROY,
      ...threatProtectionOf(props.threatProtection ?? 'off'),
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA (TOTP) is offered to every user; requiring it is a tenant policy decision, not a platform default.',
      },
      ...(props.threatProtection && props.threatProtection !== 'off'
        ? []
        : [{ id: 'AwsSolutions-COG8', reason: 'Threat protection needs the paid Plus feature plan: `-c threatProtection=audit|full` turns it on per stage.' }]),
    );

    // The built-in roles as groups: the ID token lists a user's groups in `cognito:groups`.
    for (const role of PERSON_ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role, description: `mozaiks built-in role ${role}` });
    }

    // The hosted sign-in page the UIs redirect to.
    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `${Stack.of(this).stackName.toLowerCase()}-${Aws.ACCOUNT_ID}` },
    });

    // A browser client (the plugin UIs): public, so no secret. Authorization code with PKCE through the
    // hosted page only (no implicit flow: tokens never travel in a URL), back to the plugins site.
    this.userPoolClient = this.userPool.addClient('PluginsClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [props.signInCallbackUrl],
        logoutUrls: [props.signInCallbackUrl],
      },
    });

    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
    // Cognito puts `aud` = client id (and custom:tenantId) in ID tokens: the UIs send the ID token.
    this.audience = this.userPoolClient.userPoolClientId;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
    this.tenantClaim = 'custom:tenantId';
    this.rolesClaim = 'cognito:groups';
    const logout = `${this.domain.baseUrl()}/logout?client_id=${this.userPoolClient.userPoolClientId}&logout_uri=${props.signInCallbackUrl}`; // a token: not URI-encoded (":" and "/" are allowed in a query)
    this.signIn = { signIn: 'oidc', issuer: this.issuer, clientId: this.audience, tenantClaim: this.tenantClaim, rolesClaim: this.rolesClaim, logoutUrl: logout };
  }
}

function threatProtectionOf(mode: 'off' | 'audit' | 'full'): Pick<cognito.UserPoolProps, 'featurePlan' | 'standardThreatProtectionMode'> {
  if (mode === 'off') return {};
  return {
    featurePlan: cognito.FeaturePlan.PLUS,
    standardThreatProtectionMode: mode === 'full' ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : cognito.StandardThreatProtectionMode.AUDIT_ONLY,
  };
}
