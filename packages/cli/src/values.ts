/** Checks of what the operator typed: each refuses a bad value with a usage error (exit 2). */
import { usageError } from "./exit-codes.js";
import type { OptionValues } from "./command.js";

export function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function required(values: OptionValues, name: string): string {
  const value = text(values, name);
  if (value === undefined || value === "") throw usageError(`--${name} is required`);
  return value;
}

/** A whole number from 1 to `max`, or undefined when absent. */
export function positiveInteger(values: OptionValues, name: string, max: number): number | undefined {
  const value = text(values, name);
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(value) || Number(value) > max) throw usageError(`--${name} must be a whole number from 1 to ${max}`);
  return Number(value);
}

/** A day, `yyyy-MM-dd`, that exists in the calendar. */
export function day(values: OptionValues, name: string): string {
  const value = required(values, name);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) throw usageError(`--${name} must be a day, yyyy-MM-dd (got ${JSON.stringify(value.slice(0, 40))})`);
  return value;
}

/** A moment: ISO 8601 (a bare day is its midnight in Asia/Shanghai, +08:00) or epoch ms. */
export function moment(values: OptionValues, name: string): string | number | undefined {
  const value = text(values, name);
  if (value === undefined) return undefined;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(Date.parse(iso))) throw usageError(`--${name} must be ISO 8601 (2026-12-04T00:00:00+08:00, or a day) or epoch ms`);
  return iso;
}

/** One of `allowed`, or undefined when absent. */
export function oneOf<T extends string>(values: OptionValues, name: string, allowed: readonly T[]): T | undefined {
  const value = text(values, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw usageError(`--${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}
