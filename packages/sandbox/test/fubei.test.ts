import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { FUBEI_ENVELOPE_RULE, FUBEI_NOTIFY_RULE, fubeiBiz, fubeiEnvelope, signed, uniqueOrderNo, withoutSign, type Fields } from "./requests.js";

const { appSecret, storeId } = SANDBOX_CREDENTIALS.fubei;
const GATEWAY = "/fubei/gateway";
const MINA = "openapi.payment.order.mina";
const QUERY = "openapi.payment.order.query";

describe("fubei simulator", () => {
  it("answers a valid mina create with sign_params and its extra fields, as in the doc's example", async () => {
    const running = await startSandbox();
    const biz = fubeiBiz({ total_fee: 12.34, cashier_id: "34566", attach: "订单:123456", body: "abcd" });
    const { json } = await running.post(GATEWAY, fubeiEnvelope(MINA, biz));
    expect(json).toMatchObject({ result_code: 200, result_message: "成功" });
    const data = json.data as Fields;
    expect(data.merchant_order_sn).toBe(biz.merchant_order_sn);
    expect(String(data.order_sn)).toMatch(/^\d{20}$/);
    const params = data.sign_params as Fields;
    expect(params).toMatchObject({ signType: "RSA", package: `prepay_id=${String(data.prepay_id)}`, store_id: storeId, cashier_id: 34566, user_id: "" });
    expect(params.timeStamp).toMatch(/^\d{10}$/);
  });

  it.each([
    ["a missing biz field", { sub_openid: undefined }, "sub_openid"],
    ["an over-long merchant_order_sn", { merchant_order_sn: "x".repeat(33) }, "merchant_order_sn"],
    ["an over-long body", { body: "x".repeat(129) }, "body"],
    ["total_fee as a yuan string", { total_fee: "0.01" }, "total_fee"],
    ["total_fee with 3 decimals", { total_fee: 0.001 }, "total_fee"],
    ["store_id as a string", { store_id: String(storeId) }, "store_id"],
    ["a wrong store_id", { store_id: storeId + 1 }, "store_id"],
  ])("rejects %s with result_code 400, result_message and sub_code", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(GATEWAY, fubeiEnvelope(MINA, fubeiBiz(change)));
    expect(json.result_code).toBe(400);
    expect(json.result_message).toContain(field);
    expect(typeof json.sub_code).toBe("string");
  });

  it("rejects envelope mistakes: biz_content as an object, a missing nonce, a bad signature, a duplicate order", async () => {
    const running = await startSandbox();
    const objectBiz = { ...fubeiEnvelope(MINA, fubeiBiz()), biz_content: fubeiBiz() };
    expect((await running.post(GATEWAY, objectBiz)).json.result_message).toContain("biz_content");
    expect((await running.post(GATEWAY, fubeiEnvelope(MINA, fubeiBiz(), { nonce: "" }))).json.result_message).toContain("nonce");

    const biz = fubeiBiz();
    const request = fubeiEnvelope(MINA, biz);
    const forged = await running.post(GATEWAY, { ...request, nonce: "another" });
    expect(forged.json).toMatchObject({ result_code: 400, sub_code: "INVALID_SIGN" });

    const first = (await running.post(GATEWAY, request)).json;
    expect(first.result_code).toBe(200);
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(GATEWAY, fubeiEnvelope(MINA, biz))).json;
    expect(again.result_code).toBe(200);
    expect((again.data as Fields).order_sn).toBe((first.data as Fields).order_sn);
    const duplicate = await running.post(GATEWAY, fubeiEnvelope(MINA, fubeiBiz({ merchant_order_sn: biz.merchant_order_sn, total_fee: 0.02 })));
    expect(duplicate.json.result_code).toBe(400);
    expect(duplicate.json.result_message).toContain("merchant_order_sn");
  });

  it("accepts the evidence's create request (re-signed, our app and store) and answers in the seed's shape", async () => {
    const running = await startSandbox();
    const { sign: _sign, ...envelope } = evidence("fubei", "create-request").body;
    const biz = { ...(JSON.parse(envelope.biz_content as string) as Fields), store_id: storeId, merchant_order_sn: uniqueOrderNo() };
    const request = signed({ ...envelope, app_id: SANDBOX_CREDENTIALS.fubei.appId, biz_content: JSON.stringify(biz) }, FUBEI_ENVELOPE_RULE, appSecret);
    const { json } = await running.post(GATEWAY, request);
    expect(json.result_code, JSON.stringify(json)).toBe(200);
    // cashier_id and user_id are optional fields of the seed's response table, absent from its example.
    expectEvidenceShape(json, evidence("fubei", "create-answer"), ["data.cashier_id", "data.user_id"]);
  });

  it("accepts an Alipay H5 request shaped as the SDK's, answering in its shape, and notifies it like any other", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "success" }]);
    const { sign: _sign, ...envelope } = evidence("fubei", "alipay-h5-request").body;
    const biz = { ...(JSON.parse(envelope.biz_content as string) as Fields), store_id: storeId, merchant_order_sn: uniqueOrderNo(), call_back_url: receiver.url };
    const request = signed({ ...envelope, app_id: SANDBOX_CREDENTIALS.fubei.appId, biz_content: JSON.stringify(biz) }, FUBEI_ENVELOPE_RULE, appSecret);
    const { json } = await running.post(GATEWAY, request);
    expect(json.result_code, JSON.stringify(json)).toBe(200);
    expectEvidenceShape(json, evidence("fubei", "alipay-h5-answer"));
    const data = json.data as Fields;
    const missingBuyer = await running.post(GATEWAY, fubeiEnvelope("openapi.payment.Alipay.H5", { ...biz, buyer_id: undefined, merchant_order_sn: uniqueOrderNo() }));
    expect(missingBuyer.json).toMatchObject({ result_code: 400, result_message: expect.stringContaining("buyer_id") });

    await complete(running, { gateway: "fubei", gatewayOrderNo: data.order_sn, outcome: "paid" });
    const notify = Object.fromEntries(new URLSearchParams(receiver.received[0]?.body ?? "")) as Fields;
    expectEvidenceShape(notify, evidence("fubei", "notify-paid"));
    expect(JSON.parse(notify.data as string)).toMatchObject({ merchant_order_sn: biz.merchant_order_sn, trade_no: data.prepay_id, trade_state: "SUCCESS" });
  });

  it("answers the query (by merchant_order_sn, order_sn or trade_no) in the SDK's shape, and notifies as the evidence shows: a form whose data is the signed JSON text", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "success" }]);
    const biz = fubeiBiz({ total_fee: 0.29, call_back_url: receiver.url });
    const created = (await running.post(GATEWAY, fubeiEnvelope(MINA, biz))).json.data as Fields;
    const query = (by: Fields = { merchant_order_sn: biz.merchant_order_sn }) => running.post(GATEWAY, fubeiEnvelope(QUERY, by));

    const before = (await query()).json;
    expect(before.result_code).toBe(200);
    expect(before.data as Fields).toMatchObject({ trade_state: "USERPAYING", total_fee: 0.29, order_sn: created.order_sn, pay_time: 0 });
    expectEvidenceShape(before, evidence("fubei", "query-answer-pending"));

    const result = await complete(running, { gateway: "fubei", gatewayOrderNo: created.order_sn, outcome: "paid" });
    expect(result.json).toEqual({ delivered: true, attempts: 1, reply: "success" });
    const received = receiver.received[0];
    expect(received?.contentType).toBe("application/x-www-form-urlencoded");
    const notify = Object.fromEntries(new URLSearchParams(received?.body ?? "")) as Fields;
    expectEvidenceShape(notify, evidence("fubei", "notify-paid"));
    expect(notify.sign).toMatch(/^[0-9A-F]{32}$/);
    // Signed over the fields as sent: data is the exact JSON text.
    expect(verifySign(withoutSign(notify), FUBEI_NOTIFY_RULE, appSecret, notify.sign)).toBe(true);
    expect(notify.result_code).toBe("200");
    const data = JSON.parse(notify.data as string) as Fields;
    expect(data).toMatchObject({ merchant_order_sn: biz.merchant_order_sn, order_sn: created.order_sn, total_fee: 0.29, trade_state: "SUCCESS", store_id: storeId });
    expect(String(data.pay_time)).toMatch(/^\d{10}$/);

    const after = (await query({ order_sn: created.order_sn })).json;
    expect((after.data as Fields).trade_state).toBe("SUCCESS");
    expectEvidenceShape(after, evidence("fubei", "query-answer-paid"));
    expect(((await query({ trade_no: data.trade_no })).json.data as Fields).order_sn).toBe(created.order_sn);
    const unknown = await running.post(GATEWAY, fubeiEnvelope(QUERY, { merchant_order_sn: "nope" }));
    expect(unknown.json).toMatchObject({ result_code: 400, sub_code: "ORDER_NOT_EXIST" });
  });
});
