/**
 * The one rule for a gateway's id, for the adapters' settings and the core's options alike:
 * the id is a path segment of the notify URL ({mount}/notify/{id}) and a routing key, so it is
 * short and URL-safe.
 */
import { ConfigError } from "../../errors.js";

export const GATEWAY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** `id` when it is a valid gateway id; else a ConfigError naming `option` (the id is not echoed). */
export function checkGatewayId(id: unknown, option: string): string {
  if (typeof id !== "string" || !GATEWAY_ID_PATTERN.test(id)) throw new ConfigError(option, "must be 1-32 letters, digits, _ or -");
  return id;
}
