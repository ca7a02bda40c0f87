// The Discovery wire contract (a stub until the Discovery service lands).
export const discoveryContract = {} as const;

export type DiscoveryContract = typeof discoveryContract;
