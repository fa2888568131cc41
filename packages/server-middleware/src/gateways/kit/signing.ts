/**
 * The signing rule shared by the aggregated-payment gateways (WeChat Pay v2 convention):
 * take the fields, drop some values, sort keys ASCII ascending, join `k=v` with `&`, append
 * the secret, hash, hex. Every part is a setting because each gateway varies one of them.
 * Knows nothing of HTTP or of any gateway; adapters and the sandbox both build on it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { registerSecret } from "../../redact.js";

export interface SignRule {
  /**
   * Which values are left out of the signed string:
   * `"empty"` drops null, undefined and "" (the common convention);
   * `"null"` drops null and undefined but signs "" (xiangma);
   * `"none"` signs every present key, null as the empty string.
   */
  skip: "empty" | "null" | "none";
  /** Text between the joined pairs and the secret: `"&key="` (common), `""` (fubei). */
  secretJoiner: string;
  hexCase: "lower" | "upper";
  /** The hash. */
  algorithm: "md5" | "sha256";
  /** The name of the signature field, never itself signed. */
  signField: string;
  /** Sign only these keys (fubei's envelope); by default every key but `signField`. */
  fields?: readonly string[];
}

/** The common convention: skip empty, `&key=`, MD5, upper-case hex, field `sign`. */
export const COMMON_SIGN_RULE: SignRule = {
  skip: "empty",
  secretJoiner: "&key=",
  hexCase: "upper",
  algorithm: "md5",
  signField: "sign",
};

/** Fields as they are sent; nested objects are signed as their JSON text. */
export type SignableFields = Readonly<Record<string, unknown>>;

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

function isSkipped(value: unknown, skip: SignRule["skip"]): boolean {
  if (value === undefined) return true;
  if (skip === "none") return false;
  if (value === null) return true;
  return skip === "empty" && value === "";
}

/** The `k=v&k=v` string that is hashed, without the secret. Exposed for debugging a rule. */
export function canonicalString(fields: SignableFields, rule: SignRule): string {
  const keys = (rule.fields ?? Object.keys(fields))
    .filter((key) => key !== rule.signField && Object.prototype.hasOwnProperty.call(fields, key))
    .filter((key) => !isSkipped(fields[key], rule.skip))
    // ASCII ascending: compare code units, not locale.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => `${key}=${valueText(fields[key])}`).join("&");
}

export function computeSign(fields: SignableFields, rule: SignRule, secret: string): string {
  const hex = createHash(rule.algorithm)
    .update(canonicalString(fields, rule) + rule.secretJoiner + secret, "utf8")
    .digest("hex");
  return rule.hexCase === "upper" ? hex.toUpperCase() : hex;
}

/**
 * Constant-time check of `signature` against the fields. Hex case is not significant
 * (it carries no information), so both sides are compared lower-cased.
 */
export function verifySign(fields: SignableFields, rule: SignRule, secret: string, signature: unknown): boolean {
  if (typeof signature !== "string" || signature.length === 0) return false;
  const expected = Buffer.from(computeSign(fields, rule, secret).toLowerCase(), "utf8");
  const given = Buffer.from(signature.toLowerCase(), "utf8");
  // Length is not secret (it is the hash's), so an early return leaks nothing.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given);
}

/** A rule bound to a secret. The secret lives only in this closure: it is never a property. */
export interface Signer {
  sign(fields: SignableFields): string;
  verify(fields: SignableFields, signature: unknown): boolean;
  readonly rule: Readonly<SignRule>;
}

/**
 * `previousSecrets`: a key rotation window. The new `secret` signs; a signature under it or under
 * any previous one verifies (the gateway may still sign with the old key until it switches).
 */
export function createSigner(secret: string, rule: SignRule, previousSecrets: readonly string[] = []): Signer {
  // Gateway text that echoes what we signed is redacted of these secrets before it is kept.
  registerSecret(secret);
  for (const previous of previousSecrets) registerSecret(previous);
  const frozen = Object.freeze({ ...rule, fields: rule.fields ? Object.freeze([...rule.fields]) : undefined });
  const verifying = [secret, ...previousSecrets];
  return {
    rule: frozen,
    sign: (fields) => computeSign(fields, frozen, secret),
    // Every key is tried (no early exit), so the time does not say which one matched.
    verify: (fields, signature) => verifying.reduce((valid, key) => verifySign(fields, frozen, key, signature) || valid, false),
  };
}
