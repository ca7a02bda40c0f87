// What `cdk -c key=value` (or cdk.json "context") can set. Read here rather than in bin/app.ts
// so the tests exercise the same mapping from context to stack props.
import type { IConstruct } from 'constructs';
import type { PlatformAuthProps } from './auth.ts';
import type { PaymentProviderName } from './platform-stack.ts';

export interface PlatformAppSettings {
  /** Context `stackName`, default 'MozaiksPlatform'. */
  readonly stackName: string;
  /** Context `nag`: cdk-nag AwsSolutions checks run unless it is 'false'. */
  readonly nag: boolean;
  /** Context `oidcIssuer`, `oidcAudience`, `oidcTenantClaim`, `oidcRolesClaim`, `oidcJwksUri`. */
  readonly auth: PlatformAuthProps;
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
    paymentProvider: context('paymentProvider') === 'local' ? 'local' : 'none',
    auth: {
      oidcIssuer: context('oidcIssuer'),
      oidcAudience: context('oidcAudience'),
      oidcTenantClaim: context('oidcTenantClaim'),
      oidcRolesClaim: context('oidcRolesClaim'),
      oidcJwksUri: context('oidcJwksUri'),
    },
  };
}
