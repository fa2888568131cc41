/**
 * The header line: where each mapped column is. Every column the mapping names must be there,
 * once; the error lists every missing one at once (names from the mapping, not from the file).
 */
import { BillFormatError } from "../errors.js";
import { cleanCell } from "./cells.js";
import type { BillColumns } from "./contract.js";

/** Each mapped field's position in a row; the optional ones only when mapped. */
export interface ColumnPositions {
  orderNo: number;
  amount: number;
  time: number;
  gatewayOrderNo?: number | undefined;
  refundNo?: number | undefined;
  gatewayRefundNo?: number | undefined;
  fee?: number | undefined;
  merchant?: number | undefined;
  kind?: number | undefined;
  status?: number | undefined;
}

export function columnPositions(columns: BillColumns, fields: readonly string[], line: number): ColumnPositions {
  const header = fields.map(cleanCell);
  const missing: string[] = [];
  const find = (name: string): number => {
    const at = header.indexOf(name);
    if (at < 0 && !missing.includes(name)) missing.push(name);
    if (at >= 0 && header.indexOf(name, at + 1) >= 0) throw new BillFormatError(line, `the header has the column "${name}" twice`, name);
    return at;
  };
  const optional = (name: string | undefined): number | undefined => (name === undefined ? undefined : find(name));
  const positions: ColumnPositions = {
    orderNo: find(columns.orderNo),
    amount: find(columns.amount),
    time: find(columns.time),
    gatewayOrderNo: optional(columns.gatewayOrderNo),
    refundNo: optional(columns.refundNo),
    gatewayRefundNo: optional(columns.gatewayRefundNo),
    fee: optional(columns.fee),
    merchant: optional(columns.merchant),
    kind: optional(columns.kind?.column),
    status: optional(columns.status?.column),
  };
  if (missing.length > 0) {
    throw new BillFormatError(line, `the header lacks the column${missing.length > 1 ? "s" : ""} ${missing.map((name) => `"${name}"`).join(", ")}`);
  }
  return positions;
}
