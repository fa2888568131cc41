/**
 * Node's IncomingMessage as a CoreRequest: its bytes read here, or, when a body parser got
 * to them first, what that parser left (its raw-body copy, or only its parsed value).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NotifyInput } from "../gateways/contract.js";
import type { HttpAnswer } from "./answer.js";
import { NO_BODY, chunkCollector, declaredOver, type BodyResult, type BodySource } from "./body.js";
import type { CoreRequest } from "./core.js";

/** What body parsers leave on a request: `body` (their value), `rawBody` (the `verify` escape hatch), `_body` (body-parser's "read" flag). */
interface ParsedRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
  _body?: unknown;
}

export function nodeCoreRequest<Req extends IncomingMessage>(req: Req, path: string, query: string): CoreRequest<Req> {
  return {
    method: req.method ?? "GET",
    path,
    query,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    headers: () => headersOf(req),
    body: nodeBody(req),
    native: req,
  };
}

function nodeBody(req: ParsedRequest): BodySource {
  return {
    read: (limit) => {
      // The merchant kept the exact bytes (express.json({ verify }) storing `req.rawBody`, or express.raw()).
      const kept = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.isBuffer(req.body) ? req.body : undefined;
      if (kept) return Promise.resolve(kept.length > limit ? { failure: "too_large" } : { bytes: kept });
      // body-parser leaves the stream unread when the content type is not its own (Express 4's
      // parsers still set `req.body = {}`): the bytes are all still here.
      if (!req.readableEnded && req._body !== true) return readStream(req, limit);
      return Promise.resolve(req.body !== undefined ? { parsed: req.body } : { bytes: NO_BODY });
    },
    discard: () => {
      if (!req.readableEnded) req.resume();
    },
  };
}

/** The request's bytes exactly as they arrived, at most `limit` (declared or streamed). */
function readStream(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (declaredOver(req.headers["content-length"], limit)) {
    req.resume(); // drained, so the connection stays usable
    return Promise.resolve({ failure: "too_large" });
  }
  return new Promise((resolve) => {
    const collector = chunkCollector(limit);
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (collector.add(chunk)) return;
      req.removeListener("data", onData).resume();
      settle({ failure: "too_large" });
    };
    req.on("data", onData);
    req.on("end", () => settle({ bytes: collector.bytes() }));
    // An aborted request is an error too.
    req.on("error", () => settle({ failure: "unreadable" }));
    req.on("close", () => settle({ failure: "unreadable" }));
  });
}

/** The request's headers as they are, unless one is a list (Node keeps only set-cookie so): then joined in a copy. */
function headersOf(req: IncomingMessage): NotifyInput["headers"] {
  const { headers } = req;
  for (const name in headers) {
    if (Array.isArray(headers[name])) {
      return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(", ") : value]));
    }
  }
  // No list among them, as just checked; the type cannot say so.
  return headers as NotifyInput["headers"];
}

/** Writes an answer as is: no ETag, no charset rewriting. */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) }).end(answer.body);
}
