/**
 * The HTTP core: the contract's three routes (create, status, notify) over any host. The
 * Express router and the web-standard handler both hand it a `CoreRequest` and write the
 * `HttpAnswer` it returns, so every check — routing, body limits and encodings, create-field
 * validation, status tokens, notify raw bytes, error bodies — exists once.
 */
import { STATUS_TOKEN_HEADER } from "@paybridge/shared";
import { validateOptions, type ResolvedOptions } from "../config/options.js";
import { EventEmitter } from "node:events";
import { Engine } from "../engine/engine.js";
import { MerchantEngines } from "../engine/merchants.js";
import { InvalidRequestError, PaybridgeError } from "../errors.js";
import type { NotifyInput, NotifyReply } from "../gateways/contract.js";
import type { OrderStore } from "../store/contract.js";
import type { MerchantOperations, PaybridgeEvents, PaybridgeOperations, PaybridgeOptions } from "../types.js";
import { INTERNAL_ERROR_ANSWER, errorAnswer, jsonAnswer, replyAnswer, textAnswer, type HttpAnswer } from "./answer.js";
import type { BodyResult, BodySource } from "./body.js";
import { createHeadersFault, parseCreateRequest, parseJsonBody } from "./create-request.js";

/** One request as a host presents it to the core. */
export interface CoreRequest<Req> {
  method: string;
  /** The path below where paybridge is mounted, still percent-encoded, without the query: `/orders/A1`. */
  path: string;
  /** The query string without `?`. */
  query: string;
  /** A header by its lower-case name; several values joined with ", ". */
  header(name: string): string | undefined;
  /** Every header, for the gateway adapter's notify verification. */
  headers(): NotifyInput["headers"];
  body: BodySource;
  /** The host's own request object, handed to the merchant's resolveOrder. */
  native: Req;
}

export const RAW_BODY_REQUIRED =
  "the notify body was parsed before paybridge saw it; signatures are verified on the raw bytes, " +
  "so mount paybridge before express.json() / express.urlencoded(), keep them off its notify path, " +
  "or keep the bytes with express.json({ verify: (req, res, buf) => { req.rawBody = buf } })";
const BODY_TOO_LARGE = "body is larger than the limit";
const BODY_UNREADABLE = "body could not be read";
const BODY_ENCODED = "body must not be encoded (Content-Encoding)";

type Route = "create" | "status" | "notify";

/** `[route, its path parameter]` for a method and mount-relative path; undefined when no route matches. */
function matchRoute(method: string, path: string, merchants: boolean): [Route, string] | undefined {
  // Like Express's defaults: case-insensitive, one optional trailing slash. Sliced by hand, as
  // a regex replace and a split cost more than the rest of the route's own work.
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  if (!trimmed.startsWith("/")) return undefined;
  const slash = trimmed.indexOf("/", 1);
  const head = (slash === -1 ? trimmed.slice(1) : trimmed.slice(1, slash)).toLowerCase();
  const parameter = slash === -1 ? undefined : trimmed.slice(slash + 1);
  // One segment, except a merchant's notify: /notify/:gateway/:merchant (matched as "gateway/merchant").
  if (parameter?.includes("/") && !(merchants && head === "notify" && parameter.indexOf("/") === parameter.lastIndexOf("/"))) return undefined;
  if (head === "orders" && parameter === undefined && method === "POST") return ["create", ""];
  if (head === "orders" && parameter !== undefined && parameter !== "" && (method === "GET" || method === "HEAD")) return ["status", parameter];
  if (head === "notify" && parameter !== undefined && parameter !== "" && method === "POST") return ["notify", parameter];
  return undefined;
}

export class PaybridgeHttp<Req> {
  readonly events: PaybridgeEvents;
  readonly store: OrderStore;
  readonly options: ResolvedOptions<Req>;
  /** refund, close, sweepExpired, stopSweeping: the same for every host. */
  readonly operations: PaybridgeOperations & MerchantOperations;
  readonly #engine: Engine | undefined;
  /** With `merchants`: one engine per merchant (src/engine/merchants.ts) instead of the one engine. */
  readonly #merchants: MerchantEngines | undefined;

  constructor(options: PaybridgeOptions<Req>) {
    this.options = validateOptions(options);
    // The engine hands `req` to resolveOrder untouched, whatever the host's type.
    const resolved = this.options as ResolvedOptions;
    if (resolved.merchants) {
      this.#merchants = new MerchantEngines(resolved, new EventEmitter() as PaybridgeEvents);
      this.operations = this.#merchants.operations();
      this.events = this.#merchants.events;
    } else {
      const engine = new Engine(resolved);
      this.#engine = engine;
      // Without merchants there is nothing cached to drop.
      this.operations = { ...engine.operations(), invalidateMerchant: () => {} };
      this.events = engine.events;
    }
    this.store = resolved.store;
  }

