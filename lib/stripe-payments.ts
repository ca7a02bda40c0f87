// What `-c paymentProvider=stripe` adds to the stack: the secret holding the Stripe API key and the
// webhook signing secret (created with placeholders the operator replaces, README "Payments with
// Stripe"), read by the Billing function only. The webhook route itself is in platform-stack.ts.
import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** What the secret holds until the operator writes the real values (Billing refuses it, naming the secret). */
export const STRIPE_SECRET_PLACEHOLDER = 'REPLACE_ME';

export interface StripePaymentsProps {
  /** The secret's name, `<stack name>/stripe`. */
  readonly secretName: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class StripePayments extends Construct {
  /** JSON `{ "apiKey": "sk_...", "webhookSecret": "whsec_..." }`. */
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StripePaymentsProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'Stripe API key and webhook signing secret for Billing: replace the placeholders (README, "Payments with Stripe")',
      // Placeholders, not secrets. CloudFormation writes this value only when the secret is created (or
      // this template value changes), so the operator's real values survive every later deploy.
      secretObjectValue: {
        apiKey: SecretValue.unsafePlainText(STRIPE_SECRET_PLACEHOLDER),
        webhookSecret: SecretValue.unsafePlainText(STRIPE_SECRET_PLACEHOLDER),
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Stripe keys are rolled in the Stripe dashboard, where no rotation Lambda can; the operator then writes the new values here (README, "Payments with Stripe").',
    });
  }

  /** Lets `grantee` read the secret (GetSecretValue on this secret only). */
  grantRead(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
