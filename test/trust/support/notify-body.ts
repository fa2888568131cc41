/**
 * A captured notify body's fields, whatever its format: a JSON object, or form-urlencoded pairs
 * (fubei notifies as a form, as the evidence shows). Null when it is neither, or when a form
 * repeats a key (which the server refuses: frameworks disagree on which value wins).
 */
export type BodyFields = Record<string, unknown>;

export function isFormBody(text: string): boolean {
  return !text.trimStart().startsWith("{");
}

export function parseNotifyBody(text: string): BodyFields | null {
  if (!isFormBody(text)) {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as BodyFields) : null;
    } catch {
      return null;
    }
  }
  const fields: BodyFields = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, key)) return null;
    Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

/** Fields as a form body: strings as they are, anything else as its JSON text, null as "". */
export function formBody(fields: BodyFields): string {
  return new URLSearchParams(
    Object.entries(fields).map(([key, value]) => [key, value === null ? "" : typeof value === "string" ? value : JSON.stringify(value)]),
  ).toString();
}
