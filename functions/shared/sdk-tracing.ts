// X-Ray subsegments for the AWS SDK calls a function makes (DynamoDB, Lambda Invoke), by Powertools
// Tracer, only when the stack turns it on (`-c sdkTracing=true` sets MOZAIKS_TRACE_SDK): evaluated it
// adds tens of milliseconds to a cold start (README, "Operating"), so by default it is left unloaded
// and traces show each function's own segment (Lambda active tracing), linked by the SDK's trace header.
// The dynamic import below puts the tracer in a chunk of its own (lib/lambda-bundle.ts), read only when it runs.

type Tracer = { captureAWSv3Client<T>(client: T): T };

const tracer: Tracer | undefined =
  process.env.MOZAIKS_TRACE_SDK === 'true' ? new (await import('@aws-lambda-powertools/tracer')).Tracer() : undefined;

/** The client, wrapped so each call is a subsegment when SDK tracing is on; the client itself otherwise. */
export const traced = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
