// The Social wire contract (a stub until the Social service lands).
export const socialContract = {} as const;

export type SocialContract = typeof socialContract;
