/** URLs: where a request goes, and a page a gateway sends the payer's browser to. */
import { GatewayError } from "../../errors.js";
import { textOf } from "./text.js";

/** `base` + `path`, with exactly one slash between. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
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
