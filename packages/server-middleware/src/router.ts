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
import type { LifecycleApi } from "./lifecycle-api.js";
import type { PaybridgeOptions } from "./options.js";
import type { PaybridgeEvents } from "./orders.js";
import type { OrderStore } from "./store/types.js";

export interface PaybridgeRouter extends Router, LifecycleApi {
  /** order.created, order.paid, order.failed, notify.rejected, gateway.error. */
  readonly events: PaybridgeEvents;
  /** The order store in use (the default MemoryOrderStore unless one was given). */
  readonly store: OrderStore;
}

/**
 * The paybridge routes, to mount where `publicUrl` points: `app.use("/pay", paybridge({...}))`.
 * POST /orders, GET /orders/:orderNo, POST /notify/:gateway. Mount it before any body parser,
 * or keep the notify bytes with `express.json({ verify: (req, res, buf) => { req.rawBody = buf } })`.
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
  // The rest of an order's life, beside the order service: refunds, close, expiry.
  return Object.assign(router, { events: core.events, store: core.store }, core.lifecycle);
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
