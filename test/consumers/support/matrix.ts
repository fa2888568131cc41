/**
 * The consumer matrix: each cell is one vitest test whose outcome is also recorded, so the file
 * ends by printing one pass/fail table of every cell.
 */
import { it } from "vitest";

export type Outcome = "pass" | "FAIL" | "skip";

interface CellResult {
  group: string;
  cell: string;
  outcome: Outcome;
  detail: string;
  ms: number;
}

const results: CellResult[] = [];

/** A cell that is skipped (recorded as such) instead of run. */
export class SkipCell extends Error {}

/**
 * Registers a cell. `body` returns a short detail for the table (versions, counts) or throws;
 * throwing SkipCell marks it skipped (only for a missing optional tool, outside CI).
 */
export function cell(group: string, name: string, body: () => Promise<string>, timeoutMs = 120_000): void {
  it(`${group}: ${name}`, async (context) => {
    const started = performance.now();
    const record = (outcome: Outcome, detail: string): void => {
      results.push({ group, cell: name, outcome, detail, ms: Math.round(performance.now() - started) });
    };
    try {
      record("pass", await body());
    } catch (error) {
      if (error instanceof SkipCell) {
        record("skip", error.message);
        context.skip(error.message);
        return;
      }
      record("FAIL", firstLine(error));
      throw error;
    }
  }, timeoutMs);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").slice(0, 100);
}

/** The table of every cell recorded so far, in the order they ran. */
export function matrixTable(): string {
  const rows = results.map((result) => [result.outcome, result.group, result.cell, `${(result.ms / 1000).toFixed(1)} s`, result.detail]);
  const header = ["result", "group", "cell", "time", "detail"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]): string => `| ${row.map((text, column) => text.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const passed = results.filter((result) => result.outcome === "pass").length;
  const failed = results.filter((result) => result.outcome === "FAIL").length;
  return [
    line(header),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...rows.map(line),
    `consumer matrix, ${results.length} cells: ${passed} pass, ${failed} FAIL, ${results.length - passed - failed} skip`,
  ].join("\n");
}
