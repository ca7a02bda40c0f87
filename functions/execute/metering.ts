// Metering without a synchronous service round trip (SERVICES.md, "Billing"): every successful
// action counts one api_calls in this container; counts go to Billing in batches as fire-and-forget
// events (Lambda InvocationType Event). The quota check adds the calls counted here since the
// tenant's usage snapshot was read, so a single container never overshoots by more than the calls
// in flight; across N containers the overshoot is bounded by N x (flush batch + cache staleness).

export interface UsageMeterOptions {
  /** Sends `amount` api_calls of a tenant to Billing without waiting for it to be stored. */
  emit: (tenantId: string, amount: number) => Promise<void>;
  /** Flush once this many calls are pending. @default 25 */
  flushEvery?: number;
  /** Flush when the oldest pending call is this old. @default 5000 */
  flushAfterMs?: number;
  /**
   * How old a usage snapshot in use can be (the access cache's lifetime): a batch sent longer ago is in
   * every snapshot still in use, so it is forgotten. @default 30000
   */
  snapshotMaxAgeMs?: number;
  now?: () => number;
}

export interface UsageMeter {
  /** Counts one successful call; may flush (a fire-and-forget event, not a service round trip). */
  record(tenantId: string): Promise<void>;
  /**
   * Calls counted here that a usage snapshot read at `snapshotTaken` (ms) cannot contain: those
   * not yet sent, and those sent since.
   */
  countedSince(tenantId: string, snapshotTaken: number): number;
  /** Sends everything pending (on shutdown, in tests). */
  flush(): Promise<void>;
}

/** A tenant's batches sent to Billing, oldest first (send times only grow), and their calls in all. */
interface SentLog {
  batches: Array<{ sentAt: number; calls: number }>;
  calls: number;
}

export function createUsageMeter({ emit, flushEvery = 25, flushAfterMs = 5000, snapshotMaxAgeMs = 30_000, now = Date.now }: UsageMeterOptions): UsageMeter {
  const pending = new Map<string, number>();
  let pendingCalls = 0;
  let oldestPending: number | undefined;
  // Per batch, not per call, so the quota check on every request costs O(1), not O(calls in the last 30 s).
  const sent = new Map<string, SentLog>();

  /** Forgets the tenant's batches sent before `before` (a snapshot read since contains them). */
  function forgetSentBefore(tenantId: string, log: SentLog, before: number): void {
    while (log.batches.length > 0 && log.batches[0]!.sentAt < before) log.calls -= log.batches.shift()!.calls;
    if (log.batches.length === 0) sent.delete(tenantId);
  }

  async function flush(): Promise<void> {
    const batch = [...pending];
    pending.clear();
    pendingCalls = 0;
    oldestPending = undefined;
    const sentAt = now();
    for (const [tenantId, log] of sent) forgetSentBefore(tenantId, log, sentAt - snapshotMaxAgeMs);
    for (const [tenantId, calls] of batch) {
      const log = sent.get(tenantId) ?? { batches: [], calls: 0 };
      log.batches.push({ sentAt, calls });
      log.calls += calls;
      sent.set(tenantId, log);
    }
    await Promise.all(batch.map(([tenantId, amount]) => emit(tenantId, amount).catch(() => undefined)));
  }

  return {
    async record(tenantId) {
      const at = now();
      pending.set(tenantId, (pending.get(tenantId) ?? 0) + 1);
      pendingCalls += 1;
      oldestPending ??= at;
      if (pendingCalls >= flushEvery || at - oldestPending >= flushAfterMs) await flush();
    },
    countedSince(tenantId, snapshotTaken) {
      const log = sent.get(tenantId);
      if (log) forgetSentBefore(tenantId, log, snapshotTaken);
      return (pending.get(tenantId) ?? 0) + (sent.get(tenantId)?.calls ?? 0);
    },
    flush,
  };
}
