/**
 * The evidence fixtures (test/fixtures/evidence, see its README): wire messages shaped as the
 * public sources show them, read by the adapter tests and the sandbox tests alike.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";

export interface Evidence {
  source: string;
  /** Fields (dotted into JSON-text fields: `data.pay_time`) no source shows. */
  assumed: readonly string[];
  contentType: string;
  body: Record<string, unknown>;
}

export function evidence(gateway: string, message: string): Evidence {
  const parsed = JSON.parse(readFileSync(new URL(`../fixtures/evidence/${gateway}/${message}.json`, import.meta.url), "utf8")) as {
    _source: string;
    _assumed?: string[];
    contentType: string;
    body: Record<string, unknown>;
  };
  return { source: parsed._source, assumed: parsed._assumed ?? [], contentType: parsed.contentType, body: parsed.body };
}

/** A fixture's body as it travels (what a fake gateway answers). */
export function evidenceText(gateway: string, message: string): string {
  const fixture = evidence(gateway, message);
  return encodeBody(fixture.contentType, fixture.body);
}

/** The body as it travels: JSON text, or form-urlencoded pairs. */
export function encodeBody(contentType: string, body: Record<string, unknown>): string {
  if (!contentType.includes("x-www-form-urlencoded")) return JSON.stringify(body);
  return new URLSearchParams(Object.entries(body).map(([key, value]) => [key, String(value)])).toString();
}

const COMPACT_TIME = /^\d{14}$/;
const DASHED_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;
/** Amounts and codes ("1", "400"); longer digit strings are identifiers, whose form is the merchant's. */
const DIGITS = /^\d{1,10}$/;

function jsonObjectText(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string" || !value.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Every way `actual` departs from the fixture's shape, as readable lines. */
export function shapeProblems(actual: Record<string, unknown>, expected: Record<string, unknown>, allowExtra: readonly string[] = [], path = ""): string[] {
  const problems: string[] = [];
  for (const [key, model] of Object.entries(expected)) {
    const at = `${path}${key}`;
    if (!Object.hasOwn(actual, key)) {
      problems.push(`${at}: missing`);
      continue;
    }
    const value = actual[key];
    // null in a source's example is "not applicable here": the field may carry a value.
    if (model === null) continue;
    if (kind(value) !== kind(model)) {
      problems.push(`${at}: ${kind(value)}, the source shows ${kind(model)}`);
      continue;
    }
    if (typeof model === "string" && typeof value === "string") {
      for (const [pattern, name] of [[COMPACT_TIME, "yyyyMMddHHmmss"], [DASHED_TIME, "yyyy-MM-dd HH:mm:ss"], [DIGITS, "digits"]] as const) {
        if (pattern.test(model) && !pattern.test(value)) {
          problems.push(`${at}: ${JSON.stringify(value)} is not ${name} as the source shows`);
          break;
        }
      }
      const nested = jsonObjectText(model);
      const nestedActual = jsonObjectText(value);
      if (nested && !nestedActual) problems.push(`${at}: not JSON object text as the source shows`);
      if (nested && nestedActual) problems.push(...shapeProblems(nestedActual, nested, allowExtra, `${at}.`));
    } else if (kind(model) === "object") {
      problems.push(...shapeProblems(value as Record<string, unknown>, model as Record<string, unknown>, allowExtra, `${at}.`));
    }
  }
  for (const key of Object.keys(actual)) {
    if (!Object.hasOwn(expected, key) && !allowExtra.includes(`${path}${key}`)) problems.push(`${path}${key}: no source shows this field`);
  }
  return problems;
}

/** Fails naming each field where `actual` departs from the fixture (see shapeProblems). */
export function expectEvidenceShape(actual: Record<string, unknown>, fixture: Evidence, allowExtra: readonly string[] = []): void {
  expect(shapeProblems(actual, fixture.body, allowExtra), fixture.source).toEqual([]);
}
