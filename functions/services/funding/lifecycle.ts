// The round lifecycle (SERVICES.md, Funding): draft -> open, open -> closed, draft|open -> canceled,
// closed -> repaid (by payouts reaching the cap, never by an action). Every other move, repeating one
// included, is a 409 that names the current status.
import type { RoundMove, RoundStatus } from '#connectors/contracts/funding';
import { conflict } from '#connectors/contracts/wire';

const MOVES: Record<RoundMove, { from: readonly RoundStatus[]; to: RoundStatus }> = {
  open: { from: ['draft'], to: 'open' },
  close: { from: ['open'], to: 'closed' },
  cancel: { from: ['draft', 'open'], to: 'canceled' },
};

/** Where `move` takes a round in `status`; CONFLICT naming the status otherwise. */
export function nextStatus(status: RoundStatus, move: RoundMove): RoundStatus {
  if (!MOVES[move].from.includes(status)) throw conflict(`Cannot ${move} a round that is ${status}`, { status, move });
  return MOVES[move].to;
}
