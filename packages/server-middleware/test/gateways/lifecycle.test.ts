/**
 * The refund, refund-query, refund-notify and close capabilities of the adapters (issue 12),
 * against answers written by hand from EVIDENCE.md's field lists (signed as each gateway signs),
 * never produced by the sandbox.
 */
import { describe, expect, it } from "vitest";
import { GatewayError, NotifyRejectedError } from "../../src/errors.js";
import type { RefundInput } from "../../src/gateways/contract.js";
import { fubei, type FubeiConfig } from "../../src/gateways/fubei/adapter.js";
import { VBAO_PLAIN_JSON_CODEC, vbao, type VbaoConfig } from "../../src/gateways/vbao/adapter.js";
import { xiangma, type XiangmaConfig } from "../../src/gateways/xiangma/adapter.js";
import { COMMON_SIGN_RULE, computeSign, type SignRule } from "../../src/gateways/kit/signing.js";
import { NOTIFY_URL, fakeHttp, jsonNotify } from "./helpers.js";

const REFUND: RefundInput = {
  orderNo: "A1",
  gatewayOrderNo: "X1",
  refundNo: "A1-r1",
  amountFen: 29,
  orderAmountFen: 100,
  notifyUrl: `${NOTIFY_URL}gw`,
};

describe("xiangma refund, refund query and close", () => {
  const KEY = "xiangma-test-key";
  const RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
  const CONFIG: XiangmaConfig = { baseUrl: "http://xiangma.test", instNo: "60000001", mchNo: "Y52212190001", key: KEY };
  const signed = (fields: Record<string, unknown>) => JSON.stringify({ ...fields, sign: computeSign(fields, RULE, KEY) });
  const answer = (fields: Record<string, unknown>) =>
    signed({ return_code: "SUCCESS", return_msg: "OK", mch_no: "Y52212190001", refund_trace_no: "A1-r1", refund_fee: "29", trade_no: "X1", ...fields });

  it("refunds at /xypay/v3/refundorder with refund_trace_no, refund_fee in fen as a string and trade_no; PAY_SUCCESS is succeeded", async () => {
    const fake = fakeHttp(() => answer({ result_code: "PAY_SUCCESS", refund_no: "XR1" }));
    await expect(xiangma(CONFIG).refundOrder!(REFUND, fake.http)).resolves.toEqual({ status: "succeeded", refundNo: "A1-r1", gatewayRefundNo: "XR1", amountFen: 29 });
    expect(fake.requests[0]?.url).toBe("http://xiangma.test/xypay/v3/refundorder");
    const sent = fake.sent();
    expect(sent).toMatchObject({ inst_no: "60000001", mch_no: "Y52212190001", refund_trace_no: "A1-r1", refund_fee: "29", trade_no: "X1" });
    const { sign, ...fields } = sent;
    expect(sign).toBe(computeSign(fields, RULE, KEY));
  });

  it("a signed refusal (return_code FAIL or result_code PAY_FAIL) is a failed refund; an unsigned one throws", async () => {
    const refusal = fakeHttp(() => signed({ return_code: "FAIL", return_msg: "可退金额不足" }));
    await expect(xiangma(CONFIG).refundOrder!(REFUND, refusal.http)).resolves.toEqual({ status: "failed", failure: "可退金额不足" });
    const payFail = fakeHttp(() => answer({ result_code: "PAY_FAIL", return_msg: "退款失败" }));
    await expect(xiangma(CONFIG).refundOrder!(REFUND, payFail.http)).resolves.toMatchObject({ status: "failed", failure: "退款失败" });
    const forged = fakeHttp(() => JSON.stringify({ return_code: "FAIL", return_msg: "x", sign: "0".repeat(32) }));
    await expect(xiangma(CONFIG).refundOrder!(REFUND, forged.http)).rejects.toBeInstanceOf(GatewayError);
    const otherAmount = fakeHttp(() => answer({ result_code: "PAY_SUCCESS", refund_fee: "30" }));
    await expect(xiangma(CONFIG).refundOrder!(REFUND, otherAmount.http)).resolves.toMatchObject({ amountFen: 30 });
  });

  it("queries a refund with a fresh query_trace_no; a refused query throws (the core then resends)", async () => {
    const fake = fakeHttp(() => answer({ result_code: "PAY_IN_PROCESS" }));
    await expect(xiangma(CONFIG).queryRefund!({ orderNo: "A1", refundNo: "A1-r1" }, fake.http)).resolves.toMatchObject({ status: "processing" });
    await xiangma(CONFIG).queryRefund!({ orderNo: "A1", refundNo: "A1-r1" }, fake.http);
    expect(fake.requests[0]?.url).toBe("http://xiangma.test/openpay/v3/queryrefund");
    expect(fake.sent(0).query_trace_no).not.toBe(fake.sent(1).query_trace_no);
    const refused = fakeHttp(() => signed({ return_code: "FAIL", return_msg: "退款单不存在" }));
    await expect(xiangma(CONFIG).queryRefund!({ orderNo: "A1", refundNo: "A1-r1" }, refused.http)).rejects.toBeInstanceOf(GatewayError);
  });

  it("closes with close_trace_no, close_time (yyyyMMddHHmmss) and trade_no; a refusal throws", async () => {
    const fake = fakeHttp((request) => {
      const sent = JSON.parse(request.body as string) as Record<string, unknown>;
      return signed({ return_code: "SUCCESS", result_code: "PAY_SUCCESS", mch_no: "Y52212190001", close_trace_no: sent.close_trace_no, trade_no: "X1" });
    });
    await xiangma(CONFIG).closeOrder!({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http);
    expect(fake.sent()).toMatchObject({ trade_no: "X1", close_time: expect.stringMatching(/^\d{14}$/), close_trace_no: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const refused = fakeHttp(() => signed({ return_code: "FAIL", return_msg: "订单已支付" }));
    await expect(xiangma(CONFIG).closeOrder!({ orderNo: "A1", gatewayOrderNo: "X1" }, refused.http)).rejects.toThrow("订单已支付");
  });
});

describe("fubei refund and refund query", () => {
  const CONFIG: FubeiConfig = { baseUrl: "https://fubei.test/gateway", appId: "20160000001", appSecret: "fubei-secret", storeId: 1234 };
  const ok = (data: Record<string, unknown>) => JSON.stringify({ result_code: 200, result_message: "成功", data });
  const biz = (fake: ReturnType<typeof fakeHttp>, index = 0) => JSON.parse(fake.sent(index).biz_content as string) as Record<string, unknown>;

  it("declares fubei's rules: at most 10 refunds per order, within 90 days, refund numbers of at most 32 characters", () => {
    expect(fubei(CONFIG).refundRules).toEqual({ maxRefunds: 10, windowDays: 90, maxRefundNoLength: 32 });
  });

  it("refunds with merchant_refund_sn and refund_money in yuan (exact); the answer has no state: processing", async () => {
    const fake = fakeHttp(() => ok({ refund_sn: "FR1", merchant_refund_sn: "A1-r1", trade_no: "420000", order_sn: "X1", merchant_order_sn: "A1" }));
    await expect(fubei(CONFIG).refundOrder!(REFUND, fake.http)).resolves.toEqual({ status: "processing", refundNo: "A1-r1", gatewayRefundNo: "FR1" });
    expect(fake.sent().method).toBe("openapi.payment.order.refund");
    expect(biz(fake)).toEqual({ order_sn: "X1", merchant_refund_sn: "A1-r1", refund_money: 0.29 });
  });

  it("a refusal is a failed refund; the gateway's own trouble throws", async () => {
    const refused = fakeHttp(() => JSON.stringify({ result_code: 400, result_message: "退款金额超限", sub_code: "REFUND_AMOUNT_EXCEEDED" }));
    await expect(fubei(CONFIG).refundOrder!(REFUND, refused.http)).resolves.toEqual({ status: "failed", failure: "REFUND_AMOUNT_EXCEEDED" });
    const busy = fakeHttp(() => JSON.stringify({ result_code: 500, result_message: "系统繁忙", sub_code: "SYSTEM_ERROR" }));
    await expect(fubei(CONFIG).refundOrder!(REFUND, busy.http)).rejects.toBeInstanceOf(GatewayError);
  });

  it("queries by merchant_order_sn + merchant_refund_sn: REFUND_SUCCESS / REFUND_PROCESSING", async () => {
    const fake = fakeHttp((_request, index) =>
      ok({ merchant_refund_sn: "A1-r1", refund_sn: "FR1", refund_status: index === 0 ? "REFUND_PROCESSING" : "REFUND_SUCCESS", refund_money: 0.29 }),
    );
    const adapter = fubei(CONFIG);
    await expect(adapter.queryRefund!({ orderNo: "A1", refundNo: "A1-r1" }, fake.http)).resolves.toMatchObject({ status: "processing", amountFen: 29 });
    await expect(adapter.queryRefund!({ orderNo: "A1", refundNo: "A1-r1" }, fake.http)).resolves.toMatchObject({ status: "succeeded", gatewayRefundNo: "FR1" });
    expect(fake.sent().method).toBe("openapi.payment.order.refund.query");
    expect(biz(fake)).toEqual({ merchant_order_sn: "A1", merchant_refund_sn: "A1-r1" });
  });

  it("has no close (mini-program orders are not in the close API's list)", () => {
    expect(fubei(CONFIG).closeOrder).toBeUndefined();
  });
});

describe("vbao refund notify (evidenced fields) and refund request (assumed)", () => {
  const KEY = "vbao-test-key";
  const CONFIG: VbaoConfig = { baseUrl: "https://vbao.test", customerNo: "C100", key: KEY, codec: VBAO_PLAIN_JSON_CODEC };
  const signed = (fields: Record<string, unknown>, key = KEY) => ({ ...fields, sign: computeSign(fields, COMMON_SIGN_RULE, key) });
  const REFUND_NOTIFY = { customerNo: "C100", refOrderNo: "A1", orderNo: "A1-r1", refundAmount: "29", refundTime: "2026-11-30 12:00:00", refundStatus: "SUCCESS" };

  it("reads a signed refund notify: refOrderNo is our order, orderNo the refund number, refundAmount fen", () => {
    expect(vbao(CONFIG).verifyRefundNotify!(jsonNotify(signed(REFUND_NOTIFY)))).toEqual({ orderNo: "A1", refundNo: "A1-r1", amountFen: 29, status: "succeeded" });
  });

  it("leaves a payment notify to verifyNotify (null) and rejects a forged or foreign refund notify", () => {
    const adapter = vbao(CONFIG);
    expect(adapter.verifyRefundNotify!(jsonNotify(signed({ customerNo: "C100", orderNo: "A1", orderAmount: 100, payStatus: "SUCCESS" })))).toBeNull();
    expect(() => adapter.verifyRefundNotify!(jsonNotify(signed(REFUND_NOTIFY, "not-the-key")))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyRefundNotify!(jsonNotify(signed({ ...REFUND_NOTIFY, customerNo: "C999" })))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyRefundNotify!(jsonNotify(signed({ ...REFUND_NOTIFY, refundStatus: "WHATEVER" })))).toThrow(NotifyRejectedError);
  });

  it("sends the assumed refund request; an accepted refund is processing until its notify", async () => {
    const fake = fakeHttp(() => JSON.stringify({ code: "200", msg: "操作成功", data: { customerNo: "C100", refOrderNo: "A1", orderNo: "A1-r1" } }));
    await expect(vbao(CONFIG).refundOrder!(REFUND, fake.http)).resolves.toEqual({ status: "processing", refundNo: "A1-r1" });
    expect(fake.requests[0]?.url).toBe("https://vbao.test/api/vborder/order/standard/refund");
    const reqmsg = JSON.parse(fake.sent().reqmsg as string) as Record<string, unknown>;
    expect(reqmsg).toMatchObject({ refOrderNo: "A1", orderNo: "A1-r1", refundAmount: 29 });
  });
});
