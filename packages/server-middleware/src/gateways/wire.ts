/**
 * Gateway-neutral wire helpers the adapters share: signed requests, response JSON and
 * refusals, notify bodies and replies, WeChat launch parameters, amounts, timestamps, state
 * words. Nothing here names a gateway; each adapter passes its id.
 */
import type { WechatPayParams } from "@paybridge/shared";
import { GatewayError, NotifyRejectedError } from "../errors.js";
import type { Signer } from "../signing.js";
import type { GatewayRequest, GatewayResponse, NotifyInput, NotifyReply, QueryResult, VerifiedNotify } from "./types.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json; charset=utf-8" });

/** A JSON POST of `fields` with their signature added under the signer's sign field. */
export function signedJsonRequest(url: string, fields: JsonObject, signer: Signer): GatewayRequest {
  return { url, headers: JSON_HEADERS, body: JSON.stringify({ ...fields, [signer.rule.signField]: signer.sign(fields) }) };
}

/** A gateway's refusal: its own message when it sent one, else the HTTP status; with its code. */
export function gatewayRefusal(gateway: string, response: GatewayResponse, message: unknown, gatewayCode: string | undefined): GatewayError {
  return new GatewayError(gateway, textOf(message) ?? `${gateway} answered HTTP ${response.status} without a message`, { gatewayCode });
}

/** Throws a GatewayError unless the response fields carry a signature that verifies. */
export function verifyResponseSignature(gateway: string, signer: Signer, fields: JsonObject): void {
  if (!signer.verify(fields, fields[signer.rule.signField])) throw new GatewayError(gateway, `${gateway} response signature does not verify`);
}

/** A nested object that may arrive as an object or as its JSON text. */
export function nestedObject(value: unknown): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A non-empty string, or a finite number as its text; else undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A merchant's display text (a description) as a gateway is sent it: each lone surrogate made
 * U+FFFD (half a character can be neither signed as UTF-8 nor shown), then cut to at most `max`
 * UTF-16 code units (what the gateways count) without splitting a surrogate pair. Absent or
 * empty gives undefined. Only for text shown to the payer, never for a field with meaning.
 */
export function displayText(value: string | undefined, max?: number): string | undefined {
  if (value === undefined || value === "") return undefined;
  const text = value.replace(LONE_SURROGATE, "\uFFFD");
  if (max === undefined || text.length <= max) return text;
  // The last unit kept would be the first half of a pair: drop that half too.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return end > 0 ? text.slice(0, end) : undefined;
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

/** Leading white space, then `{`: tested in place, as `trimStart()` would copy the body. */
const JSON_OBJECT_START = /^\s*\{/;
const BYTE_ORDER_MARK = "\uFEFF";

/** A notify body read once: its fields, and the same fields as they are signed. */
export interface NotifyBody {
  fields: JsonObject;
  /**
   * What the signature covers: a JSON body's nested objects, arrays and numbers as the exact
   * text sent (never a re-serialisation), its strings as their decoded value; form fields as sent.
   */
  signable: JsonObject;
}

/**
 * A notify body: a JSON object, or application/x-www-form-urlencoded pairs (all strings). A
 * leading UTF-8 byte-order mark is dropped; a body that is a JSON object is read as JSON
 * whatever content type it came under (some gateways label JSON as a form). Anything else is
 * rejected.
 */
export function readNotifyBody(input: NotifyInput): NotifyBody {
  let text = input.rawBody.toString("utf8");
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(BYTE_ORDER_MARK.length);
  const isForm = (input.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
  if (JSON_OBJECT_START.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (!isForm) throw new NotifyRejectedError("notify body is not JSON");
    }
    if (parsed !== undefined) {
      if (!isJsonObject(parsed)) throw new NotifyRejectedError("notify body is not a JSON object");
      // Only a value that is not a string (nor null) is signed as its source text: scan for those alone.
      const verbatim = Object.values(parsed).some((value) => typeof value !== "string" && value !== null);
      return { fields: parsed, signable: verbatim ? signableJson(parsed, rawJsonMembers(text)) : parsed };
    }
  }
  const fields: JsonObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // Frameworks disagree on a repeated key (first, last, joined): a signed form never needs one.
    if (Object.hasOwn(fields, key)) throw new NotifyRejectedError("notify form repeats a field");
    Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (Object.keys(fields).length === 0) throw new NotifyRejectedError("notify body is empty");
  return { fields, signable: fields };
}

/** A notify body's fields (see readNotifyBody). */
export function notifyFields(input: NotifyInput): JsonObject {
  return readNotifyBody(input).fields;
}

function signableJson(fields: JsonObject, raw: ReadonlyMap<string, string>): JsonObject {
  // fromEntries defines own properties: a `__proto__` key stays a field, never a prototype.
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => {
      const text = raw.get(key);
      return [key, typeof value === "string" || value === null || text === undefined ? value : text];
    }),
  );
}

/**
 * The exact source text of each top-level member's value in a JSON object text already known
 * to parse. A scanner, not a parser: it only finds where each value ends.
 */
