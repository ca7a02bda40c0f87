// The Community wire contract (a stub until the Community service lands).
export const communityContract = {} as const;

export type CommunityContract = typeof communityContract;