  /** The answer for a request, or undefined when it is not one of paybridge's routes. */
  async handle(request: CoreRequest<Req>): Promise<HttpAnswer | undefined> {
    const route = matchRoute(request.method, request.path, this.#merchants !== undefined);
    if (!route) return undefined;
    const [name, encoded] = route;
    try {
      let parameter: string;
      try {
        parameter = decodeURIComponent(encoded);
      } catch {
        throw new InvalidRequestError("malformed request URL", "path");
      }
      if (name === "create") return await this.#create(request);
      if (name === "status") return await this.#status(request, parameter);
      return await this.#notify(request, parameter);
    } catch (error) {
      if (error instanceof PaybridgeError) return errorAnswer(error);
      // Neither the message nor the stack leaves the server; the merchant's logger gets the Error.
      const { name: errorName, message } = error instanceof Error ? error : { name: typeof error, message: "" };
      this.options.logger.error("internal error", { method: request.method, path: request.path, error: errorName, reason: message, err: error });
      return INTERNAL_ERROR_ANSWER;
    }
  }

  async #create(request: CoreRequest<Req>): Promise<HttpAnswer> {
    const fault = createHeadersFault(request.header("content-type"), request.header("content-encoding"));
    if (fault !== undefined) {
      request.body.discard();
      throw new InvalidRequestError(fault, "body");
    }
    const body = await request.body.read(this.options.bodyLimit);
    if ("failure" in body) throw new InvalidRequestError(body.failure === "too_large" ? BODY_TOO_LARGE : BODY_UNREADABLE, "body");
    const fields = "bytes" in body ? parseJsonBody(body.bytes) : body.parsed;
    const parsed = parseCreateRequest(fields);
    const { httpStatus, body: created } = await (this.#merchants ?? (this.#engine as Engine)).create(parsed, request.native);
    return jsonAnswer(httpStatus, created);
  }

  async #status(request: CoreRequest<Req>, orderNo: string): Promise<HttpAnswer> {
    request.body.discard();
    return jsonAnswer(200, await (this.#merchants ?? (this.#engine as Engine)).status(orderNo, statusToken(request)));
  }

  async #notify(request: CoreRequest<Req>, parameter: string): Promise<HttpAnswer> {
    const slash = parameter.indexOf("/");
    const gateway = slash === -1 ? parameter : parameter.slice(0, slash);
    const merchantId = slash === -1 ? undefined : parameter.slice(slash + 1);
    const merchants = this.#merchants;
    const engine = this.#engine;
    // Several merchants: the merchant segment names whose key verifies; it is required.
    if (merchants ? merchantId === undefined : !engine?.hasGateway(gateway)) {
      request.body.discard();
      return textAnswer(404, "unknown gateway");
    }
    // Refused before verification: the single engine keeps it in the inbox without its bytes.
    const reject = async (reason: string): Promise<NotifyReply> =>
      merchants ? merchants.rejectNotify(gateway, merchantId, reason, request.headers()) : (engine as Engine).refuseNotify(gateway, reason, request.headers());
    const encoding = request.header("content-encoding");
    // No gateway compresses a notify: an encoded one is refused rather than inflated.
    if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
      request.body.discard();
      return replyAnswer(await reject(BODY_ENCODED));
    }
    const body: BodyResult = await request.body.read(this.options.bodyLimit);
    if ("parsed" in body) {
      // A body parser consumed the bytes the signature is over. Say so, and answer 500 so the
      // gateway retries once the merchant has fixed the mounting order.
      return replyAnswer({ ...(await reject(RAW_BODY_REQUIRED)), status: 500 });
    }
    if ("failure" in body) return replyAnswer(await reject(body.failure === "too_large" ? BODY_TOO_LARGE : BODY_UNREADABLE));
    const input = { rawBody: body.bytes, headers: request.headers() };
    return replyAnswer(await (merchants ? merchants.notify(gateway, merchantId, input) : (engine as Engine).notify(gateway, input)));
  }
}

/**
 * The status token: from the `x-paybridge-token` header (what the client sends), else from
 * `?token=` (links). Given twice in the query, it is no token.
 */
function statusToken(request: CoreRequest<unknown>): string | undefined {
  const header = request.header(STATUS_TOKEN_HEADER);
  if (header !== undefined) return header;
  const tokens = new URLSearchParams(request.query).getAll("token");
  return tokens.length === 1 ? tokens[0] : undefined;
}
