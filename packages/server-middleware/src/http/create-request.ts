/**
 * The create route's request, checked before any of it reaches the order service: its
 * headers (JSON, UTF-8, not encoded), its bytes (valid UTF-8 JSON) and each field (the
 * error names the first field at fault).
 */
import { CHANNELS, SCENES, isChannel, isScene, type CreateOrderRequest } from "@paybridge/shared";
import { checkOptionalText, checkOrderNo, checkWellFormed } from "../engine/input.js";
import { InvalidRequestError } from "../errors.js";

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
  for (const [field, value] of Object.entries(fields)) checkWellFormed(value, field);
  const { channel, scene } = fields;
  const orderNo = checkOrderNo(fields.orderNo);
  if (channel !== undefined && !isChannel(channel)) throw new InvalidRequestError(`channel must be one of ${CHANNELS.join(", ")}`, "channel");
  if (scene !== undefined && !isScene(scene)) throw new InvalidRequestError(`scene must be one of ${SCENES.join(", ")}`, "scene");
  const openId = checkOptionalText(fields.openId, "openId", 128);
  const appId = checkOptionalText(fields.appId, "appId", 64);
  return {
    orderNo,
    ...(channel !== undefined ? { channel } : {}),
    ...(scene !== undefined ? { scene } : {}),
    ...(openId !== undefined ? { openId } : {}),
    ...(appId !== undefined ? { appId } : {}),
  };
}
