import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { evidenceFile } from "../../server-middleware/test/gateways/helpers.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { signed, UPAAS_RULE, upaasCreate, withoutSign, type Fields } from "./requests.js";

const { key, storeNum } = SANDBOX_CREDENTIALS.upaas;
const CREATE = "/upaas/v2/pay/jsapi";
const QUERY = "/upaas/v2/pay/query";
const sign = (fields: Fields) => signed(fields, UPAAS_RULE, key);

function expectSignedData(data: Fields): void {
  expect(data.sign).toMatch(/^[0-9a-f]{32}$/);
  expect(verifySign(withoutSign(data), UPAAS_RULE, key, data.sign)).toBe(true);
}

describe("upaas simulator", () => {
  it("answers a valid WeChat create with signed pre_pay_info, as in the doc's example", async () => {
    const running = await startSandbox();
    const request = upaasCreate({ amount: "12.34" });
    const { json } = await running.post(CREATE, sign(request));
    expect(json.code).toBe("000000");
    const data = json.data as Fields;
    expect(data.merchant_order_no).toBe(request.merchant_order_no);
    expect(data.amount).toBe("12.34");
    expect(String(data.order_number).length).toBeLessThanOrEqual(32);
    const pay = data.pre_pay_info as Fields;
    expect(pay.appId).toBe("wx7b54f0a5769316b9");
    expect(pay.package).toMatch(/^prepay_id=/);
    expect(pay.timeStamp).toMatch(/^\d{10}$/);
    expectSignedData(data);
  });

  it("answers Alipay with pre_pay_no and UnionPay with a pre_pay_url page under the mount", async () => {
    const running = await startSandbox();
    const alipay = await running.post(CREATE, sign(upaasCreate({ mode_code: "alipay", wx_appid: undefined })));
    expect((alipay.json.data as Fields).pre_pay_no).toMatch(/^\d{28}$/);
    expectSignedData(alipay.json.data as Fields);

    const unionpay = await running.post(CREATE, sign(upaasCreate({ mode_code: "unionpay", wx_appid: undefined, amount: "1.00" })));
    const data = unionpay.json.data as Fields;
    expect(data.pre_pay_url).toBe(`${running.url}/page/upaas/${String(data.order_number)}`);
    const page = await fetch(data.pre_pay_url as string);
    const html = await page.text();
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    for (const id of ["sandbox-pay", "sandbox-cancel", "sandbox-fail"]) expect(html).toContain(`id="${id}"`);
    expect(html).toContain("¥1.00");
  });

  it.each([
    ["a missing field", { open_id: undefined }, "open_id"],
    ["an over-long field", { merchant_order_no: "x".repeat(65) }, "merchant_order_no"],
    ["a yuan amount without 2 decimals", { amount: "1" }, "amount"],
    ["an amount in fen as a number", { amount: 1 }, "amount"],
    ["an unknown mode_code", { mode_code: "wechat" }, "mode_code"],
    ["WeChat mini-program without sub_app_name", { wx_appid: undefined, sub_appid: "wx1" }, "sub_app_name"],
  ])("rejects %s in its error shape", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, sign(upaasCreate(change)));
    expect(json.code).not.toBe("000000");
    expect(json.message).toContain(field);
    expect(json.data).toBeUndefined();
  });

  it("rejects a bad signature, a wrong store and a duplicate merchant_order_no", async () => {
    const running = await startSandbox();
    const request = sign(upaasCreate());
    const forged = await running.post(CREATE, { ...request, amount: "0.02" });
    expect(forged.json.code).not.toBe("000000");
    expect(forged.json.message).toBe("签名错误");

    const store = await running.post(CREATE, sign(upaasCreate({ store_num: "1000002" })));
    expect(store.json.message).toContain("store_num");

    const first = (await running.post(CREATE, request)).json;
    expect(first.code).toBe("000000");
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(CREATE, request)).json;
    expect(again.code).toBe("000000");
    expect((again.data as Fields).order_number).toBe((first.data as Fields).order_number);
    const duplicate = await running.post(CREATE, sign(upaasCreate({ merchant_order_no: request.merchant_order_no, amount: "0.02" })));
    expect(duplicate.json.code).not.toBe("000000");
    expect(duplicate.json.message).toContain("merchant_order_no");
  });

  it("answers the query before and after completion, and notifies with a verifiable signature", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "SUCCESS" }]);
    const request = upaasCreate({ amount: "0.29", notify_url: receiver.url });
    const created = (await running.post(CREATE, sign(request))).json.data as Fields;
    const query = sign({ store_num: storeNum, merchant_order_no: request.merchant_order_no });

    const before = (await running.post(QUERY, query)).json;
    expect(before.code).toBe("000000");
    expect((before.data as Fields).status).toBe("NOTPAY");
    expectSignedData(before.data as Fields);

    const result = await complete(running, { gateway: "upaas", gatewayOrderNo: created.order_number, outcome: "paid" });
    expect(result.json).toEqual({ delivered: true, attempts: 1, reply: "SUCCESS" });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.contentType).toMatch(/application\/json/);
    const notify = JSON.parse(receiver.received[0]?.body ?? "") as Fields;
    expect(verifySign(withoutSign(notify), UPAAS_RULE, key, notify.sign)).toBe(true);
    expect(notify).toMatchObject({ merchant_order_no: request.merchant_order_no, order_number: created.order_number, amount: "0.29", status: "SUCCESS" });
    expect(notify.pay_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const after = (await running.post(QUERY, query)).json.data as Fields;
    expect(after.status).toBe("SUCCESS");
    expectSignedData(after);

    const unknown = (await running.post(QUERY, sign({ store_num: storeNum, merchant_order_no: "nope" }))).json;
    expect(unknown.code).not.toBe("000000");
  });
});

describe("upaas simulator follows document 000 (evidence fixtures)", () => {
  it("accepts the table's fields (pay_resource, staff_num, device_sn) and answers in the documented shape", async () => {
    const running = await startSandbox();
    const file = evidenceFile("upaas", "create-request");
    const { sign: _sign, notify_url: _notify, ...example } = file.body;
    const request = sign({ ...example, store_num: storeNum, merchant_order_no: String(Date.now()).slice(-10) });
    const { json } = await running.post(`/upaas${file._path as string}`, request);
    expect(json.code, JSON.stringify(json)).toBe("000000");
    expectEvidenceShape(json, evidence("upaas", "create-answer-wechat"));
    for (const channel of ["alipay", "unionpay"] as const) {
      const other = await running.post(CREATE, sign(upaasCreate({ mode_code: channel, wx_appid: undefined })));
      expectEvidenceShape(other.json, evidence("upaas", `create-answer-${channel}`));
    }
  });

  it("refuses fields beyond the table's lengths", async () => {
    const running = await startSandbox();
    const lengths = evidenceFile("upaas", "create-request")._maxLength ?? {};
    for (const field of ["staff_num", "device_sn"]) {
      const tooLong = "x".repeat((lengths[field] ?? 0) + 1);
      const { json } = await running.post(CREATE, sign(upaasCreate({ [field]: tooLong })));
      expect(json.code).not.toBe("000000");
      expect(json.message).toContain(field);
    }
  });
});
