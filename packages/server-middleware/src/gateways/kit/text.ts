/** Reading text a gateway sent, and shaping the merchant's display text a gateway is sent. */

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
