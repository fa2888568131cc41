/** Building what is sent to a gateway: signed JSON bodies and per-request nonces. */
import { randomBytes } from "node:crypto";
import type { GatewayRequest } from "../contract.js";
import type { JsonObject } from "./json.js";
import type { Signer } from "./signing.js";

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json; charset=utf-8" });

/** A JSON POST of `fields` with their signature added under the signer's sign field. */
export function signedJsonRequest(url: string, fields: JsonObject, signer: Signer): GatewayRequest {
  return { url, headers: JSON_HEADERS, body: JSON.stringify({ ...fields, [signer.rule.signField]: signer.sign(fields) }) };
}

/** 32 random hex characters: a nonce, or a request's own id where each request must be unique. */
export function requestNonce(): string {
  return randomBytes(16).toString("hex");
}
