// What `cdk -c key=value` (or cdk.json "context") can set. Read here rather than in bin/app.ts
// so the tests exercise the same mapping from context to stack props.
import type { IConstruct } from 'constructs';
import { parseOrigins } from '#connectors/contracts/wire';
import type { PlatformAuthProps } from './auth.ts';
import type { PaymentProviderName } from './platform-stack.ts';

export interface PlatformAppSettings {
  /** Context `stackName`, default 'MozaiksPlatform'. */
  readonly stackName: string;
  /** Context `nag`: cdk-nag AwsSolutions checks run unless it is 'false'. */
  readonly nag: boolean;
  /** Context `oidcIssuer`, `oidcAudience`, `oidcTenantClaim`, `oidcRolesClaim`, `oidcJwksUri`, `oidcClientId`, `authDomainPrefix`. */
  readonly auth: PlatformAuthProps;
  /** Context `corsOrigins`: comma-separated browser origins allowed besides the plugins site. */
  readonly corsOrigins: readonly string[];
  /** Context `paymentProvider`: 'none' (default) or 'local' (approves every payment: demo stacks only). */
  readonly paymentProvider: PaymentProviderName;
}

export function readAppContext(scope: IConstruct): PlatformAppSettings {
  const context = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  return {
    stackName: context('stackName') ?? 'MozaiksPlatform',
    nag: context('nag') !== 'false',
    corsOrigins: parseOrigins(context('corsOrigins'), 'context corsOrigins'),
    paymentProvider: context('paymentProvider') === 'local' ? 'local' : 'none',
    auth: {
      oidcIssuer: context('oidcIssuer'),
      oidcAudience: context('oidcAudience'),
      oidcTenantClaim: context('oidcTenantClaim'),
      oidcRolesClaim: context('oidcRolesClaim'),
      oidcJwksUri: context('oidcJwksUri'),
      oidcClientId: context('oidcClientId'),
      domainPrefix: context('authDomainPrefix'),
    },
  };
}
