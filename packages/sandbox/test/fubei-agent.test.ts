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
});
