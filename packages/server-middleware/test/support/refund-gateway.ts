/**
 * The fake gateway of fake-adapter.ts with the refund and close capabilities added: refunds
 * answer from a script (default: succeeded at once), can be held to let calls race, and refund
 * notifies are JSON `{ out_trade_no, refund_no, refund_fee (fen), refund_status, sign }` signed
 * like its payment notifies.
 */
import { GatewayTimeoutError, NotifyRejectedError } from "../../src/errors.js";
import type { CloseInput, RefundAnswer, RefundInput, RefundQueryInput, RefundRules } from "../../src/gateways/contract.js";
import { COMMON_SIGN_RULE, createSigner } from "../../src/gateways/kit/signing.js";
import { FAKE_KEY, fakeGateway, type FakeGateway } from "./fake-adapter.js";

export type ScriptedRefund = RefundAnswer | "timeout" | ((input: RefundInput) => Promise<RefundAnswer>);

export interface RefundGateway extends FakeGateway {
  readonly refundCalls: RefundInput[];
  readonly refundQueries: RefundQueryInput[];
  readonly closeCalls: CloseInput[];
  /** Answers for the next refund calls, in order; then `succeeded`. */
  readonly script: ScriptedRefund[];
  /** What queryRefund answers per refundNo (default not_found); "throw" makes it fail as an unreadable answer. */
  readonly refundStates: Map<string, RefundAnswer | { status: "not_found" } | "throw">;
  /** The next closeOrder call refuses. */
  refuseNextClose(): void;
  /** The next `count` closeOrder calls refuse (default: every one from now on). */
  refuseCloses(count?: number): void;
  refundNotify(fields: { orderNo: string; refundNo: string; amountFen: number; status?: "SUCCESS" | "FAIL" | "PROCESSING" }): string;
  forgedRefundNotify(fields: { orderNo: string; refundNo: string; amountFen: number }): string;
}

export function refundGateway(options: { id?: string; maxRefunds?: number; refundRules?: RefundRules; key?: string } = {}): RefundGateway {
  const fake = fakeGateway({ ...(options.id ? { id: options.id } : {}), ...(options.key ? { key: options.key } : {}) });
  const id = fake.adapter.id;
  const signer = createSigner(options.key ?? FAKE_KEY, COMMON_SIGN_RULE);
  const forger = createSigner("not-the-key", COMMON_SIGN_RULE);
  const refundCalls: RefundInput[] = [];
  const refundQueries: RefundQueryInput[] = [];
  const closeCalls: CloseInput[] = [];
  const script: ScriptedRefund[] = [];
  const refundStates = new Map<string, RefundAnswer | { status: "not_found" } | "throw">();
  let closeRefusals = 0;
  const fields = (f: { orderNo: string; refundNo: string; amountFen: number; status?: string }) => ({
    out_trade_no: f.orderNo,
    refund_no: f.refundNo,
    refund_fee: f.amountFen,
    refund_status: f.status ?? "SUCCESS",
  });
  return {
    ...fake,
    adapter: {
      ...fake.adapter,
      ...(options.maxRefunds !== undefined || options.refundRules !== undefined
        ? { refundRules: { ...options.refundRules, ...(options.maxRefunds !== undefined ? { maxRefunds: options.maxRefunds } : {}) } }
        : {}),
      async refundOrder(input) {
        refundCalls.push(input);
        const next = script.shift() ?? { status: "succeeded", refundNo: input.refundNo, gatewayRefundNo: `R-${input.refundNo}` };
        if (next === "timeout") throw new GatewayTimeoutError(id, 10);
        return typeof next === "function" ? next(input) : next;
      },
      async queryRefund(input) {
        refundQueries.push(input);
        const state = refundStates.get(input.refundNo) ?? { status: "not_found" };
        if (state === "throw") throw new GatewayTimeoutError(id, 10);
        return state;
      },
      verifyRefundNotify({ rawBody }) {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(rawBody.toString("utf8")) as Record<string, unknown>;
        } catch {
          return null;
        }
        if (typeof body !== "object" || body === null || !("refund_no" in body)) return null;
        if (!signer.verify(body, body.sign)) throw new NotifyRejectedError("bad signature");
        const { out_trade_no: orderNo, refund_no: refundNo, refund_fee: amountFen, refund_status: status } = body;
        if (typeof orderNo !== "string" || typeof refundNo !== "string" || typeof amountFen !== "number") throw new NotifyRejectedError("fields missing");
        return { orderNo, refundNo, amountFen, status: status === "SUCCESS" ? "succeeded" : status === "PROCESSING" ? "processing" : "failed" };
      },
      async closeOrder(input) {
        closeCalls.push(input);
        if (closeRefusals > 0) {
          closeRefusals -= 1;
          const { GatewayError } = await import("../../src/errors.js");
          throw new GatewayError(id, "order paid, cannot close", { gatewayCode: "ORDER_PAID" });
        }
      },
    },
    refundCalls,
    refundQueries,
    closeCalls,
    script,
    refundStates,
    refuseNextClose: () => {
      closeRefusals = 1;
    },
    refuseCloses: (count = Number.POSITIVE_INFINITY) => {
      closeRefusals = count;
    },
    refundNotify(f) {
      const body = fields(f);
      return JSON.stringify({ ...body, sign: signer.sign(body) });
    },
    forgedRefundNotify(f) {
      const body = fields(f);
      return JSON.stringify({ ...body, sign: forger.sign(body) });
    },
  };
}
