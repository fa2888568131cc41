/**
 * The settings every adapter factory takes (id, signing-rule overrides, response-signature
 * check, state words, paths), checked at once: a bad one throws ConfigError naming
 * `gateways.<id>.<option>`, never echoing a value.
 */
import { ConfigError } from "../../errors.js";
import { checkGatewayId } from "./gateway-id.js";
import { isJsonObject } from "./json.js";
import type { GatewayStatusTable } from "./results.js";
import type { SignRule } from "./signing.js";

/** Settings every adapter takes. */
export interface GatewayConfigBase {
  /** The id used in routing and in the notify path; default the gateway's id. */
  id?: string | undefined;
  /** Overrides of the gateway's default signing rule (see docs/gateways.md). */
  signRule?: Partial<SignRule> | undefined;
  /** Check the signature a response carries (default true). */
  verifyResponseSign?: boolean | undefined;
  /** Overrides of how the gateway's order-state words read (e.g. `{ PAYING: "pending" }`). */
  statuses?: GatewayStatusTable | undefined;
  /**
   * Key rotation: the keys being replaced, still accepted on what the gateway signs (notifies,
   * responses) while the new `key` signs everything sent. At most 3. See docs/gateways.md.
   */
  previousKeys?: readonly string[] | undefined;
}

/** What every factory reads from the common settings, checked. */
export interface BaseSettings {
  id: string;
  /** `gateways.<id>.<name>`: how a ConfigError names an option. */
  option: (name: string) => string;
  verifyResponseSign: boolean;
  statuses: GatewayStatusTable;
  /** Checked: at most 3 non-empty strings. */
  previousKeys: readonly string[];
}

/** Keys a rotation still accepts; more would mean old keys never retired. */
const MAX_PREVIOUS_KEYS = 3;

export function baseSettings(config: GatewayConfigBase, gateway: string, statuses: GatewayStatusTable): BaseSettings {
  // Checked at run time too: configuration often comes from untyped JavaScript or JSON.
  if (!isJsonObject(config as unknown)) throw new ConfigError(`gateways.${gateway}`, "must be an object");
  const id = checkGatewayId(config.id ?? gateway, `gateways.${gateway}.id`);
  const option = (name: string): string => `gateways.${id}.${name}`;
  for (const name of ["signRule", "statuses"] as const) {
    if (config[name] !== undefined && !isJsonObject(config[name] as unknown)) throw new ConfigError(option(name), "must be an object");
  }
  if (config.verifyResponseSign !== undefined && typeof config.verifyResponseSign !== "boolean") {
    throw new ConfigError(option("verifyResponseSign"), "must be a boolean");
  }
  const previousKeys = config.previousKeys ?? [];
  if (!Array.isArray(previousKeys) || previousKeys.length > MAX_PREVIOUS_KEYS || !previousKeys.every((key) => typeof key === "string" && key.length > 0)) {
    throw new ConfigError(option("previousKeys"), `must be an array of at most ${MAX_PREVIOUS_KEYS} non-empty strings`);
  }
  return {
    id,
    option,
    previousKeys: Object.freeze([...previousKeys]),
    verifyResponseSign: config.verifyResponseSign ?? true,
    statuses: Object.freeze({ ...statuses, ...config.statuses }),
  };
}

/** Path settings merged over their defaults; each must be a non-empty string. */
export function pathSettings<K extends string>(
  given: Partial<Record<K, string>> | undefined,
  defaults: Readonly<Record<K, string>>,
  option: string,
): Readonly<Record<K, string>> {
  if (given !== undefined && !isJsonObject(given)) throw new ConfigError(option, "must be an object");
  const merged = { ...defaults, ...given };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== "string" || value.length === 0) throw new ConfigError(`${option}.${name}`, "must be a non-empty string");
  }
  return Object.freeze(merged);
}
