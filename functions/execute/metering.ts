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
  now?: () => number;
}

export interface UsageMeter {
  /** Counts one successful call; may flush (a fire-and-forget event, not a service round trip). */
  record(tenantId: string): Promise<void>;
  /**
   * Calls counted here that a usage snapshot read at `snapshotTaken` (ms) cannot contain: those
   * made since, and those not yet sent (or sent only since).
   */
  countedSince(tenantId: string, snapshotTaken: number): number;
  /** Sends everything pending (on shutdown, in tests). */
  flush(): Promise<void>;
}

export function createUsageMeter({ emit, flushEvery = 25, flushAfterMs = 5000, now = Date.now }: UsageMeterOptions): UsageMeter {
  const pending = new Map<string, number>();
  // Per tenant, the calls Billing may not know yet; trimmed as snapshots catch up.
  const recent = new Map<string, Array<{ at: number; sentAt?: number }>>();
  let oldestPending: number | undefined;

  async function flush(): Promise<void> {
    const batch = [...pending];
    pending.clear();
    oldestPending = undefined;
    const sentAt = now();
    for (const [tenantId] of batch) for (const call of recent.get(tenantId) ?? []) call.sentAt ??= sentAt;
    await Promise.all(batch.map(([tenantId, amount]) => emit(tenantId, amount).catch(() => undefined)));
  }

  return {
    async record(tenantId) {
      const at = now();
      pending.set(tenantId, (pending.get(tenantId) ?? 0) + 1);
      oldestPending ??= at;
      const calls = recent.get(tenantId) ?? [];
      calls.push({ at });
      recent.set(tenantId, calls);
      const total = [...pending.values()].reduce((a, b) => a + b, 0);
      if (total >= flushEvery || at - oldestPending >= flushAfterMs) await flush();
    },
    countedSince(tenantId, snapshotTaken) {
      const unknown = (recent.get(tenantId) ?? []).filter(({ at, sentAt }) => at >= snapshotTaken || sentAt === undefined || sentAt >= snapshotTaken);
      recent.set(tenantId, unknown);
      return unknown.length;
    },
    flush,
  };
}
