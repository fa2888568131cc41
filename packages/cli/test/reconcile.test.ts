/**
 * `paybridge reconcile`: its arguments, exit codes (1 on mismatches, for cron), and the report
 * files, against a fake reconcile (the engine's own is tested in server-middleware).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BillRow, Mismatch, ReconcileRequest } from "@paybridge/server-middleware/web";
import { reconcileResult, run } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "paybridge-cli-reconcile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "bill.csv"), "order,amount,time\n");

const ARGS = ["reconcile", "--date", "2026-12-03", "--gateway", "xiangma"];

const MISMATCHES: Mismatch[] = [
  { kind: "unknown_order", orderNo: "<script>alert(1)</script>", gateway: "xiangma", bill: { amountFen: 1000, at: "2026-12-03T10:00:00+08:00", line: 7, status: "success" } },
  { kind: "amount_differs", orderNo: "=HYPERLINK(\"x\")", gateway: "xiangma", bill: { amountFen: 999, at: "2026-12-03T11:00:00+08:00", line: 9, status: "success" }, ours: { amountFen: 1000, status: "paid" } },
];

/** A fake reconcile: hands each mismatch to onMismatch, as the engine's does once the bill matched. */
const reconcileWith = (mismatches: Mismatch[]) => async (request: ReconcileRequest) => {
  for (const mismatch of mismatches) await request.onMismatch?.(mismatch);
  return reconcileResult(request, mismatches);
};

describe("reconcile arguments", () => {
  it.each([
    [["reconcile", "--gateway", "xiangma"], "--date is required"],
    [["reconcile", "--date", "2026-13-01", "--gateway", "xiangma"], "--date must be a day"],
    [["reconcile", "--date", "03/12/2026", "--gateway", "xiangma"], "--date must be a day"],
    [["reconcile", "--date", "2026-12-03"], "--gateway is required"],
    [[...ARGS, "--columns", "map.json"], "--columns is for a --bill file"],
    [[...ARGS, "--report", "out.txt"], "--report must end in .csv, .json or .html"],
    [[...ARGS, "--bill", "missing.csv"], "no file at"],
    [[...ARGS, "--max-listed", "0"], "--max-listed must be a whole number"],
    [["reconcile", "--date", "2026-12-03", "--gateway", "nopay"], "the config has no gateway \"nopay\""],
    [[...ARGS, "--bill", "bill.csv"], "gateway xiangma has no bill column preset: give --columns"],
  ])("%j: exit 2, %s", async (argv, message) => {
    const result = await run(argv, { operations: { reconcile: reconcileWith([]) }, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.calls).toEqual([]);
  });

  it("a --columns file that is not a JSON object is a usage error", async () => {
    writeFileSync(join(dir, "list.json"), "[1]");
    const result = await run([...ARGS, "--bill", "bill.csv", "--columns", "list.json"], { operations: { reconcile: reconcileWith([]) }, cwd: dir });
    expect([result.code, result.stderr]).toEqual([2, "paybridge: --columns: must be a JSON object (BillColumns) [usage]\n"]);
  });
});

describe("reconcile results", () => {
  it("agreeing sides: exit 0, the request names the day, the gateway and the merchant", async () => {
    const result = await run([...ARGS, "--merchant", "shopA", "--max-listed", "50"], { operations: { reconcile: reconcileWith([]) } });
    expect(result.code).toBe(0);
    expect(result.calls[0]?.[1]).toMatchObject({ date: "2026-12-03", gateway: "xiangma", merchantId: "shopA", maxListed: 50 });
    expect(result.stdout).toContain("the bill and the store agree");
    expect(result.stdout).toMatch(/bill\s+2\s+20\.00\s+0\s+0\.00\s+0\.12/);
  });

  it("mismatches: exit 1, listed with their counts; --json is the result", async () => {
    const text = await run(ARGS, { operations: { reconcile: reconcileWith(MISMATCHES) } });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("2 mismatches");
    expect(text.stdout).toMatch(/unknown_order\s+1\n/);
    const json = await run([...ARGS, "--json"], { operations: { reconcile: reconcileWith(MISMATCHES) } });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ counts: { unknown_order: 1, amount_differs: 1 }, mismatches: MISMATCHES });
  });

  it("the progress bar is drawn from onProgress on a terminal only", async () => {
    const reconcile = async (request: ReconcileRequest) => {
      request.onProgress?.({ billRows: 5000, ourRows: 4000 });
      return reconcileResult(request);
    };
    expect((await run(ARGS, { operations: { reconcile }, tty: true })).stderr).toContain("reconciling 5000 bill rows, 4000 of ours");
    expect((await run(ARGS, { operations: { reconcile }, tty: false })).stderr).toBe("");
  });

  it("the HTML report is one page: figures, counts per kind, the mismatches escaped", async () => {
    const result = await run([...ARGS, "--report", "day.html"], { operations: { reconcile: reconcileWith(MISMATCHES) }, cwd: dir });
    expect(result.code).toBe(1);
    const html = readFileSync(join(dir, "day.html"), "utf8");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).not.toMatch(/<(script|link|img)\b|src=|href=/);
    expect(html).toContain("<td>unknown_order</td><td>in the bill, unknown here</td><td>1</td>");
    expect(html).toContain("<td>bill</td><td>2</td><td>20.00</td>");
  });

  it("the CSV report (reconcileReport's) has every mismatch, even past --max-listed, never a formula", async () => {
    await run([...ARGS, "--report", "day.csv", "--max-listed", "1"], { operations: { reconcile: reconcileWith(MISMATCHES) }, cwd: dir });
    const lines = readFileSync(join(dir, "day.csv"), "utf8").trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^kind,order_no,refund_no,/);
    expect(lines[2]).toMatch(/^amount_differs,"'=HYPERLINK\(""x""\)",,9,9\.99,success,/);
  });

  it("the JSON report is the result", async () => {
    await run([...ARGS, "--report", "day.json"], { operations: { reconcile: reconcileWith(MISMATCHES) }, cwd: dir });
    expect(JSON.parse(readFileSync(join(dir, "day.json"), "utf8"))).toMatchObject({ date: "2026-12-03", mismatches: MISMATCHES });
  });

  it("--bill is read with readBillCsv and the --columns mapping; a malformed line is exit 2 with its line", async () => {
    writeFileSync(join(dir, "columns.json"), JSON.stringify({ orderNo: "order", amount: "amount", amountUnit: "yuan", time: "time" }));
    writeFileSync(join(dir, "good.csv"), "order,amount,time\nA1,12.34,2026-12-03 10:00:00\n");
    writeFileSync(join(dir, "bad.csv"), "order,amount,time\nA1,12.345,2026-12-03 10:00:00\n");
    const rows: BillRow[] = [];
    const reconcile = async (request: ReconcileRequest) => {
      for await (const row of request.bill ?? []) rows.push(row);
      return reconcileResult(request);
    };
    const good = await run([...ARGS, "--bill", "good.csv", "--columns", "columns.json"], { operations: { reconcile }, cwd: dir });
    expect(good.code, good.stderr).toBe(0);
    expect(rows).toMatchObject([{ line: 2, kind: "payment", orderNo: "A1", amountFen: 1234, status: "success" }]);
    const bad = await run([...ARGS, "--bill", "bad.csv", "--columns", "columns.json"], { operations: { reconcile }, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^paybridge: bill line 2: .* \[invalid_request\]\n$/);
  });
});
