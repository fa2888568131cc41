/**
 * One reading of the status record a gateway sends twice, in its notify and in its query
 * answer. Which field holds what (and the amount's unit) is each adapter's declaration; how
 * the fields are read, and what a missing or unknown one means, is decided here once.
 */
import { GatewayError, NotifyRejectedError } from "../../errors.js";
import type { QueryResult, VerifiedNotify } from "../contract.js";
import { convertAmount, queryAmountFen } from "./checks.js";
import type { JsonObject } from "./json.js";
import { requiredNotifyText } from "./notify-body.js";
import { notifyOutcome, statusOf, type GatewayStatusTable } from "./results.js";
import { textOf } from "./text.js";
import { shanghaiTimeToIso } from "./times.js";

/** The names of a status record's fields, as one gateway sends them. */
export interface StatusRecordLayout {
  /** The gateway's state word, read through the adapter's status table. */
  status: string;
  /** The merchant order number (ours); a notify must carry it. */
  orderNo: string;
  gatewayOrderNo: string;
  amount: string;
  /** The amount's text (a JSON number as its decimal text) in integer fen; a RangeError unless exact. */
  amountToFen: (text: string) => number;
  /** The time paid (Asia/Shanghai); omitted where the gateway sends no such time. */
  paidAt?: string;
  /** The state of a notify without the status field; omitted, such a notify is rejected. */
  notifyStatusWhenAbsent?: QueryResult["status"];
}

export interface StatusRecordReader {
  /** A verified notify's record; a missing or unknown field is a NotifyRejectedError naming it. */
  notify(record: JsonObject): VerifiedNotify;
  /** A query answer's record; an unknown state or unreadable amount is a GatewayError naming it. */
  query(record: JsonObject): QueryResult;
}

export function statusRecordReader(gateway: string, statuses: GatewayStatusTable, layout: StatusRecordLayout): StatusRecordReader {
  const fenOf = (text: string, fail: (message: string) => Error): number => convertAmount(() => layout.amountToFen(text), fail);
  const paidAtOf = (record: JsonObject): string | undefined =>
    layout.paidAt === undefined ? undefined : shanghaiTimeToIso(record[layout.paidAt]);

  return {
    notify(record) {
      const word = record[layout.status];
      const status = word === undefined ? layout.notifyStatusWhenAbsent : statusOf(statuses, word);
      if (status === undefined) throw new NotifyRejectedError(`${gateway} notify has an unknown ${layout.status}`);
      const orderNo = requiredNotifyText(record, layout.orderNo);
      const amount = requiredNotifyText(record, layout.amount);
      return {
        orderNo,
        gatewayOrderNo: textOf(record[layout.gatewayOrderNo]),
        amountFen: fenOf(amount, (message) => new NotifyRejectedError(message)),
        outcome: notifyOutcome(status),
        paidAt: paidAtOf(record),
      };
    },

    query(record) {
      const status = statusOf(statuses, record[layout.status]);
      if (status === undefined) throw new GatewayError(gateway, `${gateway} query answered an unknown ${layout.status}`);
      return {
        status,
        amountFen: queryAmountFen(gateway, layout.amount, record[layout.amount], layout.amountToFen),
        orderNo: textOf(record[layout.orderNo]),
        gatewayOrderNo: textOf(record[layout.gatewayOrderNo]),
        paidAt: paidAtOf(record),
      };
    },
  };
}
