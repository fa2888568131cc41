/**
 * `paybridge(options)`: the HTTP contract as an Express Router (Express 4 or 5). Every check
 * lives in the HTTP core (src/http/core.ts), shared with the web-standard handler; this file
 * only hands Express's request to it and writes the answer.
 */
import express, { type ErrorRequestHandler, type Request, type Router } from "express";
import { InvalidRequestError } from "./errors.js";
import { PaybridgeHttp } from "./http/core.js";
import { nodeCoreRequest, writeAnswer } from "./http/node.js";
import { jsonAnswer } from "./http/answer.js";
import type { OrderStore } from "./store/contract.js";
import type { MerchantOperations, PaybridgeEvents, PaybridgeOperations, PaybridgeOptions as HostOptions, ResolveOrderInput as HostResolveOrderInput } from "./types.js";

/** The options of `paybridge()`: resolveOrder is handed Express's `req`. */
export type PaybridgeOptions<Req = Request> = HostOptions<Req>;
/** What resolveOrder is asked about; `req` is Express's request under `paybridge()`. */
export type ResolveOrderInput<Req = Request> = HostResolveOrderInput<Req>;

export interface PaybridgeRouter extends Router, PaybridgeOperations, MerchantOperations {
  /** order.created, order.paid, order.failed, notify.rejected, gateway.error, refund.succeeded, refund.failed. */
  readonly events: PaybridgeEvents;
  /** The order store in use (the default MemoryOrderStore unless one was given). */
  readonly store: OrderStore;
}

/**
 * The paybridge Express router (Express 4.21+ or 5): mount it where `publicUrl` and the browser
 * client's `endpoint` point. `paybridgeHandler` in `@paybridge/server-middleware/web` serves the
 * same routes, over the same core, as a web-standard `Request → Response` handler.
 *
 * Routes (relative to the mount path):
 * - `POST /orders` `{ orderNo, channel?, scene?, openId?, appId? }` → creates the order at the
 *   gateway that `routing` chooses; the amount comes from `resolveOrder`, never from the browser.
 * - `GET /orders/:orderNo` → the order's status, only with the status token the create returned
 *   (header `x-paybridge-token`, or `?token=`).
 * - `POST /notify/:gatewayId` → the gateway's notify, verified on its raw bytes, answered in the
 *   gateway's own reply format; a verified payment runs `onPaid` once per order.
 *   With `merchants`: `POST /notify/:gatewayId/:merchantId`, verified with that merchant's keys.
 *
 * Mount it before any body parser of your own, or keep the notify bytes with
 * `express.json({ verify: (req, res, buf) => { req.rawBody = buf } })`.
 *
 * @param options gateways, routing, publicUrl, statusTokenSecret, resolveOrder and onPaid are
 *   required; see {@link PaybridgeOptions} for the rest and their defaults.
 * @returns an Express Router with `.events` (order.created, order.paid, order.failed,
 *   notify.rejected, gateway.error, refund.succeeded, refund.failed), `.store`, and the
 *   server-side operations `refund()`, `close()`, `sweepExpired()`, `health()` and `reconcile()` (never routes).
 * @throws ConfigError naming the first option that is wrong, at start-up.
 *
 * @example
 * ```ts
 * app.use("/pay", paybridge({
 *   gateways: [upaas({ storeNum: process.env.UPAAS_STORE_NUM!, key: process.env.UPAAS_KEY! })],
 *   routing: { wechat: "upaas", alipay: "upaas", unionpay: "upaas" },
 *   publicUrl: "https://shop.example.com/pay",
 *   statusTokenSecret: process.env.PAY_TOKEN_SECRET!,
 *   resolveOrder: async ({ orderNo, req }) => {
 *     const order = await db.orders.find(orderNo);
 *     return order ? { amountFen: order.totalFen, description: order.title } : null;
 *   },
 *   onPaid: async (payment) => { await db.orders.markPaid(payment.orderNo, payment); },
 * }));
 * ```
 */
export function paybridge(options: PaybridgeOptions<Request>): PaybridgeRouter {
  const core = new PaybridgeHttp<Request>(options);
  const router = express.Router();
  router.use((req, res, next) => {
    const queryAt = req.url.indexOf("?");
    const query = queryAt === -1 ? "" : req.url.slice(queryAt + 1);
    // A promise Express 4 would not catch: every failure ends in next(error).
    core.handle(nodeCoreRequest(req, req.path, query)).then((answer) => (answer ? writeAnswer(res, answer) : next()), next);
  });
  router.use(errorHandler);
  // The rest of an order's life: refunds, close, expiry.
  return Object.assign(router, { events: core.events, store: core.store }, core.operations);
}

/** What reaches here is a bug in paybridge or a host's own fault: a JSON 500 (or 400), no stack. */
const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = (error as { status?: unknown } | null)?.status;
  const answer =
    typeof status === "number" && status >= 400 && status < 500
      ? jsonAnswer(400, new InvalidRequestError("malformed request", "path").toBody())
      : jsonAnswer(500, { error: { code: "internal", message: "internal error" } });
  writeAnswer(res, answer);
};
