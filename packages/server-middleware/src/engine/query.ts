/**
 * The gateway's query API, for a pending order: the status route asks it when no notify has
 * come, and so does a create the gateway answers "paid already". Only an answer that names the
 * order and its amount settles it (src/engine/settle.ts).
 */
import { PaybridgeError } from "../errors.js";
import type { QueryResult } from "../gateways/contract.js";
import type { OrderRecord } from "../store/contract.js";
import type { EngineContext } from "./context.js";
import { optional } from "./order-fields.js";
import { markClosed, settle } from "./settle.js";

/** The status route's fallback when no notify has come: ask the gateway, at most once per interval per order. */
export async function queryFallback(ctx: EngineContext, record: OrderRecord): Promise<OrderRecord> {
  const adapter = ctx.adapters.get(record.gateway);
  if (!adapter?.queryOrder || !record.action) return record;
  const now = Date.now();
  const { queryIntervalMs } = ctx.options;
  // Claiming by compare-and-set means one query per interval, however many instances poll.
  const claim = await ctx.transition(record.orderNo, (current) =>
    current.status === "pending" && (current.lastQueriedAt === undefined || now - current.lastQueriedAt >= queryIntervalMs)
      ? { lastQueriedAt: now }
      : undefined,
  );
  if (!claim.changed || !claim.record) return claim.record ?? record;
  let result;
  try {
    result = await adapter.queryOrder(
      { orderNo: record.orderNo, ...optional("gatewayOrderNo", record.gatewayOrderNo) },
      ctx.gatewayClient(adapter.id),
    );
  } catch (error) {
    if (error instanceof PaybridgeError) ctx.reportGatewayError(adapter.id, record.orderNo, "query", error);
    else ctx.logError("queryOrder threw", error, { gateway: adapter.id, orderNo: record.orderNo });
    return claim.record;
  }
  const mismatch = queryMismatch(claim.record, result);
  if (mismatch !== undefined) {
    ctx.options.logger.warn(`query answer ${mismatch}`, { gateway: adapter.id, orderNo: record.orderNo });
    return claim.record;
  }
  if (result.status === "paid") await settle(ctx, claim.record, result);
  else if (result.status !== "pending") await markClosed(ctx, claim.record, result.status);
  return (await ctx.options.store.get(record.orderNo)) ?? claim.record;
}

/**
 * Why a query answer may not change this order, or undefined when it may. An answer that names
 * another order (by either number) or states another amount changes nothing; one that says
 * "paid" must also name this order — our order number, or the gateway order number stored at
 * creation — and state the order's amount: absent or null is no match, never "trust it".
 */
function queryMismatch(record: OrderRecord, result: QueryResult): string | undefined {
  if (result.orderNo !== undefined && result.orderNo !== record.orderNo) return "names another order";
  if (result.gatewayOrderNo !== undefined && record.gatewayOrderNo !== undefined && result.gatewayOrderNo !== record.gatewayOrderNo) {
    return "names another gateway order";
  }
  if (result.amountFen !== undefined && result.amountFen !== record.amountFen) return "amount does not match the order";
  if (result.status !== "paid") return undefined;
  const named = result.orderNo === record.orderNo || (record.gatewayOrderNo !== undefined && result.gatewayOrderNo === record.gatewayOrderNo);
  if (!named) return "does not name the order";
  if (result.amountFen === undefined) return "states no amount";
  return undefined;
}
