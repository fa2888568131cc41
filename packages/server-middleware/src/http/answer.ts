/**
 * What the HTTP core answers, independent of Express or the fetch API: a status, headers and
 * a text body. The Express router writes it with `res.writeHead`, the web handler as a `Response`.
 */
import { PaybridgeError } from "../errors.js";
import type { NotifyReply } from "../gateways/contract.js";

export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** A JSON answer; nothing paybridge answers in JSON may be cached (status tokens, order state). */
export function jsonAnswer(status: number, body: unknown): HttpAnswer {
  return { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, body: JSON.stringify(body) };
}

export function errorAnswer(error: PaybridgeError): HttpAnswer {
  return jsonAnswer(error.status, error.toBody());
}

export const INTERNAL_ERROR_ANSWER: HttpAnswer = jsonAnswer(500, { error: { code: "internal", message: "internal error" } });

/** The gateway's answer exactly as the adapter declares it. */
export function replyAnswer(reply: NotifyReply): HttpAnswer {
  return { status: reply.status, headers: { "content-type": reply.contentType }, body: reply.body };
}

export function textAnswer(status: number, text: string): HttpAnswer {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: text };
}
