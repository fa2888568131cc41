/**
 * The hosts paybridge's HTTP contract is served by: the Express router on Express 5 and on
 * Express 4, and the web-standard handler behind a plain Node http server (the adapter a
 * Node user of a fetch-style framework would have). The contract tests run on each.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import express5, { type RequestHandler } from "express";
import express4 from "express4";
import type { MerchantOperations, PaybridgeEvents, PaybridgeOperations, PaybridgeOptions } from "../../src/types.js";
import { paybridge } from "../../src/express.js";
import type { OrderStore } from "../../src/store/contract.js";
import { paybridgeHandler } from "../../src/web.js";

export type HostName = "express5" | "express4" | "web";
export const HOSTS: readonly HostName[] = ["express5", "express4", "web"];
export const EXPRESS_HOSTS = ["express5", "express4"] as const;

/** The Express of a host, for the merchant's own middleware (express.json() of the same major). */
export const expressOf = (name: (typeof EXPRESS_HOSTS)[number]): typeof express5 => (name === "express4" ? express4 : express5);

export interface Hosted extends PaybridgeOperations, MerchantOperations {
  readonly events: PaybridgeEvents;
  readonly store: OrderStore;
  readonly listener: RequestListener;
}

/** paybridge mounted at /pay on the host; `before` is the merchant's own middleware (Express hosts only). */
export function host(name: HostName, options: PaybridgeOptions<unknown>, before: RequestHandler[] = []): Hosted {
  if (name === "web") {
    const handler = paybridgeHandler(options as PaybridgeOptions<Request>);
    return {
      events: handler.events,
      store: handler.store,
      refund: handler.refund,
      close: handler.close,
      order: handler.order,
      queryOrder: handler.queryOrder,
      sweepExpired: handler.sweepExpired,
      stopSweeping: handler.stopSweeping,
      replay: handler.replay,
      listNotifies: handler.listNotifies,
      invalidateMerchant: handler.invalidateMerchant,
      health: handler.health,
      reconcile: handler.reconcile,
      listener: (req, res) => void serveWeb(handler, req, res),
    };
  }
  const express = name === "express4" ? express4 : express5;
  const router = paybridge(options as PaybridgeOptions<express5.Request>);
  const app = express();
  for (const handler of before) app.use(handler);
  app.use("/pay", router);
  const { events, store, refund, close, order, queryOrder, sweepExpired, stopSweeping, replay, listNotifies, invalidateMerchant, health, reconcile } = router;
  return { events, store, refund, close, order, queryOrder, sweepExpired, stopSweeping, replay, listNotifies, invalidateMerchant, health, reconcile, listener: app };
}

/** A Node request as a fetch-API Request, and the Response written back. */
async function serveWeb(handler: (request: Request) => Promise<Response>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

