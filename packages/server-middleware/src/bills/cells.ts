/**
 * A cell as the bill means it: surrounding spaces (tabs, full-width spaces) trimmed, and the
 * backtick WeChat-style bills put before numbers and times so that Excel keeps them as text
 * (`` `4200001234 ``) dropped. A tab prefix, the other Excel trick, goes with the trim.
 */
const BACKTICK = 96;

export function cleanCell(raw: string | undefined): string {
  if (raw === undefined) return "";
  const text = raw.trim();
  return text.charCodeAt(0) === BACKTICK ? text.slice(1).trim() : text;
}

/** A line of empty cells (`,,,` or a blank line) carries no row. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((field) => cleanCell(field) === "");
}
