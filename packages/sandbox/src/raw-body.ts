/**
 * The simulators read raw bodies (express.raw). A body parser the merchant mounted before
 * the sandbox may have read them first; then the request's bytes are taken from what it
 * left, and the merchant is told once that the parser runs before the sandbox (the paybridge
 * router's notify route cannot do without the bytes; the simulators only need the fields).
 */
import type { RequestHandler } from "express";
import type { SandboxLogger } from "./notifier.js";

export const PARSED_BEFORE_SANDBOX =
  "a body parser (express.json() / express.urlencoded()) read the request before the sandbox: mount createSandbox() before it; " +
  "the sandbox rebuilt the body from the parsed fields";

interface ParsedRequest {
  body?: unknown;
  rawBody?: unknown;
  _body?: unknown;
  readableEnded: boolean;
}

/** Before express.raw: hands it the bytes when another parser already consumed the stream. */
export function recoverParsedBody(logger: SandboxLogger | undefined): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    const request = req as unknown as ParsedRequest;
    const consumed = request.readableEnded || request._body === true;
    if (!consumed || Buffer.isBuffer(request.body)) return next();
    // express.json({ verify }) kept the bytes: exact.
    if (Buffer.isBuffer(request.rawBody)) {
      request.body = request.rawBody;
    } else if (typeof request.body === "string") {
      request.body = Buffer.from(request.body, "utf8");
    } else if (typeof request.body === "object" && request.body !== null) {
      const form = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
      const fields = request.body as Record<string, string>;
      request.body = Buffer.from(form ? new URLSearchParams(fields).toString() : JSON.stringify(fields), "utf8");
    } else return next();
    if (!warned) {
      warned = true;
      if (logger) logger.warn(`paybridge sandbox: ${PARSED_BEFORE_SANDBOX}`, { path: req.originalUrl });
      else process.emitWarning(PARSED_BEFORE_SANDBOX, { code: "PAYBRIDGE_SANDBOX_BODY_PARSED" });
    }
    next();
  };
}
