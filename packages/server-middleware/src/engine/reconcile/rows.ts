/**
 * The rows the join reads: the bill's rows, checked (fetched ones come from an adapter, not
 * through the CSV reader), and ours, cut down to what the matching compares, so a spilled row
 * is a short JSON line.
 */
import { isFen, type OrderStatus } from "@paybridge/shared";
import type { BillRow } from "../../bills/contract.js";
import { BillFormatError } from "../../errors.js";
import type { OrderRecord, RefundEntry, TimeWindow } from "../../store/contract.js";

/** One of our paid orders. */
export interface OurPayment {
  k: "p";
  o: string;
  a: number;
  s: OrderStatus;
  /** paidAt, epoch ms. */
  t: number;
}

/** One of our refunds. */
export interface OurRefund {
  k: "r";
  o: string;
  r: string;
  g?: string;
  a: number;
  s: RefundEntry["status"];
  /** finishedAt, else requestedAt, epoch ms. */
  t: number;
}

export type OurRow = OurPayment | OurRefund;

const MAX_ID_LENGTH = 128;
const STATUSES: ReadonlySet<string> = new Set(["success", "failed", "unknown"]);

export function ourPayment(record: OrderRecord): OurPayment {
  return { k: "p", o: record.orderNo, a: record.amountFen, s: record.status, t: Date.parse(record.paidAt ?? record.createdAt) };
}

export function refundTime(refund: RefundEntry): number {
  return Date.parse(refund.finishedAt ?? refund.requestedAt);
}

export function ourRefund(orderNo: string, refund: RefundEntry): OurRefund {
  const row: OurRefund = { k: "r", o: orderNo, r: refund.refundNo, a: refund.amountFen, s: refund.status, t: refundTime(refund) };
  if (refund.gatewayRefundNo !== undefined) row.g = refund.gatewayRefundNo;
  return row;
}

const isId = (value: unknown): boolean => typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;
const isOptionalId = (value: unknown): boolean => value === undefined || isId(value);

/** The row as the join keeps it, or BillFormatError naming its line and what is wrong with it. */
export function checkBillRow(row: BillRow, day: TimeWindow): BillRow {
  const line = Number.isSafeInteger(row.line) && row.line > 0 ? row.line : 0;
  const refuse = (reason: string): never => {
    throw new BillFormatError(line, reason);
  };
  if (line === 0) refuse("the row has no line number");
  if (row.kind !== "payment" && row.kind !== "refund") refuse("kind must be payment or refund");
  if (!isId(row.orderNo)) refuse(`orderNo must be 1-${MAX_ID_LENGTH} characters`);
  if (!isOptionalId(row.refundNo) || !isOptionalId(row.gatewayRefundNo) || !isOptionalId(row.gatewayOrderNo)) refuse(`a number must be 1-${MAX_ID_LENGTH} characters`);
  if (!isFen(row.amountFen) || row.amountFen <= 0) refuse("amount must be a positive whole number of fen");
  if (row.feeFen !== undefined && !(Number.isSafeInteger(row.feeFen) && Math.abs(row.feeFen) <= row.amountFen)) refuse("fee must be whole fen, at most the amount");
  if (!STATUSES.has(row.status)) refuse("status must be success, failed or unknown");
  if (!Number.isFinite(row.at) || row.at < day.from || row.at >= day.to) refuse("the row's time is outside the bill's day");
  return row;
}

/** What makes a bill row unique: two with the same key are one row listed twice. Undefined: a refund row naming no refund. */
export function billRowKey(row: BillRow): string | undefined {
  if (row.kind === "payment") return `p ${row.orderNo}`;
  const refund = row.refundNo ?? (row.gatewayRefundNo === undefined ? undefined : `g:${row.gatewayRefundNo}`);
  return refund === undefined ? undefined : `r ${row.orderNo} ${refund}`;
}
