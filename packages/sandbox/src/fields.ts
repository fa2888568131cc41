/**
 * Field checks as the gateway documents state them (required, type, length, pattern). Each
 * simulator declares its table; the first broken rule is reported naming the field, and the
 * simulator answers it in its gateway's own error shape.
 */
export interface FieldRule {
  type: "string" | "integer" | "number" | "boolean";
  required?: boolean;
  /** For strings, in characters. */
  minLength?: number;
  maxLength?: number;
  /** For strings. */
  pattern?: RegExp;
  /** What the pattern means, for the message ("a 2-decimal yuan string"). */
  patternHint?: string;
  /** Allowed values. */
  oneOf?: readonly (string | number)[];
  /** For numbers. */
  min?: number;
  max?: number;
}

export type FieldTable = Readonly<Record<string, FieldRule>>;

export interface FieldProblem {
  field: string;
  message: string;
}

function typeOk(value: unknown, type: FieldRule["type"]): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
  }
}

function checkOne(field: string, value: unknown, rule: FieldRule): FieldProblem | null {
  if (value === undefined || value === null || value === "") {
    return rule.required ? { field, message: `${field} is required` } : null;
  }
  if (!typeOk(value, rule.type)) return { field, message: `${field} must be of type ${rule.type}` };
  if (typeof value === "string") {
    const length = [...value].length;
    if (rule.maxLength !== undefined && length > rule.maxLength) {
      return { field, message: `${field} is longer than ${rule.maxLength} characters` };
    }
    if (rule.minLength !== undefined && length < rule.minLength) {
      return { field, message: `${field} is shorter than ${rule.minLength} characters` };
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      return { field, message: `${field} must be ${rule.patternHint ?? `like ${String(rule.pattern)}`}` };
    }
  }
  if (typeof value === "number") {
    if (rule.min !== undefined && value < rule.min) return { field, message: `${field} must be at least ${rule.min}` };
    if (rule.max !== undefined && value > rule.max) return { field, message: `${field} must be at most ${rule.max}` };
  }
  if (rule.oneOf && !rule.oneOf.includes(value as string | number)) {
    return { field, message: `${field} must be one of ${rule.oneOf.join(", ")}` };
  }
  return null;
}

/** The first field that breaks its rule, in table order; null when all hold. */
export function checkFields(body: Readonly<Record<string, unknown>>, table: FieldTable): FieldProblem | null {
  for (const [field, rule] of Object.entries(table)) {
    const problem = checkOne(field, body[field], rule);
    if (problem) return problem;
  }
  return null;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The raw request body as a JSON object, or null when it is not one. */
export function parseJsonObject(raw: unknown): JsonObject | null {
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : typeof raw === "string" ? raw : null;
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
