/**
 * Which mutated notifies a correct server may accept: those whose signed content is the
 * original's, key by key. That is exactly what a signature can tell apart, so excluding these
 * weakens nothing:
 * - whitespace outside strings, escapes (`\u0041` for `A`), duplicate keys whose last value is
 *   the original, number spellings (`1e2` for `100`): the parsed JSON is identical;
 * - the sign's hex case: signing.ts compares hex case-insensitively by design (case carries no
 *   information, so a re-cased signature is the same signature);
 * - a scalar whose signed text is unchanged (`100` for `"100"`) and a value the rule skips
 *   (`null`, and `""` where the rule drops empty values) added or removed: the gateway signed
 *   the text, so these are the same message to it.
 * A merged or split field (`"a":"1&b=2"` for `"a":"1","b":"2"`) gives the same signed string
 * but a different key set, so it is NOT counted as equivalent.
 */
import { canonicalString, type SignRule } from "../../../packages/server-middleware/src/gateways/kit/signing.js";
import { parseNotifyBody } from "./notify-body.js";

type JsonObject = Record<string, unknown>;

function parseObject(text: string): JsonObject | null {
  // JSON, or a form (fubei): the server reads both; a form repeating a key is never equivalent.
  return parseNotifyBody(text);
}

/** key → the `k=v` text the rule signs for it; keys the rule skips are absent. */
function signedPairs(fields: JsonObject, rule: SignRule): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const key of Object.keys(fields)) {
    if (key === rule.signField) continue;
    const pair = canonicalString({ [key]: fields[key] }, { ...rule, fields: undefined });
    if (pair !== "") pairs.set(key, pair);
  }
  return pairs;
}

export function isSignedEquivalent(original: string, mutated: Buffer, rule: SignRule): boolean {
  const before = parseObject(original);
  // The server decodes the raw bytes as UTF-8 (invalid sequences become U+FFFD), so do the same.
  const after = parseObject(mutated.toString("utf8"));
  if (!before || !after) return false;
  const signBefore = before[rule.signField];
  const signAfter = after[rule.signField];
  if (typeof signBefore !== "string" || typeof signAfter !== "string") return false;
  if (signBefore.toLowerCase() !== signAfter.toLowerCase()) return false;
  const pairsBefore = signedPairs(before, rule);
  const pairsAfter = signedPairs(after, rule);
  if (pairsBefore.size !== pairsAfter.size) return false;
  for (const [key, pair] of pairsBefore) if (pairsAfter.get(key) !== pair) return false;
  return true;
}
