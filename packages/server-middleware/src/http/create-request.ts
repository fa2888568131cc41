/**
 * The create route's request, checked before any of it reaches the order service: its
 * headers (JSON, UTF-8, not encoded), its bytes (valid UTF-8 JSON) and each field (the
 * error names the first field at fault).
 */
import { CHANNELS, SCENES, isChannel, isScene, type CreateOrderRequest } from "@paybridge/shared";
import { InvalidRequestError } from "../errors.js";

/** Letters, digits and _-.|*@, but not `.` or `..`: the status URL of those normalises away. */
const ORDER_NO = /^(?!\.\.?$)[A-Za-z0-9_\-.|*@]{1,64}$/;
/** A lone UTF-16 surrogate: in a `u` regex a well-formed pair is one code point, never Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Why the create route refuses a request by its headers, before reading the body; undefined when it does not. */
export function createHeadersFault(contentType: string | undefined, contentEncoding: string | undefined): string | undefined {
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== "identity") {
    return "body must not be encoded (Content-Encoding)";
  }
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  if (mediaType.trim().toLowerCase() !== "application/json") return "body must be JSON (Content-Type: application/json)";
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return "body must be UTF-8 (charset=utf-8)";
  }
  return undefined;
}

/** The body's bytes as JSON; 400 naming `body` when they are not valid UTF-8 JSON. */
export function parseJsonBody(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InvalidRequestError("body is not valid UTF-8", "body");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestError("body is not valid JSON", "body");
  }
}

/** The create request, checked field by field; the error names the first field at fault. */
export function parseCreateRequest(body: unknown): CreateOrderRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("body must be a JSON object", "body");
  }
  const fields = body as Record<string, unknown>;
  // Stored strings must be well-formed: a lone surrogate cannot be encoded as UTF-8.
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === "string" && LONE_SURROGATE.test(value)) {
      throw new InvalidRequestError(`${field} must be well-formed text (it has a lone UTF-16 surrogate)`, field);
    }
  }
  const { orderNo, channel, scene, openId, appId } = fields;
  if (typeof orderNo !== "string" || !ORDER_NO.test(orderNo)) {
    throw new InvalidRequestError("orderNo must be 1-64 letters, digits or _-.|*@, and not . or ..", "orderNo");
  }
  if (channel !== undefined && !isChannel(channel)) throw new InvalidRequestError(`channel must be one of ${CHANNELS.join(", ")}`, "channel");
  if (scene !== undefined && !isScene(scene)) throw new InvalidRequestError(`scene must be one of ${SCENES.join(", ")}`, "scene");
  checkText(openId, "openId", 128);
  checkText(appId, "appId", 64);
  return {
    orderNo,
    ...(channel !== undefined ? { channel } : {}),
    ...(scene !== undefined ? { scene } : {}),
    ...(openId !== undefined ? { openId } : {}),
    ...(appId !== undefined ? { appId } : {}),
  };
}

function checkText(value: unknown, field: string, maxLength: number): asserts value is string | undefined {
  if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > maxLength)) {
    throw new InvalidRequestError(`${field} must be a string of 1-${maxLength} characters`, field);
  }
}