export function rawJsonMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let at = text.indexOf("{") + 1;
  // JSON's white space: space, tab, line feed, carriage return.
  const skipSpace = (): void => {
    for (let code = text.charCodeAt(at); code === 32 || code === 9 || code === 10 || code === 13; code = text.charCodeAt(at)) at += 1;
  };
  const stringEnd = (from: number): number => {
    let i = from + 1;
    for (let code = text.charCodeAt(i); i < text.length && code !== 34; code = text.charCodeAt(i)) i += code === 92 ? 2 : 1;
    return i + 1;
  };
  for (;;) {
    skipSpace();
    if (text[at] !== '"') return members;
    const keyEnd = stringEnd(at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = keyEnd;
    skipSpace();
    at += 1; // the colon
    skipSpace();
    const valueStart = at;
    let depth = 0;
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        at = stringEnd(at);
        if (depth === 0) break;
        continue;
      }
      if (char === "{" || char === "[") depth += 1;
      else if (char === "}" || char === "]") {
        if (depth === 0) break;
        depth -= 1;
        if (depth === 0) {
          at += 1;
          break;
        }
      } else if (char === "," && depth === 0) break;
      at += 1;
    }
    members.set(key, text.slice(valueStart, at).trimEnd());
    skipSpace();
    if (text[at] !== ",") return members;
    at += 1;
  }
}

/** A notify's fields, once the signature they carry verifies over them as sent; a NotifyRejectedError otherwise. */
export function signedNotifyFields(gateway: string, input: NotifyInput, signer: Signer): JsonObject {
  const { fields, signable } = readNotifyBody(input);
  if (!signer.verify(signable, fields[signer.rule.signField])) throw new NotifyRejectedError(`${gateway} notify signature does not verify`);
  return fields;
}

/** A notify field that must be present and non-empty. */
export function requiredNotifyText(source: JsonObject, key: string): string {
  const text = textOf(source[key]);
  if (text === undefined) throw new NotifyRejectedError(`notify lacks ${key}`);
  return text;
}

/**
 * A notify or query answer that names a merchant (mch_no, store_id, customerNo, ...) must name
 * the configured one: a genuine signature from another merchant of the same platform is not ours.
 * Absent is accepted (the gateway did not say); present and different is rejected.
 */
export function checkMerchant(gateway: string, field: string, value: unknown, configured: string, fail: (message: string) => Error): void {
  if (value === undefined || value === null || value === "") return;
  if (String(value) !== configured) throw fail(`${gateway} ${field} does not name the configured merchant`);
}

/** Runs a money conversion, turning its RangeError into the caller's error. */
export function convertAmount<T>(convert: () => T, fail: (message: string) => Error): T {
  try {
    return convert();
  } catch (error) {
    throw fail(error instanceof Error ? error.message : "unreadable amount");
  }
}

const WECHAT_PARAM_KEYS = ["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"] as const;

/**
 * WeChat JSAPI / mini-program launch parameters. The six the bridge needs must be present;
 * other scalar fields pass through unchanged (some gateways add their own).
 */
export function wechatParams(gateway: string, source: JsonObject): WechatPayParams {
  const params: WechatPayParams = { appId: "", timeStamp: "", nonceStr: "", package: "", signType: "", paySign: "" };
  for (const [key, value] of Object.entries(source)) {
    // `__proto__` from JSON.parse is an own key; assigning it would change the prototype.
    if (key !== "__proto__" && (value === null || ["string", "number", "boolean"].includes(typeof value))) {
      params[key] = value as string | number | boolean | null;
    }
  }
  for (const key of WECHAT_PARAM_KEYS) params[key] = requiredResponseText(gateway, source, key);
  return params;
}

/** A Unix timestamp in seconds, 10 digits; a 13-digit milliseconds value is cut to seconds. */
export function secondsTimestamp(gateway: string, value: string): string {
  if (/^\d{10}$/.test(value)) return value;
  if (/^\d{13}$/.test(value)) return value.slice(0, 10);
  throw new GatewayError(gateway, `${gateway} sent a timeStamp that is neither seconds nor milliseconds`);
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const GATEWAY_TIME = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/;

/** `yyyyMMddHHmmss` in Asia/Shanghai (UTC+8 all year) for a moment. */
export function shanghaiCompactTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 14);
}

/**
 * A gateway time in Asia/Shanghai (`yyyyMMddHHmmss` or `yyyy-MM-dd HH:mm:ss`) as ISO 8601 UTC;
 * undefined when absent or in another form (the time is informative, never decisive).
 */
export function shanghaiTimeToIso(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = GATEWAY_TIME.exec(value);
  if (!m) return undefined;
  // Each group by itself, not match.map(Number): this runs on every notify.
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - SHANGHAI_OFFSET_MS;
  return Number.isNaN(utc) ? undefined : new Date(utc).toISOString();
}

/** An order state a gateway reports, by the gateway's own word for it. */
export type GatewayStatusTable = Readonly<Record<string, QueryResult["status"]>>;

/** The state a gateway's word means, or undefined for a word the table does not know. */
export function statusOf(table: GatewayStatusTable, word: unknown): QueryResult["status"] | undefined {
  return typeof word === "string" && Object.hasOwn(table, word) ? table[word] : undefined;
}

/** A notify's outcome: a closed order is, to the notify route, a failed payment. */
export function notifyOutcome(status: QueryResult["status"]): VerifiedNotify["outcome"] {
  return status === "closed" ? "failed" : status;
}

/** `base` + `path`, with exactly one slash between. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A notify answer in plain text. */
export function plainTextReply(status: number, body: string): NotifyReply {
  return Object.freeze({ status, contentType: "text/plain; charset=utf-8", body });
}

/**
 * A page the browser is sent to. Only the given schemes are accepted (never `javascript:`),
 * by default http(s).
 */
export function redirectUrl(gateway: string, value: unknown, key: string, schemes: readonly string[] = ["https:", "http:"]): string {
  const text = textOf(value);
  if (text !== undefined && URL.canParse(text) && schemes.includes(new URL(text).protocol)) return text;
  throw new GatewayError(gateway, `${gateway} response lacks a ${schemes.join(" / ")} URL in ${key}`);
}
