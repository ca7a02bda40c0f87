// Helpers to acknowledge cdk-nag (v3) findings beside the construct that causes them.
// cdk-nag v3 reads CDK's own `Validations.of(x).acknowledge()` metadata; a wildcard finding
// (AwsSolutions-IAM5) must be acknowledged by its exact id, which embeds the flattened resource
// ARN, e.g. `AwsSolutions-IAM5[Resource::<HostingFn1234.Arn>:*]`. These helpers build that id
// from the construct, so it stays right when logical ids change.
import { Stack } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** The id of the IAM5 finding for a wildcard resource `arn` (a string that may hold tokens). */
export const wildcardResource = (scope: IConstruct, arn: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`;

/** The id of the IAM5 finding for a wildcard action such as `s3:GetObject*`. */
export const wildcardAction = (action: string): string => `AwsSolutions-IAM5[Action::${action}]`;
