/**
 * fubei as a service provider (EVIDENCE.md "Additions (2026-12-04)" / fubei): the 2.0 `fbpay.*`
 * methods on /gateway/agent, `vendor_sn` signed with the vendor secret and no `app_id`, the
 * merchant named per request by `merchant_id` (+ `store_id`) in biz_content; provider-level
 * notifies verified with the vendor secret. Shapes from the evidence fixtures; the signature is
 * computed here by fubei's documented rule (sorted, non-empty, `k=v&…` + secret, MD5, upper).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { FUBEI_AGENT_PRESETS, fubeiProvider, type FubeiProviderConfig } from "../../src/gateways/fubei/provider.js";
import { evidence, expectEvidenceShape } from "../support/evidence.js";
import { fakeHttp, formNotify } from "./helpers.js";

const VENDOR_SECRET = "fubei-vendor-secret-0123456789";
const CONFIG: FubeiProviderConfig = { baseUrl: "https://fubei.test/gateway/agent", vendorSn: "2018052914265112345", vendorSecret: VENDOR_SECRET, merchantId: 1654321, storeId: 3239 };
const INPUT: CreateOrderInput = {
  orderNo: "201709191504852712157",
  amountFen: 1,
  channel: "wechat",
  scene: "jsapi",
  openId: "oODbw0Aiss8lP5aPvFq9-_F4H9LA",
  appId: "wxab93d4b3b6938cd7",
  notifyUrl: "https://shop.example.com/pay/notify/fubei/shop-1",
  description: "abcd",
  attach: "订单:123456",
};
const SIGN_PACKAGE = { appId: "wxab93d4b3b6938cd7", timeStamp: "1505107369", nonceStr: "59b61da935ba4", package: "prepay_id=wx2017", signType: "RSA", paySign: "32F2E4" };

/** fubei's rule, written out here: sorted keys, empty values skipped, `k=v&…`, secret appended, MD5, upper-case. */
function fubeiSign(fields: Record<string, unknown>, secret: string): string {
  const text = Object.keys(fields)
    .filter((key) => key !== "sign" && fields[key] !== undefined && fields[key] !== null && fields[key] !== "")
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join("&");
  return createHash("md5").update(text + secret, "utf8").digest("hex").toUpperCase();
}

function signedForm(message: string, secret = VENDOR_SECRET, dataPatch: Record<string, unknown> = {}) {
  const body = { ...evidence("fubei", message).body } as Record<string, string>;
  body.data = JSON.stringify({ ...(JSON.parse(body.data!) as Record<string, unknown>), ...dataPatch });
  const fields = { result_code: body.result_code!, result_message: body.result_message!, data: body.data };
  return formNotify({ ...fields, sign: fubeiSign(fields, secret) });
}

const answer = (data: Record<string, unknown>) => JSON.stringify({ result_code: 200, result_message: "成功", data });

