// The campaign lifecycle (SERVICES.md, Growth): draft -> scheduled|active, scheduled -> active,
// active <-> paused, active|paused -> completed, draft|scheduled -> canceled. Every other move,
// repeating one included, is a 409 that names the current status.
import type { CampaignMove, CampaignStatus } from '#connectors/contracts/growth';
import { conflict } from '#connectors/contracts/wire';

const FROM: Record<CampaignMove, readonly CampaignStatus[]> = {
  launch: ['draft', 'scheduled'],
  pause: ['active'],
  resume: ['paused'],
  complete: ['active', 'paused'],
  cancel: ['draft', 'scheduled'],
};

/** Where `move` takes a campaign now; launching a draft whose start lies ahead only schedules it. */
export function nextStatus(campaign: { status: CampaignStatus; startAt?: string }, move: CampaignMove, now: Date): CampaignStatus {
  if (!FROM[move].includes(campaign.status)) {
    throw conflict(`Cannot ${move} a campaign that is ${campaign.status}`, { status: campaign.status, move });
  }
  switch (move) {
    case 'launch':
      return campaign.status === 'draft' && campaign.startAt !== undefined && Date.parse(campaign.startAt) > now.getTime() ? 'scheduled' : 'active';
    case 'pause':
      return 'paused';
    case 'resume':
      return 'active';
    case 'complete':
      return 'completed';
    case 'cancel':
      return 'canceled';
  }
}

/** Statuses in which the runtime's metric reports are taken. */
export const REPORTING: readonly CampaignStatus[] = ['active', 'paused'];
