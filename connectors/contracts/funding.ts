// The Funding wire contract (a stub until the Funding service lands).
export const fundingContract = {} as const;

export type FundingContract = typeof fundingContract;
