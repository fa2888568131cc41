/** The HTTP answers a gateway expects to its notify, frozen: one reply object serves every notify. */
import type { NotifyReply } from "../contract.js";
import type { JsonObject } from "./json.js";

/** A notify answer in plain text. */
export function plainTextReply(status: number, body: string): NotifyReply {
  return Object.freeze({ status, contentType: "text/plain; charset=utf-8", body });
}

/** A notify answer as a JSON object. */
export function jsonReply(status: number, fields: JsonObject): NotifyReply {
  return Object.freeze({ status, contentType: "application/json; charset=utf-8", body: JSON.stringify(fields) });
}
