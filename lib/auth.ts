import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

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

  constructor(scope: Construct, id: string, props: PlatformAuthProps = {}) {
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
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA (TOTP) is offered to every user; requiring it is a tenant policy decision, not a platform default.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'Threat protection needs the paid Plus feature plan; operators can switch the plan per deployment.',
      },
    );

    // A browser client (the plugin UIs): public, so no secret; SRP so the password never travels.
    this.userPoolClient = this.userPool.addClient('PluginsClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
    });

    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
    // Cognito puts `aud` = client id (and custom:tenantId) in ID tokens: the UIs send the ID token.
    this.audience = this.userPoolClient.userPoolClientId;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
    this.tenantClaim = 'custom:tenantId';
    this.rolesClaim = 'cognito:groups';
  }
}
