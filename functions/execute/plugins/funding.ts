// moz.platform.funding: a tenant's revenue-share rounds (the funding_rounds feature), pledges from
// investors of any tenant (invest:funding, whatever their plan), and revenue from the tenant's runtime
// (app key; no feature, so a downgrade never stops paying investors). The checks that need another
// service sit here: the app is the tenant's and not archived (Hosting), and published (Discovery).
import * as z from 'zod/mini';
import { fundingContract as contract, type RoundMove } from '#connectors/contracts/funding';
import { conflict, PlatformError } from '#connectors/contracts/wire';
import { forOwnApp } from './guards.ts';
import { action, forwarder, type ActionDefinition, type Plugin } from './types.ts';

const feature = { feature: 'funding_rounds' } as const;
const toFunding = forwarder('funding');

const move = (to: RoundMove, description: string): ActionDefinition =>
  action({
    description,
    permission: 'manage:funding',
    ...feature,
    input: z.omit(contract.moveRound.input, { move: true }),
    run: async (ctx, input, { funding, hosting }) => {
      if (to === 'open') {
        // An archived app takes no money. Not one transaction with Hosting's delete_app check (README, "Funding").
        const round = await funding.getRound(ctx, input);
        const app = await hosting.getApp(ctx, { appId: round.appId });
        if (app.status === 'archived') throw conflict('The app of this round is archived; restore it before opening the round', { appStatus: 'archived' });
      }
      return funding.moveRound(ctx, { ...input, move: to });
    },
  });

export const fundingPlugin: Plugin = {
  name: 'moz.platform.funding',
  actions: {
    list_rounds: toFunding('listRounds', "Your tenant's rounds, newest first (filter by status or appId)", 'read:funding', feature),
    // No feature: investors of any plan read the rounds they may pledge to (the service shows them only public fields).
    get_round: toFunding('getRound', 'One round: all of it for its tenant; its public terms for an investor while it is open or pledged to', 'read:funding'),
    create_round: forOwnApp(toFunding('createRound', 'A draft revenue-share round for one of your apps', 'manage:funding', feature), (input) => input.appId),
    update_round: toFunding('updateRound', 'Edit a draft round', 'manage:funding', feature),
    open_round: move('open', 'Open a draft round for pledges (its app must not be archived)'),
    close_round: move('close', 'Close an open round: no more pledges; revenue starts paying it'),
    cancel_round: move('cancel', 'Cancel a draft or open round'),
    list_pledges: toFunding('listPledges', 'The pledges to one of your rounds, newest first', 'read:funding', feature),
    pledge: action({
      description: 'Pledge to an open round of a published app, from any tenant',
      permission: 'invest:funding',
      input: contract.pledge.input,
      run: async (ctx, input, { funding, discovery }) => {
        const round = await funding.getRound(ctx, { roundId: input.roundId });
        try {
          await discovery.getListing(ctx, { appId: round.appId });
        } catch (error) {
          if (error instanceof PlatformError && error.code === 'NOT_FOUND') throw conflict('The app of this round is not published in Discovery', { appId: round.appId });
          throw error;
        }
        return funding.pledge(ctx, input);
      },
    }),
    cancel_pledge: toFunding('cancelPledge', 'Cancel your pledge while its round is open', 'invest:funding'),
    my_positions: toFunding('myPositions', 'Your pledges across tenants with their rounds, newest first', 'read:funding'),
    record_revenue: forOwnApp(toFunding('recordRevenue', "Your runtime's revenue report (app key): pays investors once per reportId", 'report:funding'), (input) => input.appId),
    list_payouts: toFunding('listPayouts', 'Your payouts, newest first', 'read:funding'),
  },
};
