/**
 * The fetch API's Request → core request, and the core's answer → Response: what the web
 * handler (src/web.ts) hands to the HTTP core, as src/http/node.ts does for Node's requests.
 */
import type { HttpAnswer } from "./answer.js";
import { chunkCollector, declaredOver, type BodyResult, type BodySource } from "./body.js";
import type { CoreRequest } from "./core.js";

/** `request` as the core reads it; `path` is below the mount path, `query` without `?`. */
export function fetchCoreRequest(request: Request, path: string, query: string): CoreRequest<Request> {
  return {
    method: request.method,
    path,
    query,
    header: (name) => request.headers.get(name) ?? undefined,
    headers: () => Object.fromEntries(request.headers),
    body: fetchBody(request),
    native: request,
  };
}

export function toResponse(answer: HttpAnswer, method: string): Response {
  return new Response(method === "HEAD" ? null : answer.body, { status: answer.status, headers: answer.headers });
}

function fetchBody(request: Request): BodySource {
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
