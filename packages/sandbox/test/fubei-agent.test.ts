/**
 * The sandbox's fubei service-provider endpoint /gateway/agent against the evidence fixtures
 * (server-middleware/test/fixtures/evidence/fubei/provider-*): it takes the provider create
 * request of the SDKs' shape, signed with the vendor secret, keeps each merchant's orders its
 * own, and notifies in the 2.0 form signed over result_code, result_message and data.
 */
import { describe, expect, it } from "vitest";
import { computeSign, verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { FUBEI_NOTIFY_RULE, uniqueOrderNo, type Fields } from "./requests.js";

const { vendorSn, vendorSecret } = SANDBOX_CREDENTIALS.fubei;
const AGENT = "/fubei/gateway/agent";
const ENVELOPE_KEYS = ["vendor_sn", "method", "format", "sign_method", "nonce", "version", "biz_content"];

/** The fixture's envelope with this test's method, biz and the sandbox's provider, re-signed. */
function agentRequest(method: string, biz: Fields, extra: Fields = {}): Fields {
  const envelope: Fields = { ...evidence("fubei", "provider-create-request").body, vendor_sn: vendorSn, method, biz_content: JSON.stringify(biz), ...extra };
  delete envelope.sign;
  return { ...envelope, sign: computeSign(envelope, { ...FUBEI_NOTIFY_RULE, fields: ENVELOPE_KEYS }, vendorSecret) };
}

function fixtureBiz(fields: Fields = {}): Fields {
  const biz = JSON.parse(evidence("fubei", "provider-create-request").body.biz_content as string) as Fields;
  return { ...biz, merchant_order_sn: uniqueOrderNo(), ...fields };
}

describe("fubei /gateway/agent (service provider)", () => {
  it("creates an order from the evidence's request shape and answers order_sn, prepay_id, sign_package", async () => {
    const running = await startSandbox();
    const { json } = await running.post(AGENT, agentRequest("fbpay.order.create", fixtureBiz()));
    expect(json).toMatchObject({ result_code: 200 });
    const data = json.data as Fields;
    expect(data).toMatchObject({ order_sn: expect.any(String), prepay_id: expect.any(String), sign_package: expect.objectContaining({ package: `prepay_id=${String(data.prepay_id)}` }) });
  });

  it("refuses app_id at the provider level, another key's signature, and a missing merchant_id", async () => {
    const running = await startSandbox();
    expect((await running.post(AGENT, agentRequest("fbpay.order.create", fixtureBiz(), { app_id: "20170601202131300809" }))).json.result_code).toBe(400);
    const forged = { ...agentRequest("fbpay.order.create", fixtureBiz()), sign: "0".repeat(32) };
    expect((await running.post(AGENT, forged)).json.sub_code).toBe("INVALID_SIGN");
    expect((await running.post(AGENT, agentRequest("fbpay.order.create", fixtureBiz({ merchant_id: undefined })))).json.result_message).toContain("merchant_id");
  });

  it("one merchant's order is not there for another merchant's query or close", async () => {
    const running = await startSandbox();
    const biz = fixtureBiz();
    await running.post(AGENT, agentRequest("fbpay.order.create", biz));
    const other = { merchant_id: 7_654_321, merchant_order_sn: biz.merchant_order_sn };
    expect((await running.post(AGENT, agentRequest("fbpay.order.query", other))).json.sub_code).toBe("ORDER_NOT_EXIST");
    expect((await running.post(AGENT, agentRequest("fbpay.order.close", other))).json.sub_code).toBe("ORDER_NOT_EXIST");
    const own = { merchant_id: biz.merchant_id, merchant_order_sn: biz.merchant_order_sn };
    expect(((await running.post(AGENT, agentRequest("fbpay.order.query", own))).json.data as Fields).order_status).toBe("USERPAYING");
  });

  it("notifies in the 2.0 shape, signed with the vendor secret over the three fields, uid the merchant", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "success" }]);
    const biz = fixtureBiz({ notify_url: receiver.url });
    const created = (await running.post(AGENT, agentRequest("fbpay.order.create", biz))).json.data as Fields;
    await complete(running, { gateway: "fubei", gatewayOrderNo: created.order_sn, outcome: "paid" });
    const notify = receiver.received[0]!;
    const fields = Object.fromEntries(new URLSearchParams(notify.body)) as Record<string, string>;
    expectEvidenceShape(fields, evidence("fubei", "provider-notify-paid"));
    const { sign, ...signedFields } = fields;
    expect(verifySign(signedFields, { ...FUBEI_NOTIFY_RULE, fields: ["result_code", "result_message", "data"] }, vendorSecret, sign)).toBe(true);
    expect(JSON.parse(fields.data!)).toMatchObject({ order_status: "SUCCESS", uid: biz.merchant_id, merchant_order_sn: biz.merchant_order_sn, total_amount: 0.01 });
  });

  it("refunds a merchant's paid order (refund_amount in yuan) and answers the refund query by either number; not for another merchant", async () => {
    const running = await startSandbox();
    const biz = fixtureBiz({ total_amount: 0.3 });
    const created = (await running.post(AGENT, agentRequest("fbpay.order.create", biz))).json.data as Fields;
    await complete(running, { gateway: "fubei", gatewayOrderNo: created.order_sn, outcome: "paid", notify: false });
    const refund = { merchant_id: biz.merchant_id, order_sn: created.order_sn, merchant_refund_sn: `R${String(biz.merchant_order_sn)}`.slice(0, 32), refund_amount: 0.1 };
    const other = { ...refund, merchant_id: 7_654_321 };
    expect((await running.post(AGENT, agentRequest("fbpay.order.refund", other))).json.sub_code).toBe("ORDER_NOT_EXIST");
    const answer = (await running.post(AGENT, agentRequest("fbpay.order.refund", refund))).json;
    expect(answer).toMatchObject({ result_code: 200, data: { refund_status: "REFUND_SUCCESS", merchant_refund_sn: refund.merchant_refund_sn, refund_amount: 0.1, order_sn: created.order_sn } });
    const refundSn = (answer.data as Fields).refund_sn;
    for (const key of [{ merchant_refund_sn: refund.merchant_refund_sn }, { refund_sn: refundSn }]) {
      const queried = (await running.post(AGENT, agentRequest("fbpay.order.refund.query", { merchant_id: biz.merchant_id, ...key }))).json;
      expect(queried.data).toMatchObject({ refund_status: "REFUND_SUCCESS", refund_sn: refundSn, buyer_refund_amount: 0.1, finish_time: expect.stringMatching(/^\d{14}$/) });
    }
    const foreign = await running.post(AGENT, agentRequest("fbpay.order.refund.query", { merchant_id: 7_654_321, merchant_refund_sn: refund.merchant_refund_sn }));
    expect(foreign.json.sub_code).toBe("REFUND_NOT_EXIST");
    // Past what is left of the order: refused.
    const over = await running.post(AGENT, agentRequest("fbpay.order.refund", { ...refund, merchant_refund_sn: "R-OVER", refund_amount: 0.21 }));
    expect(over.json).toMatchObject({ result_code: 400, sub_code: "REFUND_FAIL" });
  });
});
