/**
 * Field checks for the gateway adapters. Request checks throw InvalidRequestError naming the
 * field (the contract's name when the value came from the request, else the gateway's);
 * configuration checks throw ConfigError naming the option. Messages never echo a value:
 * some values are secrets.
 */
import { isFen } from "@paybridge/shared";
import { ConfigError, InvalidRequestError } from "../../errors.js";

export interface TextRule {
  /** Maximum length in UTF-16 code units (what the gateways' Java and .NET servers count). */
  max?: number;
  min?: number;
  pattern?: RegExp;
  /** Says what `pattern` demands, for the error message. */
  patternText?: string;
}

/** A required text field: present, non-empty, within its length and pattern. */
export function requiredText(value: string | undefined, field: string, rule: TextRule = {}): string {
  if (value === undefined || value === "") throw new InvalidRequestError(`${field} is required`, field);
  return textWithinRule(value, field, rule);
}

/** An optional text field: absent (undefined or "") gives undefined, else checked like a required one. */
export function optionalText(value: string | undefined, field: string, rule: TextRule = {}): string | undefined {
  return value === undefined || value === "" ? undefined : textWithinRule(value, field, rule);
}

/** `value` once it keeps `rule`; an InvalidRequestError naming the field otherwise. */
function textWithinRule(value: string, field: string, rule: TextRule): string {
  if (typeof value !== "string") throw new InvalidRequestError(`${field} must be a string`, field);
  if (rule.min !== undefined && value.length < rule.min) {
    throw new InvalidRequestError(`${field} must be at least ${rule.min} characters`, field);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw new InvalidRequestError(`${field} must be at most ${rule.max} characters`, field);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw new InvalidRequestError(`${field} must be ${rule.patternText ?? `of the form ${String(rule.pattern)}`}`, field);
  }
  return value;
}

/** An amount in integer fen, at least `min` (gateways refuse 0). */
export function requiredFen(value: number, field: string, min = 1): number {
  if (!isFen(value) || value < min) {
    throw new InvalidRequestError(`${field} must be an integer number of fen of at least ${min}`, field);
  }
  return value;
}

/** A required configuration string. Never echoes the value: it may be a key. */
export function configText(value: unknown, option: string, max?: number): string {
  if (typeof value !== "string" || value.length === 0) throw new ConfigError(option, "must be a non-empty string");
  if (max !== undefined && value.length > max) throw new ConfigError(option, `must be at most ${max} characters`);
  return value;
}

/** An optional configuration string: undefined stays undefined. */
export function optionalConfigText(value: unknown, option: string, max?: number): string | undefined {
  return value === undefined ? undefined : configText(value, option, max);
}

/** An http(s) URL without a trailing slash, so paths can be appended. */
export function configUrl(value: unknown, option: string): string {
  const text = configText(value, option);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(option, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(option, "must be an absolute http(s) URL");
  return text.replace(/\/+$/, "");
}

/** A positive integer of at most `digits` decimal digits. */
export function configInteger(value: unknown, option: string, digits: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0 || String(value).length > digits) {
    throw new ConfigError(option, `must be a positive integer of at most ${digits} digits`);
  }
  return value;
}
