// Where each Lambda's code starts. A service's entry follows from its registry name by convention.
import type { ServiceName } from '#connectors/contracts/registry';

export const EXECUTE_ENTRY = 'functions/execute/handler.ts';
export const serviceEntry = (name: ServiceName): string => `functions/services/${name}/handler.ts`;
