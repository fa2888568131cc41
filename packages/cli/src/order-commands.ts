/**
 * `order show|query|close|refund <orderNo>`: one order, through the handler's operations (a
 * merchant's order by `--merchant`: the engine finds its key, the command never builds one).
 */
import type { OrderView, RefundResult } from "@paybridge/server-middleware/web";
import type { Command, CommandContext } from "./command.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { fields, table, yuan } from "./format.js";
import { printJson } from "./io.js";
import { positiveInteger, required, text } from "./values.js";

const orderNoOf = (context: CommandContext): string => context.args[0] as string;

function printOrder(context: CommandContext, order: OrderView): void {
  context.io.stdout.write(
    fields([
      ["order", order.orderNo],
      ["merchant", order.merchantId],
      ["status", order.status],
      ["amount", `${yuan(order.amountFen)} (${order.amountFen} fen)`],
      ["refunded", order.refundedFen > 0 ? `${yuan(order.refundedFen)} (${order.refundedFen} fen)` : undefined],
      ["gateway", order.gateway],
      ["channel", `${order.channel} / ${order.scene}`],
      ["gateway order", order.gatewayOrderNo],
      ["description", order.description],
      ["attach", order.attach],
      ["created", order.createdAt],
      ["paid", order.paidAt],
      ["onPaid", order.fulfilment],
      ["last queried", order.lastQueriedAt],
      ["version", order.version],
    ]),
  );
  if (order.refunds.length === 0) return;
  context.io.stdout.write(`\nrefunds:\n`);
  context.io.stdout.write(
    table(
      ["refund", "amount", "status", "requested", "finished", "gateway refund", "failure"],
      order.refunds.map((refund) => [refund.refundNo, yuan(refund.amountFen), refund.status, refund.requestedAt, refund.finishedAt, refund.gatewayRefundNo, refund.failure]),
    ),
  );
}

const show: Command = {
  name: "order show",
  usage: "<orderNo>",
  summary: "the order as stored (read-only: no gateway call)",
  optionHelp: [],
  details: "Prints the stored record without the payer's pay parameters or the engine's claims; exit 4 when there is no such order.",
  options: {},
  args: [1, 1],
  async run(context) {
    const { operations } = await context.paybridge();
    const order = await operations.order(orderNoOf(context), context.global.merchant);
    if (!order) throw new CliError(EXIT.failure, "order_not_found", "order not found");
    if (context.global.json) printJson(context.io, order);
    else printOrder(context, order);
    return EXIT.ok;
  },
};

const query: Command = {
  name: "order query",
  usage: "<orderNo>",
  summary: "ask the gateway about a pending order and apply its answer",
  optionHelp: [],
  details:
    "The status route's own query: at most once per queryIntervalMs, and an answer changes the order only when it names it and its amount. Prints the order afterwards and whether the gateway was asked.",
  options: {},
  args: [1, 1],
  async run(context) {
    const { operations } = await context.paybridge();
    const result = await operations.queryOrder(orderNoOf(context), context.global.merchant);
    if (context.global.json) {
      printJson(context.io, result);
      return EXIT.ok;
    }
    context.io.stdout.write(`queried  ${result.queried ? "yes" : "no (not pending, no query API, or asked within queryIntervalMs)"}\n`);
    printOrder(context, result.order);
    return EXIT.ok;
  },
};

const close: Command = {
  name: "order close",
  usage: "<orderNo>",
  summary: "close a pending order (at its gateway where it has a close API)",
  optionHelp: [],
  details: "An order that is not pending is left as it is and its status printed. Exit 4 when the gateway refuses.",
  options: {},
  args: [1, 1],
  async run(context) {
    const { operations } = await context.paybridge();
    const result = await operations.close(orderNoOf(context), context.global.merchant);
    if (context.global.json) {
      printJson(context.io, result);
      return EXIT.ok;
    }
    const closed = result.closedAt === undefined ? `unchanged: it is ${result.status}` : `closed (${result.closedAt})`;
    context.io.stdout.write(fields([["order", result.orderNo], ["status", result.status], ["result", closed]]));
    return EXIT.ok;
  },
};

const refund: Command = {
  name: "order refund",
  usage: "<orderNo> --refund-no <no> [--amount-fen <n>] [--reason <text>]",
  summary: "refund a paid order, wholly or partly",
  optionHelp: [
    ["--refund-no <no>", "your refund number (run again with the same one to retry or finish it)"],
    ["--amount-fen <n>", "integer fen; absent: all that is left to refund"],
    ["--reason <text>", "sent to the gateway where it takes one"],
  ],
  details: "Exit 0 when the refund succeeded or is processing (run the same command again later), 4 when it failed.",
  options: { "refund-no": { type: "string" }, "amount-fen": { type: "string" }, reason: { type: "string" } },
  args: [1, 1],
  async run(context) {
    const refundNo = required(context.values, "refund-no");
    const amountFen = positiveInteger(context.values, "amount-fen", Number.MAX_SAFE_INTEGER);
    const reason = text(context.values, "reason");
    const { operations } = await context.paybridge();
    const result = await operations.refund({
      orderNo: orderNoOf(context),
      refundNo,
      ...(context.global.merchant === undefined ? {} : { merchantId: context.global.merchant }),
      ...(amountFen === undefined ? {} : { amountFen }),
      ...(reason === undefined ? {} : { reason }),
    });
    if (context.global.json) printJson(context.io, result);
    else printRefund(context, result);
    return refundExit(result);
  },
};

function printRefund(context: CommandContext, result: RefundResult): void {
  context.io.stdout.write(
    fields([
      ["order", result.orderNo],
      ["refund", result.refundNo],
      ["amount", `${yuan(result.amountFen)} (${result.amountFen} fen)`],
      ["status", result.status === "processing" ? "processing (run the same command again later to finish it)" : result.status],
      ["gateway refund", result.gatewayRefundNo],
      ["failure", result.failure],
      ["refunded in all", `${yuan(result.refundedFen)} (${result.refundedFen} fen)`],
      ["onRefunded", result.status === "succeeded" ? (result.fulfilled ? "done" : "not done (run again to finish)") : undefined],
    ]),
  );
}

const refundExit = (result: RefundResult): ExitCode => (result.status === "failed" ? EXIT.failure : EXIT.ok);

export const ORDER_COMMANDS: readonly Command[] = [show, query, close, refund];
