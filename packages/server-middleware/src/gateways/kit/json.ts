/**
 * JSON as the gateways send it: objects, objects nested as their JSON text, and the exact
 * source text of each member (signatures cover what was sent, not a re-serialisation).
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested object that may arrive as an object or as its JSON text. */
export function nestedObject(value: unknown): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The exact source text of each top-level member's value in a JSON object text already known
 * to parse. A scanner, not a parser: it only finds where each value ends.
 */
export function rawJsonMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let at = text.indexOf("{") + 1;
  // JSON's white space: space, tab, line feed, carriage return.
  const skipSpace = (): void => {
    for (let code = text.charCodeAt(at); code === 32 || code === 9 || code === 10 || code === 13; code = text.charCodeAt(at)) at += 1;
  };
  const stringEnd = (from: number): number => {
    let i = from + 1;
    for (let code = text.charCodeAt(i); i < text.length && code !== 34; code = text.charCodeAt(i)) i += code === 92 ? 2 : 1;
    return i + 1;
  };
  for (;;) {
    skipSpace();
    if (text[at] !== '"') return members;
    const keyEnd = stringEnd(at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = keyEnd;
    skipSpace();
    at += 1; // the colon
    skipSpace();
    const valueStart = at;
    let depth = 0;
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        at = stringEnd(at);
        if (depth === 0) break;
        continue;
      }
      if (char === "{" || char === "[") depth += 1;
      else if (char === "}" || char === "]") {
        if (depth === 0) break;
        depth -= 1;
        if (depth === 0) {
          at += 1;
          break;
        }
      } else if (char === "," && depth === 0) break;
      at += 1;
    }
    members.set(key, text.slice(valueStart, at).trimEnd());
    skipSpace();
    if (text[at] !== ",") return members;
    at += 1;
  }
}
