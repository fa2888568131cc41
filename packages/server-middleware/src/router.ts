/**
 * `paybridge(options)`: the Express Router of the HTTP contract. Routes only — request
 * checks, body parsing and error bodies; the order service does the rest, and no gateway
 * is named here.
 */
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from "express";
import { CHANNELS, SCENES, isChannel, isScene, type CreateOrderRequest } from "@paybridge/shared";
import { InvalidRequestError, PaybridgeError } from "./errors.js";
import type { NotifyInput, NotifyReply } from "./gateways/types.js";
import { validateOptions, type Logger, type PaybridgeOptions } from "./options.js";
import { attachLifecycle, type LifecycleApi } from "./lifecycle-api.js";
import { OrderService, type PaybridgeEvents } from "./orders.js";
import type { OrderStore } from "./store/types.js";

export interface PaybridgeRouter extends Router, LifecycleApi {
  /** order.created, order.paid, order.failed, notify.rejected, gateway.error. */
  readonly events: PaybridgeEvents;
  /** The order store in use (the default MemoryOrderStore unless one was given). */
  readonly store: OrderStore;
}

const RAW_BODY_REQUIRED =
  "the notify body was parsed before paybridge saw it; signatures are verified on the raw bytes, " +
  "so mount paybridge before express.json() / express.urlencoded(), or keep them off its notify path";

const ORDER_NO = /^[A-Za-z0-9_\-.|*@]{1,64}$/;

export function paybridge(options: PaybridgeOptions): PaybridgeRouter {
  const resolved = validateOptions(options);
  const orders = new OrderService(resolved);
  const router = express.Router();
  const parseJson = express.json({ limit: resolved.bodyLimit });

  router.post("/orders", parseJson, async (req, res) => {
    const { httpStatus, body } = await orders.create(parseCreateRequest(req.body), req);
    res.status(httpStatus).set("Cache-Control", "no-store").json(body);
  });

  router.get("/orders/:orderNo", async (req, res) => {
    res.set("Cache-Control", "no-store").json(await orders.status(req.params.orderNo, req.query.token));
  });

  // One handler, not a chain, its own body reader, and no Express `send` (ETag, charset
  // parsing): each cost microseconds on the route gateways call most.
  router.post("/notify/:gateway", (req, res, next) => {
    const { gateway } = req.params;
    if (!orders.hasGateway(gateway)) {
      res.status(404).type("text/plain").send("unknown gateway");
      return;
    }
    const answer = (rawBody: Buffer): void => {
      orders.notify(gateway, { rawBody, headers: headersOf(req) }).then((reply) => sendReply(res, reply)).catch(next);
    };
    const parsed: unknown = req.body;
    if (parsed !== undefined && !Buffer.isBuffer(parsed)) {
      // A body parser mounted before paybridge consumed the bytes the signature is over. Say so,
      // and answer 500 so the gateway retries once the merchant has fixed the mounting order.
      sendReply(res, { ...orders.rejectNotify(gateway, RAW_BODY_REQUIRED), status: 500 });
    } else if (parsed !== undefined || req.readableEnded) {
      // Read already, as bytes (the merchant's own raw parser): the same bytes.
      answer(parsed ?? NO_BODY);
    } else {
      readRawBody(req, resolved.bodyLimit, (failure, rawBody) => {
        if (failure === undefined) answer(rawBody);
        else sendReply(res, orders.rejectNotify(gateway, failure));
      });
    }
  });

  router.use(errorHandler(resolved.logger));
  // The rest of an order's life, beside the order service: refunds, close, expiry.
  return Object.assign(router, { events: orders.events, store: resolved.store }, attachLifecycle(orders, resolved));
}

/** The create request, checked field by field; the error names the first field at fault. */
function parseCreateRequest(body: unknown): CreateOrderRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("body must be a JSON object", "body");
  }
  const fields = body as Record<string, unknown>;
  const { orderNo, channel, scene, openId, appId } = fields;
  if (typeof orderNo !== "string" || !ORDER_NO.test(orderNo)) {
    throw new InvalidRequestError("orderNo must be 1-64 letters, digits or _-.|*@", "orderNo");
  }
  if (channel !== undefined && !isChannel(channel)) throw new InvalidRequestError(`channel must be one of ${CHANNELS.join(", ")}`, "channel");
  if (scene !== undefined && !isScene(scene)) throw new InvalidRequestError(`scene must be one of ${SCENES.join(", ")}`, "scene");
  checkText(openId, "openId", 128);
  checkText(appId, "appId", 64);
  return {
    orderNo,
    ...(channel !== undefined ? { channel } : {}),
    ...(scene !== undefined ? { scene } : {}),
    ...(openId !== undefined ? { openId } : {}),
    ...(appId !== undefined ? { appId } : {}),
  };
}

