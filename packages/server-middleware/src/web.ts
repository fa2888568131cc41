/**
 * `paybridgeHandler(options)`: the HTTP contract as a web-standard `(Request) => Promise<Response>`
 * handler, for Next.js route handlers, Hono, Bun, Deno and service workers. Every check is the
 * Express router's own: both hand the request to the same HTTP core (src/http/core.ts).
 *
 * It needs no Express, nor its types: this entry also exports everything else the root does
 * (adapters, stores, errors, signing, types) except the Express router, so a Next.js or Hono
 * project imports from `@paybridge/server-middleware/web` alone. It answers the routes below the
 * path of `publicUrl` (or `basePath`), and 404 for anything else.
 */
import { PaybridgeHttp } from "./http/core.js";
import { fetchCoreRequest, toResponse } from "./http/fetch.js";
import type { OrderStore } from "./store/contract.js";
import type { MerchantOperations, PaybridgeEvents, PaybridgeOperations, PaybridgeOptions as HostOptions, ResolveOrderInput as HostResolveOrderInput } from "./types.js";

export * from "./exports.js";

/** The options of the web handler: resolveOrder is handed the fetch API's `Request`. */
export type PaybridgeOptions<Req = Request> = HostOptions<Req>;
/** What resolveOrder is asked about; `req` is the fetch API's Request under the web handler. */
export type ResolveOrderInput<Req = Request> = HostResolveOrderInput<Req>;

export interface PaybridgeHandlerOptions extends PaybridgeOptions<Request> {
  /**
   * The path the routes sit under in the request's URL, e.g. `/api/pay` for
   * `/api/pay/orders`. Default: the path of `publicUrl`.
   */
  basePath?: string | undefined;
}

export interface PaybridgeHandler extends PaybridgeOperations, MerchantOperations {
  (request: Request): Promise<Response>;
  /** order.created, order.paid, order.failed, notify.rejected, gateway.error, refund.succeeded, refund.failed. */
  readonly events: PaybridgeEvents;
  /** The order store in use. */
  readonly store: OrderStore;
}

export function paybridgeHandler(options: PaybridgeHandlerOptions): PaybridgeHandler {
  const { basePath, ...coreOptions } = options;
  const core = new PaybridgeHttp<Request>(coreOptions);
  // Matched regardless of case, as Express matches a mount path by default.
  const base = (basePath ?? new URL(core.options.publicUrl).pathname).replace(/\/+$/, "").toLowerCase();
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.toLowerCase();
    const inside = path === base || path.startsWith(`${base}/`);
    const answer = inside ? await core.handle(fetchCoreRequest(request, url.pathname.slice(base.length), url.search.slice(1))) : undefined;
    return toResponse(answer ?? { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "not found" }, request.method);
  };
  return Object.assign(handler, { events: core.events, store: core.store }, core.operations);
}
