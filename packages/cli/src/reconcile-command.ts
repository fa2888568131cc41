/**
 * `reconcile --date … --gateway …`: a gateway's bill for a day against the store — the bill from
 * a file the merchant downloaded (`--bill`, read with readBillCsv and the gateway's column preset
 * or `--columns`), else fetched with the gateway's bill API. Exit 1 when anything differs.
 */
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { readBillCsv, type BillColumns, type BillRow, type MismatchKind, type ReconcileResult } from "@paybridge/server-middleware/web";
import type { Command, CommandContext } from "./command.js";
import type { Paybridge } from "./config.js";
import { EXIT, usageError } from "./exit-codes.js";
import { fields, table, yuan } from "./format.js";
import { printJson } from "./io.js";
import { progressBar } from "./progress.js";
import { reportFormat, reportWriter } from "./report.js";
import { day, positiveInteger, required, text } from "./values.js";

/** The largest --columns file read. */
const MAX_COLUMNS_BYTES = 64 * 1024;

export const RECONCILE_COMMAND: Command = {
  name: "reconcile",
  usage: "--date <yyyy-MM-dd> --gateway <id> [--bill <file.csv> [--columns <mapping.json>]] [--report <out.csv|out.json|out.html>]",
  summary: "match a gateway's bill for a day against the store",
  optionHelp: [
    ["--date <yyyy-MM-dd>", "the day, in Asia/Shanghai"],
    ["--gateway <id>", "the gateway whose bill it is"],
    ["--bill <file.csv>", "a bill file downloaded from the gateway's console; absent: fetched with its bill API"],
    ["--columns <file.json>", "the file's columns (BillColumns) when the gateway's preset does not fit"],
    ["--bill-merchant <no>", "the merchant number every row of the file must name (with a merchant column)"],
    ["--report <file>", "also write the report: .csv (every mismatch), .json (the result) or .html (one page)"],
    ["--max-listed <n>", "mismatches listed in the output and the JSON or HTML report (default 1000; all are counted)"],
  ],
  details: "Exit 0 when the bill and the store agree, 1 when they do not (cron alerts on it), 2 for a bad argument or a malformed bill.",
  options: {
    date: { type: "string" },
    gateway: { type: "string" },
    bill: { type: "string" },
    columns: { type: "string" },
    "bill-merchant": { type: "string" },
    report: { type: "string" },
    "max-listed": { type: "string" },
  },
  args: [0, 0],
  async run(context) {
    const { values, io } = context;
    const date = day(values, "date");
    const gateway = required(values, "gateway");
    const billFile = text(values, "bill");
    const columnsFile = text(values, "columns");
    if (columnsFile !== undefined && billFile === undefined) throw usageError("--columns is for a --bill file");
    if (text(values, "bill-merchant") !== undefined && billFile === undefined) throw usageError("--bill-merchant is for a --bill file");
    const reportPath = text(values, "report");
    const format = reportPath === undefined ? undefined : reportFormat(reportPath);
    const maxListed = positiveInteger(values, "max-listed", 1_000_000);
    for (const file of [billFile, columnsFile]) if (file !== undefined && !existsSync(resolve(io.cwd, file))) throw usageError(`no file at ${resolve(io.cwd, file)}`);
    const columns = columnsFile === undefined ? undefined : readColumns(resolve(io.cwd, columnsFile));

    const paybridge = await context.paybridge();
    if (!paybridge.hasGateway(gateway)) throw usageError(`the config has no gateway ${JSON.stringify(gateway)}`);
    const merchantId = context.global.merchant;
    const bill = billFile === undefined ? undefined : await billRows(context, paybridge, { file: resolve(io.cwd, billFile), gateway, date, columns });
    const report = reportPath === undefined || format === undefined ? undefined : reportWriter(resolve(io.cwd, reportPath), format);
    const progress = progressBar(io, "reconciling", !context.global.json);
    let result: ReconcileResult;
    try {
      result = await paybridge.operations.reconcile({
        date,
        gateway,
        ...(merchantId === undefined ? {} : { merchantId }),
        ...(bill === undefined ? {} : { bill }),
        ...(maxListed === undefined ? {} : { maxListed }),
        ...(report?.onMismatch === undefined ? {} : { onMismatch: report.onMismatch }),
        onProgress: ({ billRows: read, ourRows }) => progress.update(read, undefined, `bill rows, ${ourRows} of ours`),
      });
    } finally {
      progress.end();
    }
    await report?.finish(result);
    if (context.global.json) printJson(io, result);
    else printResult(context, result);
    return mismatchCount(result) === 0 ? EXIT.ok : EXIT.mismatches;
  },
};

function readColumns(file: string): BillColumns {
  const bytes = readFileSync(file);
  if (bytes.length > MAX_COLUMNS_BYTES) throw usageError(`--columns: larger than ${MAX_COLUMNS_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw usageError("--columns: not a JSON file");
  }
  // readBillCsv checks every field (a ConfigError naming it); here only its shape.
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw usageError("--columns: must be a JSON object (BillColumns)");
  return parsed as BillColumns;
}

interface BillFile {
  file: string;
  gateway: string;
  date: string;
  columns: BillColumns | undefined;
}

async function billRows(context: CommandContext, paybridge: Paybridge, bill: BillFile): Promise<AsyncIterable<BillRow>> {
  const merchantId = context.global.merchant;
  const columns = bill.columns ?? (await paybridge.billColumns(bill.gateway, merchantId));
  if (columns === undefined) throw usageError(`gateway ${bill.gateway} has no bill column preset: give --columns <mapping.json>`);
  const merchant = text(context.values, "bill-merchant");
  return readBillCsv(createReadStream(bill.file), { columns, date: bill.date, ...(merchant === undefined ? {} : { merchant }) });
}

const mismatchCount = (result: ReconcileResult): number => Object.values(result.counts).reduce((sum, count) => sum + count, 0);

function printResult(context: CommandContext, result: ReconcileResult): void {
  const { io } = context;
  const count = mismatchCount(result);
  io.stdout.write(`reconciliation ${result.date} ${result.gateway}${result.merchantId ? ` (merchant ${result.merchantId})` : ""}: ${count === 0 ? "the bill and the store agree" : `${count} mismatches`}\n\n`);
  io.stdout.write(
    table(
      ["", "payments", "paid", "refunds", "refunded", "fees"],
      [
        ["bill", result.bill.payments, yuan(result.bill.paymentFen), result.bill.refunds, yuan(result.bill.refundFen), yuan(result.bill.feeFen)],
        ["paybridge", result.ours.payments, yuan(result.ours.paymentFen), result.ours.refunds, yuan(result.ours.refundFen), ""],
        ["matched", result.matched.payments, "", result.matched.refunds, "", ""],
      ],
    ),
  );
  if (count === 0) return;
  const kinds = (Object.keys(result.counts) as MismatchKind[]).filter((kind) => result.counts[kind] > 0);
  io.stdout.write(`\n${fields(kinds.map((kind) => [kind, result.counts[kind]]))}\n`);
  io.stdout.write(
    table(
      ["kind", "order", "refund", "bill", "paybridge"],
      result.mismatches.map((m) => [m.kind, m.orderNo, m.refundNo, m.bill && `${yuan(m.bill.amountFen)} ${m.bill.status} line ${m.bill.line}`, m.ours && `${yuan(m.ours.amountFen)} ${m.ours.status}`]),
    ),
  );
  if (result.truncated) io.stdout.write(`(the first ${result.mismatches.length} listed; --max-listed lists more)\n`);
}