function checkText(value: unknown, field: string, maxLength: number): asserts value is string | undefined {
  if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > maxLength)) {
    throw new InvalidRequestError(`${field} must be a string of 1-${maxLength} characters`, field);
  }
}

/** The request's headers as they are, unless one is a list (Node keeps only set-cookie so): then joined in a copy. */
function headersOf(req: Request): NotifyInput["headers"] {
  const { headers } = req;
  for (const name in headers) {
    if (Array.isArray(headers[name])) {
      return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(", ") : value]));
    }
  }
  // No list among them, as just checked; the type cannot say so.
  return headers as NotifyInput["headers"];
}

const NO_BODY = Buffer.alloc(0);
const BODY_TOO_LARGE = "body is larger than the limit";
const BODY_UNREADABLE = "body could not be read";

/**
 * The request's bytes exactly as they arrived (any content type: adapters verify signatures
 * over them), at most `limit`. What express.raw does for a notify, without its per-request
 * type, charset and decompression machinery: no gateway compresses a notify, so an encoded
 * one is refused rather than inflated.
 */
function readRawBody(req: Request, limit: number, done: (failure: string | undefined, body: Buffer) => void): void {
  const encoding = req.headers["content-encoding"];
  const declaredLength = Number(req.headers["content-length"]);
  if (declaredLength > limit || (encoding !== undefined && encoding.toLowerCase() !== "identity")) {
    req.resume(); // drained, so the connection stays usable
    done(declaredLength > limit ? BODY_TOO_LARGE : BODY_UNREADABLE, NO_BODY);
    return;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  let settled = false;
  const settle = (failure: string | undefined): void => {
    if (settled) return;
    settled = true;
    done(failure, failure !== undefined ? NO_BODY : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
  };
  const onData = (chunk: Buffer): void => {
    length += chunk.length;
    if (length <= limit) chunks.push(chunk);
    else {
      req.removeListener("data", onData).resume();
      settle(BODY_TOO_LARGE);
    }
  };
  req.on("data", onData);
  req.on("end", () => settle(undefined));
  // An aborted request is an error too.
  req.on("error", () => settle(BODY_UNREADABLE));
}

/** The gateway's answer exactly as the adapter declares it; a notify answer needs no ETag. */
function sendReply(res: Response, reply: NotifyReply): void {
  res.writeHead(reply.status, { "Content-Type": reply.contentType, "Content-Length": Buffer.byteLength(reply.body) }).end(reply.body);
}

/** Express and body-parser mark a request's own faults with a 4xx `status`. */
function isClientError(error: unknown): error is { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/** body-parser's errors also carry a `type` such as `entity.too.large`. */
function isBodyError(error: unknown): error is { type: string; status: number } {
  return isClientError(error) && typeof (error as { type?: unknown }).type === "string";
}

function bodyErrorMessage(error: unknown): string {
  if (!isBodyError(error)) return "body could not be read";
  if (error.type === "entity.too.large") return "body is larger than the limit";
  if (error.type === "entity.parse.failed") return "body is not valid JSON";
  return "body could not be read";
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof PaybridgeError) {
      res.status(error.status).json(error.toBody());
    } else if (isBodyError(error)) {
      res.status(400).json(new InvalidRequestError(bodyErrorMessage(error), "body").toBody());
    } else if (isClientError(error)) {
      // Express's own 4xx, e.g. a path parameter that is not valid percent-encoding.
      res.status(400).json(new InvalidRequestError("malformed request URL", "path").toBody());
    } else {
      // Neither the message nor the stack leaves the server; the log gets name and message only.
      const { name, message } = error instanceof Error ? error : { name: typeof error, message: "" };
      logger.error("internal error", { method: req.method, path: req.path, error: name, reason: message });
      res.status(500).json({ error: { code: "internal", message: "internal error" } });
    }
  };
}
