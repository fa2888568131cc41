/**
 * Where the two sides come from: our paid orders and refunds listed by time from the store in
 * pages, the inbox's unmatched payments, and the bill — the caller's rows, or the gateway's
 * bill API through the engine's outbound client, retried with backoff and then refused: a
 * failed fetch is never taken for a day without payments.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BillRow } from "../../bills/contract.js";
import { BillFetchError, BillFormatError, ConfigError, InvalidRequestError } from "../../errors.js";
import type { ListCursor, ListedRefund, NotifyInbox, OrderRecord, OrderStore, TimeWindow } from "../../store/contract.js";
import type { EngineContext } from "../context.js";
import { ourPayment, ourRefund, refundTime, type OurRow } from "./rows.js";
import type { ReconcileSettings } from "./settings.js";

/** Rows asked of the store per page. */
export const PAGE_SIZE = 1_000;
/** The inbox's unmatched notifies read at most (pages of 1,000): they are rare; a flood of them is not read whole. */
const MAX_UNMATCHED = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Rows<T> = AsyncIterable<T> | Iterable<T>;

/** Our paid orders, then our refunds, of this gateway in the window, page by page. */
export async function* ourRows(store: OrderStore, gateway: string, window: TimeWindow, signal: AbortSignal | undefined): AsyncGenerator<OurRow> {
  const { listPaid, listRefunds } = store;
  if (!listPaid || !listRefunds) throw new ConfigError("store", "reconciliation needs a store that lists by time (listPaid, listRefunds)");
  let after: ListCursor | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page: OrderRecord[] = await listPaid.call(store, window, PAGE_SIZE, after);
    for (const record of page) if (record.gateway === gateway) yield ourPayment(record);
    const last = page.at(-1);
    if (page.length < PAGE_SIZE || !last) break;
    after = { at: Date.parse(last.paidAt ?? last.createdAt), orderNo: last.orderNo };
  }
  after = undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page: ListedRefund[] = await listRefunds.call(store, window, PAGE_SIZE, after);
    for (const { order, refund } of page) if (order.gateway === gateway) yield ourRefund(order.orderNo, refund);
    const last = page.at(-1);
    if (page.length < PAGE_SIZE || !last) break;
    after = { at: refundTime(last.refund), orderNo: last.order.orderNo, refundNo: last.refund.refundNo };
  }
}

/**
 * orderNo → id of the inbox's unmatched notifies of this gateway (and merchant) received from the
 * day's start to a day after it (a gateway retries a notify for hours), at most MAX_UNMATCHED.
 */
export async function unmatchedNotifies(inbox: NotifyInbox | undefined, gateway: string, merchantId: string | undefined, day: TimeWindow): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!inbox) return found;
  let after: string | undefined;
  for (let read = 0; read < MAX_UNMATCHED; ) {
    const page = await inbox.list({ verdict: "unmatched", gateway, since: day.from, until: day.to + DAY_MS, limit: 1_000, ...(after === undefined ? {} : { after }) });
    for (const entry of page) if (entry.orderNo !== undefined && entry.merchantId === merchantId && !found.has(entry.orderNo)) found.set(entry.orderNo, entry.id);
    read += page.length;
    after = page.at(-1)?.id;
    if (page.length < 1_000 || after === undefined) break;
  }
  return found;
}

/**
 * Hands the bill's rows to `consume`: the request's own rows once, or the gateway's bill API's,
 * each try with a fresh `consume` (what an earlier try read is dropped). A malformed row or an
 * abort is not retried.
 */
export async function readBill(ctx: EngineContext, settings: ReconcileSettings, bill: Rows<BillRow> | undefined, signal: AbortSignal | undefined, consume: (rows: Rows<BillRow>) => Promise<void>): Promise<void> {
  if (bill !== undefined) return consume(bill);
  const { gateway, date } = settings;
  const adapter = ctx.adapters.get(gateway);
  if (!adapter) throw new InvalidRequestError(`no gateway "${gateway}" is configured`, "gateway");
  if (!adapter.fetchBill) throw new InvalidRequestError(`gateway ${gateway} has no bill API in paybridge: pass the bill's rows (readBillCsv of its file)`, "bill");
  const http = ctx.gatewayClient(gateway);
  for (let attempt = 1; ; attempt++) {
    try {
      return await consume(adapter.fetchBill({ date, signal }, http));
    } catch (error) {
      if (error instanceof BillFormatError || signal?.aborted) throw error;
      const described = error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
      ctx.options.logger.warn("bill fetch failed", { gateway, date, attempt: String(attempt), ...described });
      if (attempt >= settings.fetchAttempts) throw new BillFetchError(gateway, date, attempt, error);
      await sleep(settings.retryDelayMs * 2 ** (attempt - 1), undefined, signal ? { signal } : {});
    }
  }
}