describe("fubei provider mode: requests", () => {
  it("create sends vendor_sn and no app_id, merchant_id in biz_content, signed with the vendor secret, in the evidence's shape", async () => {
    const { http, requests } = fakeHttp(() => answer({ order_sn: "20181129111453021234", prepay_id: "wx2017", sign_package: SIGN_PACKAGE }));
    const created = await fubeiProvider(CONFIG).createOrder(INPUT, http);
    expect(created).toEqual({ gatewayOrderNo: "20181129111453021234", action: { type: "wechat", params: SIGN_PACKAGE } });
    const request = requests[0]!;
    expect(request.url).toBe("https://fubei.test/gateway/agent");
    const sent = JSON.parse(request.body!) as Record<string, unknown>;
    expectEvidenceShape(sent, evidence("fubei", "provider-create-request"));
    expect(sent).not.toHaveProperty("app_id");
    expect(sent.sign).toBe(fubeiSign(sent, VENDOR_SECRET));
    const biz = JSON.parse(sent.biz_content as string) as Record<string, unknown>;
    expect(biz).toMatchObject({ merchant_id: 1654321, store_id: 3239, pay_type: "wxpay", total_amount: 0.01, notify_url: INPUT.notifyUrl });
    expect(sent.version).toBe("1.0");
  });

  it("query, close, refund and refund query name the merchant by merchant_id; version 2.0 is a setting", async () => {
    const { http, requests } = fakeHttp((request) => {
      const method = (JSON.parse(request.body!) as { method: string }).method;
      if (method === "fbpay.order.close") return answer({ order_status: "CLOSED" });
      if (method.startsWith("fbpay.order.refund")) return answer({ refund_status: "REFUND_SUCCESS", refund_sn: "RS1", merchant_refund_sn: "R1", refund_amount: 0.01 });
      return answer({ order_status: "SUCCESS", merchant_order_sn: INPUT.orderNo, order_sn: "G1", total_amount: "0.01", finish_time: "20181129111500" });
    });
    const adapter = fubeiProvider({ ...CONFIG, storeId: undefined, version: "2.0" });
    await expect(adapter.queryOrder!({ orderNo: INPUT.orderNo }, http)).resolves.toMatchObject({ status: "paid", amountFen: 1, paidAt: "2018-11-29T03:15:00.000Z" });
    await adapter.closeOrder!({ orderNo: INPUT.orderNo, gatewayOrderNo: "G1" }, http);
    await expect(adapter.refundOrder!({ orderNo: INPUT.orderNo, refundNo: "R1", amountFen: 1, orderAmountFen: 1, notifyUrl: INPUT.notifyUrl }, http)).resolves.toMatchObject({ status: "succeeded", gatewayRefundNo: "RS1", amountFen: 1 });
    await expect(adapter.queryRefund!({ orderNo: INPUT.orderNo, refundNo: "R1" }, http)).resolves.toMatchObject({ status: "succeeded" });
    const sent = requests.map((request) => JSON.parse(request.body!) as Record<string, string>);
    expect(sent.map((envelope) => envelope.method)).toEqual(["fbpay.order.query", "fbpay.order.close", "fbpay.order.refund", "fbpay.order.refund.query"]);
    for (const envelope of sent) {
      expect(envelope.version).toBe("2.0");
      expect(JSON.parse(envelope.biz_content!)).toMatchObject({ merchant_id: 1654321 });
      expect(JSON.parse(envelope.biz_content!)).not.toHaveProperty("store_id");
    }
    expect(JSON.parse(sent[2]!.biz_content!)).toMatchObject({ merchant_order_sn: INPUT.orderNo, merchant_refund_sn: "R1", refund_amount: 0.01 });
  });

  it("alipay: pay_type alipay, prepay_id is Alipay's trade number", async () => {
    const { http, requests } = fakeHttp(() => answer({ order_sn: "G2", prepay_id: "2018112922001412345" }));
    const created = await fubeiProvider(CONFIG).createOrder({ ...INPUT, channel: "alipay", appId: undefined, openId: "2088102122524333" }, http);
    expect(created.action).toEqual({ type: "alipay", tradeNO: "2018112922001412345" });
    expect(JSON.parse((JSON.parse(requests[0]!.body!) as { biz_content: string }).biz_content)).toMatchObject({ pay_type: "alipay", user_id: "2088102122524333" });
  });

  it("refuses a config without the provider's number, secret or merchant, and an unknown version", () => {
    expect(FUBEI_AGENT_PRESETS.production).toBe("https://shq-api.51fubei.com/gateway/agent");
    for (const broken of [{ vendorSn: "" }, { vendorSecret: undefined }, { merchantId: undefined }, { version: "3.0" }]) {
      expect(() => fubeiProvider({ ...CONFIG, ...broken } as unknown as FubeiProviderConfig)).toThrow(ConfigError);
    }
  });
});

describe("fubei provider mode: notifies", () => {
  it("reads the 2.0 pay notify, verified with the vendor secret over result_code, result_message, data", () => {
    expect(fubeiProvider(CONFIG).verifyNotify(signedForm("provider-notify-paid"))).toEqual({
      orderNo: "201709191504852712157",
      gatewayOrderNo: "20181129111453021234",
      amountFen: 1,
      outcome: "paid",
      paidAt: "2018-11-29T03:15:00.000Z",
    });
    expect(fubeiProvider(CONFIG).verifyRefundNotify!(signedForm("provider-notify-paid"))).toBeNull();
  });

  it("rejects a notify signed with another key, or naming another merchant (uid) or store", () => {
    const adapter = fubeiProvider(CONFIG);
    expect(() => adapter.verifyNotify(signedForm("provider-notify-paid", "another-vendor-secret"))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(signedForm("provider-notify-paid", VENDOR_SECRET, { uid: 7654321 }))).toThrow(/uid/);
    expect(() => adapter.verifyNotify(signedForm("provider-notify-paid", VENDOR_SECRET, { store_id: 1 }))).toThrow(/store_id/);
  });

  it("reads the 2.0 refund notify", () => {
    expect(fubeiProvider(CONFIG).verifyRefundNotify!(signedForm("provider-refund-notify"))).toEqual({
      orderNo: "201709191504852712157",
      refundNo: "R201709191504852712157",
      amountFen: 1,
      status: "succeeded",
      gatewayRefundNo: "20181129120001041234",
    });
  });
});
