/**
 * `paybridgeHandler(options)`: the HTTP contract as a web-standard `(Request) => Promise<Response>`
 * handler, for Next.js route handlers, Hono, Bun, Deno and service workers. Every check is the
 * Express router's own: both hand the request to the same HTTP core (src/http/core.ts).
 *
 * It needs no Express. It answers the routes below the path of `publicUrl` (or `basePath`),
 * and 404 for anything else.
 */
import { PaybridgeHttp } from "./http/core.js";
import { chunkCollector, declaredOver, type BodyResult, type BodySource } from "./http/body.js";
import type { HttpAnswer } from "./http/answer.js";
import type { OrderStore } from "./store/contract.js";
import type { MerchantOperations, PaybridgeEvents, PaybridgeOperations, PaybridgeOptions } from "./types.js";

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
  const base = (basePath ?? new URL(core.options.publicUrl).pathname).replace(/\/+$/, "");
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const inside = url.pathname === base || url.pathname.startsWith(`${base}/`);
    const answer = inside
      ? await core.handle({
          method: request.method,
          path: url.pathname.slice(base.length),
          query: url.search.slice(1),
          header: (name) => request.headers.get(name) ?? undefined,
          headers: () => Object.fromEntries(request.headers),
          body: webBody(request),
          native: request,
        })
      : undefined;
    return toResponse(answer ?? { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "not found" }, request.method);
  };
  return Object.assign(handler, { events: core.events, store: core.store }, core.operations);
}

function webBody(request: Request): BodySource {
  const discard = (): void => {
    if (request.body && !request.bodyUsed) request.body.cancel().catch(() => {});
  };
  return {
    discard,
    async read(limit) {
      if (declaredOver(request.headers.get("content-length") ?? undefined, limit)) {
        discard();
        return { failure: "too_large" };
      }
      if (!request.body) return { bytes: Buffer.alloc(0) };
      if (request.bodyUsed) return { failure: "unreadable" };
      return readStream(request.body, limit);
    },
  };
}

async function readStream(stream: ReadableStream<Uint8Array>, limit: number): Promise<BodyResult> {
  const reader = stream.getReader();
  const collector = chunkCollector(limit);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: collector.bytes() };
      if (!collector.add(value)) {
        reader.cancel().catch(() => {});
        return { failure: "too_large" };
      }
    }
  } catch {
    return { failure: "unreadable" };
  }
}

function toResponse(answer: HttpAnswer, method: string): Response {
  return new Response(method === "HEAD" ? null : answer.body, { status: answer.status, headers: answer.headers });
}
