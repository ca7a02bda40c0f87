// Where each Lambda's code starts. A service's entry follows from its registry name by convention.

export const EXECUTE_ENTRY = 'functions/execute/handler.ts';
export const serviceEntry = (name: string): string => `functions/services/${name}/handler.ts`;
