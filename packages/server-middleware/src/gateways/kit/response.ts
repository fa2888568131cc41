/**
 * Reading a gateway's answer: its body as a JSON object, its refusal, its signature, the
 * fields it must carry. Every failure is a GatewayError naming the gateway.
 */
import { GatewayError } from "../../errors.js";
import type { GatewayResponse } from "../contract.js";
import { isJsonObject, nestedObject, type JsonObject } from "./json.js";
import type { Signer } from "./signing.js";
import { textOf } from "./text.js";

/** The response body as a JSON object; anything else is a GatewayError. */
export function responseObject(gateway: string, response: GatewayResponse): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new GatewayError(gateway, `${gateway} answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (!isJsonObject(parsed)) throw new GatewayError(gateway, `${gateway} answered with JSON that is not an object`);
  return parsed;
}

/** A gateway's refusal: its own message when it sent one, else the HTTP status; with its code. */
export function gatewayRefusal(gateway: string, response: GatewayResponse, message: unknown, gatewayCode: string | undefined): GatewayError {
  return new GatewayError(gateway, textOf(message) ?? `${gateway} answered HTTP ${response.status} without a message`, { gatewayCode });
}

/** Throws a GatewayError unless the response fields carry a signature that verifies. */
export function verifyResponseSignature(gateway: string, signer: Signer, fields: JsonObject): void {
  if (!signer.verify(fields, fields[signer.rule.signField])) throw new GatewayError(gateway, `${gateway} response signature does not verify`);
}

/** A field the gateway must have sent: a GatewayError names it otherwise. */
export function requiredResponseText(gateway: string, source: JsonObject, key: string): string {
  const text = textOf(source[key]);
  if (text === undefined) throw new GatewayError(gateway, `${gateway} response lacks ${key}`);
  return text;
}

/** A nested object the gateway must have sent: a GatewayError names it otherwise. */
export function requiredResponseObject(gateway: string, source: JsonObject, key: string): JsonObject {
  const nested = nestedObject(source[key]);
  if (nested === undefined) throw new GatewayError(gateway, `${gateway} response lacks ${key}`);
  return nested;
}
