/**
 * Reading a notify: its body (JSON or a form) once, the fields as they are signed, the
 * signature check over them, the fields a notify must carry. Failures are NotifyRejectedError.
 */
import { NotifyRejectedError } from "../../errors.js";
import type { NotifyInput } from "../contract.js";
import { isJsonObject, rawJsonMembers, type JsonObject } from "./json.js";
import type { Signer } from "./signing.js";
import { textOf } from "./text.js";

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
