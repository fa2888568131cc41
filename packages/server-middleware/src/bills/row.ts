/**
 * One line of a bill as a BillRow, checked: as many cells as the header, an order number, an
 * exact amount above zero, a time on the bill's day, this merchant's. Each refusal names the
 * line and the column, never the cell's text (a bill holds customers' data). Duplicates across
 * the bill are the matcher's to find (engine/reconcile/), not a line's.
 */
import { BillFormatError } from "../errors.js";
import { signedFen, type AmountRules } from "./amounts.js";
import { cleanCell } from "./cells.js";
import type { BillRow } from "./contract.js";
import type { ColumnPositions } from "./header.js";
import type { BillCsvSettings } from "./options.js";
import { billTimeToMs } from "./times.js";

export class BillRowReader {
  private readonly amountRules: AmountRules;
  private readonly refundKinds: ReadonlySet<string>;
  private readonly successStatuses: ReadonlySet<string>;
  private readonly failedStatuses: ReadonlySet<string>;

  constructor(
    private readonly settings: BillCsvSettings,
    private readonly at: ColumnPositions,
    /** Cells on a line: the header's count. */
    private readonly width: number,
  ) {
    const { columns } = settings;
    this.amountRules = { unit: columns.amountUnit, thousandsSeparators: settings.thousandsSeparators };
    this.refundKinds = new Set(columns.kind?.refund ?? []);
    this.successStatuses = new Set(columns.status?.success ?? []);
    this.failedStatuses = new Set(columns.status?.failed ?? []);
  }

  read(line: number, fields: readonly string[]): BillRow {
    if (fields.length !== this.width) throw new BillFormatError(line, `${fields.length} cells where the header has ${this.width}`);
    const { columns } = this.settings;
    const cell = (at: number | undefined): string => (at === undefined ? "" : cleanCell(fields[at]));
    const orderNo = cell(this.at.orderNo);
    if (orderNo === "") throw new BillFormatError(line, `column "${columns.orderNo}": the order number is empty`, columns.orderNo);
    const kind = this.at.kind !== undefined && this.refundKinds.has(cell(this.at.kind)) ? "refund" : "payment";
    const row: BillRow = {
      line,
      kind,
      orderNo,
      amountFen: this.amount(line, cell(this.at.amount), kind),
      at: this.time(line, cell(this.at.time)),
      status: this.status(cell(this.at.status)),
    };
    this.optional(row, "gatewayOrderNo", cell(this.at.gatewayOrderNo));
    this.optional(row, "refundNo", cell(this.at.refundNo));
    this.optional(row, "gatewayRefundNo", cell(this.at.gatewayRefundNo));
    const fee = cell(this.at.fee);
    if (fee !== "" && columns.fee !== undefined) row.feeFen = this.fen(line, columns.fee, "fee", fee);
    const merchant = this.merchant(line, cell(this.at.merchant));
    if (merchant !== "") row.merchant = merchant;
    return row;
  }

  private optional(row: BillRow, key: "gatewayOrderNo" | "refundNo" | "gatewayRefundNo", value: string): void {
    if (value !== "") row[key] = value;
  }

  private fen(line: number, column: string, what: string, text: string): number {
    const fen = signedFen(text, this.amountRules);
    if (typeof fen === "string") throw new BillFormatError(line, `column "${column}": the ${what} ${fen}`, column);
    return fen;
  }

  private amount(line: number, text: string, kind: BillRow["kind"]): number {
    const column = this.settings.columns.amount;
    let fen = this.fen(line, column, "amount", text);
    if (fen < 0 && kind === "refund" && this.settings.negativeRefundAmounts) fen = -fen;
    if (fen < 0) {
      const hint = kind === "refund" ? " (the `negativeRefundAmounts` option reads a refund's as its size)" : "";
      throw new BillFormatError(line, `column "${column}": the amount is negative${hint}`, column);
    }
    if (fen === 0) throw new BillFormatError(line, `column "${column}": the amount is zero`, column);
    return fen;
  }

  private time(line: number, text: string): number {
    const column = this.settings.columns.time;
    const at = billTimeToMs(text);
    if (at === undefined) {
      const reason = text === "" ? "the time is empty" : "the time is not a valid yyyy-MM-dd HH:mm:ss, yyyy/MM/dd HH:mm:ss, yyyyMMddHHmmss or unix seconds / ms time";
      throw new BillFormatError(line, `column "${column}": ${reason}`, column);
    }
    if (at < this.settings.dayStart || at >= this.settings.dayEnd) {
      throw new BillFormatError(line, `column "${column}": wrong day: the time is not on ${this.settings.date} (Asia/Shanghai)`, column);
    }
    return at;
  }

  private status(text: string): BillRow["status"] {
    if (this.at.status === undefined || this.successStatuses.has(text)) return "success";
    return this.failedStatuses.has(text) ? "failed" : "unknown";
  }

  /** The row's merchant ("" without a merchant column), refused when it is not the expected one. */
  private merchant(line: number, text: string): string {
    const column = this.settings.columns.merchant;
    const expected = this.settings.merchant;
    if (column === undefined || expected === undefined) return text;
    if (text === "") throw new BillFormatError(line, `column "${column}": the row names no merchant`, column);
    if (text !== expected) throw new BillFormatError(line, `column "${column}": the row is another merchant's`, column);
    return text;
  }
}
