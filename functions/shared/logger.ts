// One structured logger per container. Correlation ids go into each call's extra keys rather than
// appendKeys(): the local platform serves concurrent requests from one process and shared keys would mix.
import { Logger } from '@aws-lambda-powertools/logger';

export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });
export type { Logger };
